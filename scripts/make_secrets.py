"""`make secrets`: write `.env` beside docker-compose.yml with a fresh random value for every secret.

Standard library only, so it runs on a district's server before anything is installed. Passwords go
into database and broker URLs, so every value uses URL-safe characters only (letters, digits, - and _;
43 characters, 256 random bits); the identity-number key is 32 random bytes in URL-safe base64, the
format of `python -m motcua_intake new-id-key`. An existing `.env` is never overwritten unless asked
(`make secrets FORCE=1`), and then it is first kept as `.env.YYYYMMDD-HHMMSS.bak`. `.env.example`
says what each value is and how to rotate it.

    python scripts/make_secrets.py [--dir DIR] [--force]
"""
from __future__ import annotations

import argparse
import base64
import os
import secrets
import sys
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ("intake", "routing", "notification", "postal", "reporting")

# The variables docker-compose.yml lists at its top, in that order (tests/unit/test_make_secrets.py
# compares both with the code's own lists of secrets and broker users).
VARIABLES = (
    "MOTCUA_JWT_SECRET", "INTAKE_ID_HASH_KEY", "INTAKE_ID_ENCRYPTION_KEY", "NOTIFICATION_SECRET",
    "POSTGRES_PASSWORD", *(f"{s.upper()}_DB_PASSWORD" for s in (*SERVICES, "console")),
    *(f"{s.upper()}_BROKER_PASSWORD" for s in SERVICES),
    "POSTAL_PARTNER_PASSWORD", "PROVINCE_ROUTING_PASSWORD", "RABBITMQ_ADMIN_PASSWORD",
    "CONSOLE_SECRET_KEY", "MOTCUA_ADMIN_PASSWORD",
)
AES_KEYS = {"INTAKE_ID_ENCRYPTION_KEY"}


def value(name: str) -> str:
    if name in AES_KEYS:
        return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")
    return secrets.token_urlsafe(32)


def render(now: datetime) -> str:
    lines = [
        f"# Written by `make secrets` on {now:%Y-%m-%d %H:%M} UTC: fresh random values for docker compose.",
        "# Keep this file private (it is mode 600 and never committed); .env.example says what each value",
        "# is and how to rotate it.",
        "#",
        "# The address citizens and officers use (https, not 127.0.0.1): the start of every link the system",
        "# gives out. Fill it in and remove the '#':",
        "# MOTCUA_PUBLIC_BASE_URL=https://motcua.example.gov.vn",
        "",
    ]
    lines += [f"{name}={value(name)}" for name in VARIABLES]
    return "\n".join(lines) + "\n"


def write(directory: Path, *, force: bool, now: datetime | None = None) -> Path:
    now = now or datetime.now(timezone.utc)
    target = directory / ".env"
    if target.exists():
        if not force:
            raise SystemExit(f"make secrets: {target} exists and is left as it is; `make secrets FORCE=1` "
                             f"writes a new one and keeps this one as .env.<date>.bak")
        backup = directory / f".env.{now:%Y%m%d-%H%M%S}.bak"
        serial = 1
        while backup.exists():  # two runs within a second must not lose the first backup
            serial += 1
            backup = directory / f".env.{now:%Y%m%d-%H%M%S}-{serial}.bak"
        target.replace(backup)
        print(f"make secrets: the former .env is kept as {backup}", file=sys.stderr)
    # Created private: the values never sit readable by others, not even for a moment.
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(render(now))
    print(f"make secrets: wrote {target} ({len(VARIABLES)} fresh values); set MOTCUA_PUBLIC_BASE_URL in it",
          file=sys.stderr)
    return target


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, default=ROOT, help="where to write .env (default: beside docker-compose.yml)")
    parser.add_argument("--force", action="store_true", help="replace an existing .env, keeping it as a dated backup")
    args = parser.parse_args(argv)
    write(args.dir, force=args.force)


if __name__ == "__main__":
    main()
