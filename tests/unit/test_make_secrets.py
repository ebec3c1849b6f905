"""`make secrets` (scripts/make_secrets.py): a .env with a fresh value for every secret compose asks for,
that the production check accepts once MOTCUA_PUBLIC_BASE_URL is filled in; never an overwrite by
accident; `.env.example` documents every variable with an empty value."""
from __future__ import annotations

import importlib
import re
import stat
import subprocess
import sys
from pathlib import Path

import yaml

from motcua_shared import production
from motcua_shared.broker.definitions import ADMIN_PASSWORD_VARIABLE
from motcua_shared.broker.permissions import all_permissions, password_variable
from motcua_shared.settings import CONSOLE, SERVICES, load

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "make_secrets.py"
COMPOSE_TEXT = (ROOT / "docker-compose.yml").read_text()
URL_SAFE = re.compile(r"[A-Za-z0-9._~-]{32,}")
PUBLIC = "https://motcua.example.gov.vn"


def run(directory: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), "--dir", str(directory), *args], capture_output=True,
                          text=True, timeout=60)


def read_env(path: Path) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if line and not line.startswith("#"))
    return {name: value for name, value in pairs}


def compose_secret_list() -> list[str]:
    """The variables docker-compose.yml lists in its header comment."""
    header = COMPOSE_TEXT.split("\nname:", 1)[0]
    return re.findall(r"^#   ([A-Z][A-Z0-9_]+_(?:SECRET|KEY|PASSWORD))\b", header, re.MULTILINE)


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's `${X}`, `${X:-default}`, `${X-default}`, `${X:?message}` and `${X?message}`."""
    def one(match: re.Match) -> str:
        name, op, rest = match.group(1), match.group(2) or "", match.group(3) or ""
        current = env.get(name)
        if op in (":?", "?"):
            assert current is not None and (current or op == "?"), f"compose stops: {rest}"
            return current
        if op == ":-":
            return current or rest
        if op == "-":
            return rest if current is None else current
        return current or ""
    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}", one, value)


def compose_environments(env: dict[str, str]) -> list[tuple[str, str, dict[str, str]]]:
    """(container, motcua package it runs, its environment) for every motcua process compose starts."""
    found = []
    for name, svc in yaml.safe_load(COMPOSE_TEXT)["services"].items():
        command = svc.get("command", "")
        command = " ".join(command) if isinstance(command, list) else command
        if "devsinks" in command:
            continue
        environment = {k: interpolate("" if v is None else str(v), env) for k, v in (svc.get("environment") or {}).items()}
        for package in sorted(set(re.findall(r"motcua_(\w+)", command)) & {*SERVICES, CONSOLE}):
            found.append((name, package, environment))
    return found


def test_it_writes_every_secret_compose_lists_with_fresh_url_safe_values(tmp_path):
    done = run(tmp_path)
    assert done.returncode == 0, done.stderr
    env_file = tmp_path / ".env"
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    values = read_env(env_file)
    assert list(values) == compose_secret_list()
    # The code's own lists: every broker user's password and every checked secret is there.
    broker = {password_variable(p.user) for p in all_permissions()} | {ADMIN_PASSWORD_VARIABLE}
    assert broker <= set(values) and set(production.SECRETS) <= set(values)
    assert len(set(values.values())) == len(values)
    for name, value in values.items():
        if name == "INTAKE_ID_ENCRYPTION_KEY":
            key_format = importlib.import_module("motcua_intake.config").id_encryption_key
            assert key_format(value) == value
        else:
            assert URL_SAFE.fullmatch(value), name
    assert "# MOTCUA_PUBLIC_BASE_URL=https://" in env_file.read_text()


def test_the_written_env_passes_the_production_check_of_every_process_compose_starts(tmp_path):
    assert run(tmp_path).returncode == 0
    env = {**read_env(tmp_path / ".env"), "MOTCUA_PUBLIC_BASE_URL": PUBLIC, "SMTP_HOST": "smtp.sonla.gov.vn",
           "SMS_GATEWAY_URL": ""}
    processes = compose_environments(env)
    assert {package for _, package, _ in processes} == {*SERVICES, CONSOLE}
    for container, package, environment in processes:
        assert environment.get("MOTCUA_ENV") == "production", container
        spec = importlib.import_module(f"motcua_{package}.service").SPEC
        settings = load(package, spec.settings, environ=environment)
        # migrate runs migrations and seeds only: it is given no broker credentials, and asked none.
        assert production.problems(settings, broker=container != "migrate") == [], (container, package)
        if container == "migrate" and package != CONSOLE:  # the console has no broker at all
            assert production.problems(settings) != [], "migrate must not hold broker credentials"


def test_an_existing_env_is_never_overwritten_unless_forced_and_then_kept(tmp_path):
    assert run(tmp_path).returncode == 0
    first = (tmp_path / ".env").read_text()
    again = run(tmp_path)
    assert again.returncode != 0 and "make secrets FORCE=1" in again.stderr
    assert (tmp_path / ".env").read_text() == first
    forced = run(tmp_path, "--force")
    assert forced.returncode == 0, forced.stderr
    [backup] = tmp_path.glob(".env.*.bak")
    assert re.fullmatch(r"\.env\.\d{8}-\d{6}\.bak", backup.name) and backup.read_text() == first
    assert set(read_env(tmp_path / ".env").values()).isdisjoint(read_env(backup).values())


def test_env_example_documents_every_variable_with_an_empty_value():
    text = (ROOT / ".env.example").read_text()
    assignments = re.findall(r"^([A-Z][A-Z0-9_]*)=(.*)$", text, re.MULTILINE)
    assert [name for name, _ in assignments] == ["MOTCUA_PUBLIC_BASE_URL", *compose_secret_list()]
    assert all(value == "" for _, value in assignments)
    blocks = text.split("\n\n")
    for name, _ in assignments:  # a comment above each group says what it is and how to rotate it
        [block] = [b for b in blocks if f"\n{name}=" in f"\n{b}"]
        assert block.lstrip().startswith("#"), name


def test_the_make_target_runs_the_script_with_force_passed_through():
    makefile = (ROOT / "Makefile").read_text()
    assert "secrets:\n\t$(PYTHON) scripts/make_secrets.py $(if $(FORCE),--force)\n" in makefile
