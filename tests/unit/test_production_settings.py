"""MOTCUA_ENV=production: every process refuses to start on a secret anyone could know, with one line
naming the setting (never its value); a good configuration starts.

The refused values are taken from the repository itself (the development defaults in the code, the test
suite's secret, a former compose file), and the good ones are drawn fresh at each run: a good value
written in this file would be published.
"""
from __future__ import annotations

import base64
import importlib
import re
import secrets
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from motcua_shared import production, published
from motcua_shared.service import Runtime
from motcua_shared.settings import CONSOLE, SERVICES, declared, load

from motcua_testing.ports import free_port
from motcua_testing.system import TEST_SECRET
from motcua_testing.waiting import wait_for

PUBLIC = "https://motcua.example.gov.vn"
# What docker-compose.yml said before `make secrets` (lines of its history, still in every clone).
FORMER_COMPOSE = """
  MOTCUA_JWT_SECRET: ${MOTCUA_JWT_SECRET:-dev-secret-change-me-0123456789abcdef}
  INTAKE_DATABASE_URL: postgresql+psycopg://intake:${INTAKE_DB_PASSWORD:-intake-db-dev}@postgres:5432/intake
  INTAKE_ID_ENCRYPTION_KEY: ${INTAKE_ID_ENCRYPTION_KEY:-pcbhyGyxIU5O6fes9cVpzPFx6c83vb8UJx8qnzeS38M=}
"""


def fresh() -> str:
    return secrets.token_urlsafe(32)


def fresh_aes_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def compose_default(variable: str) -> str:
    """The try-out value the former compose file fell back to: `${VARIABLE:-value}`."""
    return re.search(r"\$\{%s:-([^}]*)\}" % variable, FORMER_COMPOSE).group(1)


def development_default(service: str, variable: str) -> str:
    """What the code takes when the variable is unset (development)."""
    [setting] = [s for s in declared(service, spec_of(service).settings) if s.name == variable]
    return setting.default


def spec_of(service: str):
    return importlib.import_module(f"motcua_{service}.service").SPEC


def good_env(service: str) -> dict[str, str]:
    """A production configuration of one service that must start."""
    env = {"MOTCUA_ENV": "production", "MOTCUA_PUBLIC_BASE_URL": PUBLIC, "MOTCUA_JWT_SECRET": fresh(),
           f"{service.upper()}_DATABASE_URL": f"postgresql+psycopg://{service}:{fresh()}@postgres:5432/{service}"}
    if service != CONSOLE:
        env[f"{service.upper()}_AMQP_URL"] = f"amqp://motcua-{service}:{fresh()}@rabbitmq:5672/motcua"
    extra = {"intake": {"INTAKE_ID_HASH_KEY": fresh(), "INTAKE_ID_ENCRYPTION_KEY": fresh_aes_key()},
             "notification": {"NOTIFICATION_SECRET": fresh()},
             CONSOLE: {"CONSOLE_SECRET_KEY": fresh(), "MOTCUA_ADMIN_PASSWORD": fresh()}}
    return {**env, **extra.get(service, {})}


def problems(service: str, env: dict[str, str]) -> list[str]:
    return production.problems(load(service, spec_of(service).settings, environ=env))


def refusal(service: str, env: dict[str, str]) -> str:
    """The line a process of `service` stops with (the same `check` every Runtime runs)."""
    with pytest.raises(SystemExit) as stopped:
        Runtime(spec_of(service), load(service, spec_of(service).settings, environ=env))
    line = str(stopped.value.code)
    assert "\n" not in line
    return line


@pytest.mark.parametrize("service", (*SERVICES, CONSOLE))
def test_a_good_production_configuration_starts(service):
    env = good_env(service)
    assert problems(service, env) == []
    Runtime(spec_of(service), load(service, spec_of(service).settings, environ=env)).close()


# (service, setting, how to set it to a value): every secret of docs/contracts.md §8 where a process reads it.
def _plain(name):
    return lambda env, value: {**env, name: value}


def _in_url(name, template):
    return lambda env, value: {**env, name: template.format(value)}


SECRETS = [
    *[(s, "MOTCUA_JWT_SECRET", _plain("MOTCUA_JWT_SECRET")) for s in (*SERVICES, CONSOLE)],
    ("routing", "MOTCUA_JWT_PREVIOUS_SECRETS", lambda env, value: {**env, "MOTCUA_JWT_PREVIOUS_SECRETS": f"{fresh()},{value}"}),
    ("intake", "INTAKE_ID_HASH_KEY", _plain("INTAKE_ID_HASH_KEY")),
    ("notification", "NOTIFICATION_SECRET", _plain("NOTIFICATION_SECRET")),
    (CONSOLE, "CONSOLE_SECRET_KEY", _plain("CONSOLE_SECRET_KEY")),
    (CONSOLE, "MOTCUA_ADMIN_PASSWORD", _plain("MOTCUA_ADMIN_PASSWORD")),
    *[(s, f"{s.upper()}_DATABASE_URL", _in_url(f"{s.upper()}_DATABASE_URL", f"postgresql+psycopg://{s}:{{}}@postgres/{s}"))
      for s in (*SERVICES, CONSOLE)],
    *[(s, f"{s.upper()}_AMQP_URL", _in_url(f"{s.upper()}_AMQP_URL", f"amqp://motcua-{s}:{{}}@rabbitmq:5672/motcua"))
      for s in SERVICES],
]
# Published values of 32+ characters, read from the repository's own files: the code's development
# defaults, the test suite's secret, a former compose default.
PUBLISHED = {
    "MOTCUA_JWT_SECRET": compose_default("MOTCUA_JWT_SECRET"),
    "INTAKE_ID_HASH_KEY": development_default("intake", "INTAKE_ID_HASH_KEY"),
    "NOTIFICATION_SECRET": development_default("notification", "NOTIFICATION_SECRET"),
    "CONSOLE_SECRET_KEY": development_default(CONSOLE, "CONSOLE_SECRET_KEY"),
}


# An empty list of previous secrets is the normal case, not a secret left unset.
CASES = [(service, setting, put, kind) for service, setting, put in SECRETS
         for kind in ("unset", "31 characters", "published")
         if not (kind == "unset" and setting == "MOTCUA_JWT_PREVIOUS_SECRETS")]


@pytest.mark.parametrize("service,setting,put,kind", CASES, ids=[f"{s}-{n}-{k}" for s, n, _, k in CASES])
def test_production_refuses_a_secret_unset_short_or_published(service, setting, put, kind):
    env = good_env(service)
    if kind == "unset":
        if setting.endswith("_URL"):
            env = put(env, "")  # the URL without its password
        else:
            env.pop(setting)
    else:
        value = fresh()[:31] if kind == "31 characters" else PUBLISHED.get(setting, TEST_SECRET)
        env = put(env, value)
    found = problems(service, env)
    assert len(found) == 1 and setting in found[0], found
    line = refusal(service, env)
    assert setting in line and line.startswith("motcua: refusing to start with MOTCUA_ENV=production")
    if kind != "unset":
        assert value not in line  # the line names the setting, never the value


def test_the_published_identity_key_is_refused():
    key = compose_default("INTAKE_ID_ENCRYPTION_KEY")  # base64 with its `=` padding
    env = {**good_env("intake"), "INTAKE_ID_ENCRYPTION_KEY": key}
    assert problems("intake", env) == ["INTAKE_ID_ENCRYPTION_KEY is a value published in the motcua repository"]
    assert problems("intake", {**good_env("intake"), "INTAKE_ID_ENCRYPTION_KEY": ""}) == [
        "INTAKE_ID_ENCRYPTION_KEY is not set"]


def test_an_unset_secret_holds_a_published_default_and_is_refused_by_name():
    env = good_env("notification")
    env.pop("NOTIFICATION_SECRET")
    assert published.is_published(load("notification", spec_of("notification").settings,
                                       environ=env).notification_secret)
    assert problems("notification", env) == ["NOTIFICATION_SECRET is not set"]


def test_every_setting_at_fault_is_named_on_the_one_line():
    env = {**good_env("intake"), "MOTCUA_JWT_SECRET": TEST_SECRET, "INTAKE_ID_HASH_KEY": "short"}
    line = refusal("intake", env)
    assert "MOTCUA_JWT_SECRET is a value published" in line and "INTAKE_ID_HASH_KEY is shorter than 32" in line


@pytest.mark.parametrize("url,expected", [
    ("", "INTAKE_DATABASE_URL is not set (SQLite is for development only)"),
    ("sqlite:////var/lib/motcua/intake.db", "INTAKE_DATABASE_URL is SQLite (for development only)"),
    ("postgresql+psycopg://intake@postgres/intake", "INTAKE_DATABASE_URL has no password"),
])
def test_production_refuses_sqlite_and_a_database_without_password(url, expected):
    assert problems("intake", {**good_env("intake"), "INTAKE_DATABASE_URL": url}) == [expected]


def test_production_refuses_a_broker_without_password_and_the_shared_guest_url():
    env = good_env("postal")
    assert problems("postal", {**env, "POSTAL_AMQP_URL": "amqp://rabbitmq:5672/motcua"}) == [
        "POSTAL_AMQP_URL has no password"]
    env.pop("POSTAL_AMQP_URL")  # falls back to AMQP_URL, guest:guest by default
    assert problems("postal", env) == ["the password in AMQP_URL is shorter than 32 characters"]


@pytest.mark.parametrize("url,expected", [
    (None, "MOTCUA_PUBLIC_BASE_URL is not set"),
    ("http://motcua.sonla.gov.vn", "MOTCUA_PUBLIC_BASE_URL is not https"),
    ("https://127.0.0.1:8443", "MOTCUA_PUBLIC_BASE_URL is a loopback address"),
    ("https://[::1]", "MOTCUA_PUBLIC_BASE_URL is a loopback address"),
    ("https://localhost", "MOTCUA_PUBLIC_BASE_URL is a loopback address"),
    ("https://0.0.0.0", "MOTCUA_PUBLIC_BASE_URL is a loopback address"),
    ("https://motcua.sonla.gov.vn/", None),
    ("https://10.20.0.5/motcua", None),
])
def test_production_wants_an_https_public_address_others_can_reach(url, expected):
    env = good_env("reporting")
    if url is None:
        env.pop("MOTCUA_PUBLIC_BASE_URL")
    else:
        env["MOTCUA_PUBLIC_BASE_URL"] = url
    assert problems("reporting", env) == ([expected] if expected else [])


@pytest.mark.parametrize("url", ["motcua.sonla.gov.vn", "ftp://x.vn", "https://x.vn/?a=1", "https://u:p@x.vn"])
def test_a_public_address_that_is_no_address_is_refused_in_any_mode(url):
    with pytest.raises(SystemExit, match="MOTCUA_PUBLIC_BASE_URL"):
        load("intake", environ={"MOTCUA_PUBLIC_BASE_URL": url})


def test_an_unknown_environment_is_refused_with_one_line():
    with pytest.raises(SystemExit) as stopped:
        load("intake", environ={"MOTCUA_ENV": "prod"})
    assert str(stopped.value.code) == "motcua: setting MOTCUA_ENV='prod' is invalid: expected development or production"


def test_development_checks_nothing():
    assert problems("intake", {}) == [] and problems("intake", {"MOTCUA_ENV": "development"}) == []


def test_an_invalid_secret_is_refused_without_its_value():
    with pytest.raises(SystemExit) as stopped:
        load("intake", spec_of("intake").settings, environ={"INTAKE_ID_ENCRYPTION_KEY": "not-a-key-but-a-secret"})
    assert "INTAKE_ID_ENCRYPTION_KEY" in str(stopped.value.code) and "not-a-key" not in str(stopped.value.code)


def _run(service: str, command: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", f"motcua_{service}", command], capture_output=True, text=True,
                          timeout=60, cwd=tmp_path, env={"PATH": "/usr/bin:/bin", "MOTCUA_VAR_DIR": str(tmp_path),
                                                         "LOG_LEVEL": "WARNING", **env})


def test_a_real_worker_refuses_to_start_on_a_published_secret(tmp_path):
    env = {**good_env("intake"), "MOTCUA_JWT_SECRET": compose_default("MOTCUA_JWT_SECRET")}
    done = _run("intake", "worker", env, tmp_path)
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [
        "motcua: refusing to start with MOTCUA_ENV=production: MOTCUA_JWT_SECRET is a value published in the "
        "motcua repository (`make secrets` writes fresh values; see .env.example)"]


def test_the_real_console_refuses_to_start_without_its_secrets(tmp_path):
    env = good_env(CONSOLE)
    del env["CONSOLE_SECRET_KEY"], env["MOTCUA_ADMIN_PASSWORD"]
    done = _run(CONSOLE, "api", env, tmp_path)
    assert done.returncode != 0
    [line] = done.stderr.strip().splitlines()
    assert "CONSOLE_SECRET_KEY is not set" in line and "MOTCUA_ADMIN_PASSWORD is not set" in line


def test_a_real_api_with_a_good_production_configuration_starts_and_answers(tmp_path):
    port = free_port()
    env = {**good_env("intake"), "INTAKE_PORT": str(port), "INTAKE_WEB_WORKERS": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "motcua_intake", "api"], cwd=tmp_path, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env={"PATH": "/usr/bin:/bin", "MOTCUA_VAR_DIR": str(tmp_path),
                                                         "LOG_LEVEL": "WARNING", **env})
    try:
        def alive():
            if proc.poll() is not None:
                raise AssertionError(proc.stderr.read().decode())
            try:
                return urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).status == 200
            except OSError:
                return False

        assert wait_for(alive, what="the production API to answer /healthz")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
