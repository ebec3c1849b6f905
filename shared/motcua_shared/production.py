"""Production mode (MOTCUA_ENV=production): a process refuses to start on a secret anyone could know.

Every motcua process builds a `Runtime` (service.py) before it does anything, and the runtime calls
`check`. In development nothing is checked: `make run` and the tests run on the published defaults.
In production a secret that is unset, shorter than 32 characters, or equal to a value written in the
repository (published.py) stops the process with one line naming the setting, never the value; so
do an SQLite database, a URL without a password and a public address that is not https.
"""
from __future__ import annotations

from typing import Callable, Iterable
from urllib.parse import unquote, urlsplit

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from .hosts import is_local
from .published import MIN_LENGTH as MIN_SECRET_LENGTH, is_published
from .settings import PRODUCTION, Settings

# The secrets checked where a process declares them (a service's extra settings add its own): one value
# each, or a comma-separated list whose every entry is checked (an empty list is allowed).
SECRETS = ("MOTCUA_JWT_SECRET", "INTAKE_ID_HASH_KEY", "INTAKE_ID_ENCRYPTION_KEY", "NOTIFICATION_SECRET",
           "CONSOLE_SECRET_KEY", "MOTCUA_ADMIN_PASSWORD")
SECRET_LISTS = ("MOTCUA_JWT_PREVIOUS_SECRETS",)


def _secret_problem(value: str) -> str | None:
    if not value:
        return "is not set"
    if len(value) < MIN_SECRET_LENGTH:
        return f"is shorter than {MIN_SECRET_LENGTH} characters"
    if is_published(value):
        return "is a value published in the motcua repository"
    return None


def _password_problem(name: str, password: str | None) -> str | None:
    if password is None or password == "":
        return f"{name} has no password"
    problem = _secret_problem(password)
    return f"the password in {name} {problem}" if problem else None


def _database(settings: Settings) -> str | None:
    name = f"{settings.service.upper()}_DATABASE_URL"
    raw = settings.values[f"{settings.service}_database_url"]
    if not raw:
        return f"{name} is not set (SQLite is for development only)"
    try:
        url = make_url(raw)
    except ArgumentError:
        return f"{name} is not a database URL"
    if url.get_backend_name() == "sqlite":
        return f"{name} is SQLite (for development only)"
    return _password_problem(name, url.password)


def _broker(settings: Settings) -> str | None:
    key = f"{settings.service}_amqp_url"
    if key not in settings.values:
        return None  # the console reaches the services over HTTP only
    name = key.upper() if settings.values[key] else "AMQP_URL"
    try:
        password = urlsplit(settings.amqp).password
    except ValueError:
        return f"{name} is not a broker URL"
    return _password_problem(name, unquote(password) if password else password)


def _public_base_url(settings: Settings) -> str | None:
    if "motcua_public_base_url" in settings.unset:
        return "MOTCUA_PUBLIC_BASE_URL is not set"
    parts = urlsplit(settings.motcua_public_base_url)
    if parts.scheme != "https":
        return "MOTCUA_PUBLIC_BASE_URL is not https"
    local = is_local(parts.hostname or "", unspecified=True)
    return "MOTCUA_PUBLIC_BASE_URL is a loopback address" if local else None


def _secrets(settings: Settings) -> Iterable[str]:
    for name in SECRETS:
        if name.lower() in settings.values:
            # An unset secret holds its development default, itself published: say what the operator must do.
            value = "" if name.lower() in settings.unset else str(settings.values[name.lower()])
            problem = _secret_problem(value)
            if problem:
                yield f"{name} {problem}"
    for name in SECRET_LISTS:
        entries = [entry.strip() for entry in str(settings.values.get(name.lower(), "")).split(",")]
        for position, entry in enumerate(entries, 1):
            problem = _secret_problem(entry) if entry else None  # empty entries are ignored where read
            if problem:
                yield f"{name} (entry {position}) {problem}"


CHECKS: tuple[Callable[[Settings], str | None], ...] = (_database, _broker, _public_base_url)


def problems(settings: Settings, *, broker: bool = True) -> list[str]:
    """What stops this process in production (nothing in development); `broker=False` for a process
    that never connects to the broker (migrate, seed), which is given no broker credentials."""
    if settings.values.get("motcua_env") != PRODUCTION:  # also a Settings built by hand in a test
        return []
    checks = CHECKS if broker else tuple(check for check in CHECKS if check is not _broker)
    return [*_secrets(settings), *(problem for check in checks if (problem := check(settings)))]


def check(settings: Settings, *, broker: bool = True) -> None:
    """Stop the process, with one line naming every setting at fault, when production finds any."""
    found = problems(settings, broker=broker)
    if found:
        raise SystemExit(f"motcua: refusing to start with MOTCUA_ENV=production: {'; '.join(found)} "
                         f"(`make secrets` writes fresh values; see .env.example)")
