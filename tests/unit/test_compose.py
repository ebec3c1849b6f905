"""docker-compose.yml, checked statically (no Docker engine runs on the test machines).

What a `docker compose up` would reveal only at run time is checked here against the code: every
command names a real package and CLI command, every variable is a declared setting, each service
gets its own database role and broker user, the ports are the pinned ones, everything waits for
the migrations, and the broker definitions on disk are exactly what the code generates.
"""
from __future__ import annotations

import base64
import fnmatch
import importlib
import importlib.util
import json
import os
import re
import subprocess
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import yaml

from motcua_shared import cli
from motcua_shared.broker import definitions as defs
from motcua_shared.broker.catalogue import system_topology
from motcua_shared.broker.permissions import all_permissions, password_variable, service_user
from motcua_shared.settings import CONSOLE, CONSOLE_PORT, DEFAULT_PORTS, SERVICES, declared, load

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
COMPOSE_TEXT = COMPOSE_FILE.read_text()
COMPOSE = yaml.safe_load(COMPOSE_TEXT)
DEFINITIONS_FILE = ROOT / "deploy" / "rabbitmq" / "definitions.json"
ENTRYPOINT = ROOT / "deploy" / "rabbitmq" / "docker-entrypoint.sh"
POSTGRES_INIT = ROOT / "deploy" / "postgres" / "init-databases.sh"

# Set on motcua containers without being a motcua setting: read by the server module itself.
NOT_SETTINGS = {"MOTCUA_BIND_HOST", "PROMETHEUS_MULTIPROC_DIR"}
# Names pinned by docs/contracts.md §6 for the notification providers; accepted on the notification
# containers even before motcua_notification.config declares them (then they are checked like any).
CONTRACT_PINNED = {"notification": {"SMTP_HOST", "SMTP_PORT", "SMTP_USERNAME", "SMTP_PASSWORD", "SMTP_STARTTLS",
                                    "MAIL_FROM", "SMS_GATEWAY_URL"},
                   "routing": {"ROUTING_LOCAL_UNITS"}}
PASSWORD_VARIABLES = {password_variable(p.user) for p in all_permissions()} | {defs.ADMIN_PASSWORD_VARIABLE}

# Every process with a database of its own: the five services and the officers' console (an API only).
WITH_DATABASE = (*SERVICES, CONSOLE)
# Generated and printed once by the console's seed when unset: no try-out value is published for it.
GENERATED_WHEN_UNSET = {"MOTCUA_ADMIN_PASSWORD"}

_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")


def _required_environment() -> dict[str, str]:
    """What `make secrets` and the README's install give compose: every required variable, set."""
    env = {name: f"{name.lower().replace('_', '-')}-0123456789abcdef0123456789abcdef"
           for name, op, _ in _VARIABLE.findall(COMPOSE_TEXT) if op in (":?", "?")}
    env.update(MOTCUA_PUBLIC_BASE_URL="https://motcua.example.gov.vn", SMTP_HOST="mail.example.gov.vn",
               SMS_GATEWAY_URL="https://sms.example.gov.vn/send",
               INTAKE_ID_ENCRYPTION_KEY=base64.urlsafe_b64encode(bytes(range(32))).decode())  # an AES-256 key
    return env


def interpolate(value, environ: dict[str, str] | None = None):
    """Compose's interpolation with the required variables set (or `environ`): what `docker compose up` sees."""
    env = REQUIRED_ENV if environ is None else environ
    if isinstance(value, dict):
        return {k: interpolate(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env) for v in value]
    if not isinstance(value, str):
        return value

    def one(match: re.Match) -> str:
        name, op, default = match.group(1), match.group(2), match.group(3) or ""
        current = env.get(name)
        if op == ":-":
            return current or default
        if op == "-":
            return default if current is None else current
        if op in (":?", "?"):
            assert current, f"${{{name}}} is required"
            return current
        return current or ""

    parts = value.split("$$")
    return "$".join(_VARIABLE.sub(one, part) for part in parts)


REQUIRED_ENV = _required_environment()


def services() -> dict[str, dict]:
    return COMPOSE["services"]


def service(name: str) -> dict:
    return interpolate(services()[name])


def command_text(svc: dict) -> str:
    command = svc.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def motcua_containers() -> dict[str, dict]:
    """The containers that run a motcua service (API, worker, migrate); not the try-out SMS sink,
    which runs the notification package's development sinks without any setting."""
    return {name: service(name) for name, svc in services().items()
            if "motcua_" in command_text(svc) and "devsinks" not in command_text(svc)}


def environment(svc: dict) -> dict[str, str]:
    env = svc.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: "" if v is None else str(v) for k, v in env.items()}


def config_settings(name: str) -> tuple:
    return tuple(getattr(importlib.import_module(f"motcua_{name}.config"), "SETTINGS", ()))


def declared_names(name: str) -> set[str]:
    return {s.name for s in declared(name, config_settings(name))}


# -- the file and its images -------------------------------------------------------------------
def test_the_stack_has_every_part_contracts_section_1_names():
    names = set(services())
    expected = {"rabbitmq", "postgres", "migrate", "mailpit", "sms-sink", "console-api", "proxy", "prometheus",
                "grafana"} | {f"{s}-{kind}" for s in SERVICES for kind in ("api", "worker")}
    assert names == expected
    # Tags with their digests (docs/releases.md); tests/unit/test_release.py checks every image is pinned.
    assert services()["rabbitmq"]["image"].startswith("rabbitmq:3.13-management@sha256:")
    assert services()["postgres"]["image"].startswith("postgres:16.")
    assert services()["mailpit"]["image"].startswith("axllent/mailpit:")


def test_every_build_context_and_dockerfile_exists_and_every_bind_mount_source_too():
    built = [svc for svc in services().values() if "build" in svc]
    assert len(built) == 2 * len(SERVICES) + 3  # APIs, workers, console, migrate, sms-sink: one image
    for svc in built:
        build = svc["build"]
        context = ROOT / build["context"]
        assert context.is_dir() and (context / build.get("dockerfile", "Dockerfile")).is_file()
        assert svc["image"] == "motcua:local"
    for name, svc in services().items():
        for volume in svc.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith("."):
                assert (ROOT / source).exists(), f"{name} mounts {source}, which does not exist"


def test_the_dockerfile_installs_the_lock_then_the_six_packages_and_runs_as_non_root():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim\b", dockerfile, re.M)
    assert re.search(r"pip install (\S+ )*-r requirements\.lock", dockerfile)
    install = re.search(r"pip install --no-deps ([^\n]*)", dockerfile.replace("\\\n", " ")).group(1)
    packages = set(re.findall(r"\./(shared|services/\w+)", install))
    assert packages == {"shared"} | {f"services/{s}" for s in WITH_DATABASE}
    users = re.findall(r"^USER (\S+)", dockerfile, re.M)
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    for source in re.findall(r"^COPY (\S+)", dockerfile, re.M):
        assert (ROOT / source).exists()
    # the build context keeps what the Dockerfile copies
    ignore = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
              if line.strip() and not line.startswith("#")]
    assert ignore[0] == "*" and {"!requirements.lock", "!shared", "!services"} <= set(ignore)


def _package_data_patterns(project: Path) -> list[str]:
    import tomllib

    config = tomllib.loads((project / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert config["packages"]["find"].get("namespaces", True), "data directories are found as namespace packages"
    return [pattern for patterns in config.get("package-data", {}).values() for pattern in patterns]


def _matches(relative: Path, pattern: str) -> bool:
    parts, wanted = relative.parts, Path(pattern).parts
    return len(parts) == len(wanted) and all(fnmatch.fnmatchcase(p, w) for p, w in zip(parts, wanted))


def test_the_image_gets_every_data_file_of_every_package():
    """The image installs the packages for real (not editable): a file that package-data does not
    name would be missing in the containers while every test run from the work tree passes."""
    projects = [ROOT / "shared"] + [ROOT / "services" / s for s in WITH_DATABASE]
    for project in projects:
        patterns = _package_data_patterns(project)
        for package in project.glob("motcua_*"):
            if not package.is_dir() or package.name.endswith(".egg-info"):
                continue
            for path in package.rglob("*"):
                if path.is_dir() or "__pycache__" in path.parts or path.suffix in {".py", ".pyc", ".md"}:
                    continue
                relative = path.relative_to(package)
                # package-data patterns apply relative to each (sub)package directory
                anchors = [relative.relative_to(parent) for parent in [Path(*relative.parts[:i])
                                                                       for i in range(len(relative.parts))]]
                assert any(_matches(a, p) for a in anchors for p in patterns), \
                    f"{path.relative_to(ROOT)} is not in {project.name}'s package-data: the image would lack it"


# -- commands ----------------------------------------------------------------------------------
def _cli_accepts(package: str, command: str) -> bool:
    with pytest.raises(SystemExit) as stopped:  # argparse answers before anything runs
        if package == f"motcua_{CONSOLE}":  # the console's own command line (accounts, no worker)
            importlib.import_module(f"{package}.__main__").main([command, "--help"])
        else:
            cli.main(importlib.import_module(f"{package}.service").SPEC, None, [command, "--help"])
    return stopped.value.code == 0


def test_every_motcua_command_names_an_existing_package_and_a_command_the_cli_accepts(capsys):
    seen = []
    for name, svc in motcua_containers().items():
        for package, command in re.findall(r"python -m (motcua_\w+) (\w+)", command_text(svc)):
            assert importlib.util.find_spec(package) is not None, f"{name}: no package {package}"
            assert package.removeprefix("motcua_") in WITH_DATABASE
            assert _cli_accepts(package, command), f"{name}: `{package} {command}` is not a CLI command"
            seen.append((name, package, command))
    capsys.readouterr()
    for s in SERVICES:
        assert (f"{s}-api", f"motcua_{s}", "api") in seen
        assert (f"{s}-worker", f"motcua_{s}", "worker") in seen
    migrate_steps = [(package, command) for name, package, command in seen if name == "migrate"]
    assert migrate_steps == [(f"motcua_{s}", step) for s in WITH_DATABASE for step in ("migrate", "seed")]
    assert ("console-api", f"motcua_{CONSOLE}", "api") in seen
    assert service("migrate")["command"][:2] == ["sh", "-ec"]  # the first failing step fails the container


def test_apis_and_workers_run_in_the_foreground_as_pid_1():
    for s in SERVICES:
        assert service(f"{s}-api")["command"] == ["python", "-m", f"motcua_{s}", "api"]
        assert service(f"{s}-worker")["command"] == ["python", "-m", f"motcua_{s}", "worker"]


# -- environment -------------------------------------------------------------------------------
def test_every_variable_on_a_motcua_container_is_a_declared_setting_and_parses():
    for name, svc in motcua_containers().items():
        env = environment(svc)
        owner = name.rsplit("-", 1)[0]
        if owner in WITH_DATABASE:
            allowed = declared_names(owner) | NOT_SETTINGS | CONTRACT_PINNED.get(owner, set())
            unknown = set(env) - allowed
            assert not unknown, f"{name} sets undeclared variables {sorted(unknown)}"
            load(owner, config_settings(owner), environ=env)  # a bad value would SystemExit
        else:  # migrate runs every service's commands, each reading only its own variables
            allowed = set().union(*(declared_names(s) for s in WITH_DATABASE)) | NOT_SETTINGS
            assert not set(env) - allowed, f"{name} sets undeclared variables {sorted(set(env) - allowed)}"
            for s in WITH_DATABASE:
                load(s, config_settings(s), environ=env)
        assert not set(env) & PASSWORD_VARIABLES, f"{name}: passwords belong in the URLs, not in variables"
        assert env.get("MOTCUA_BIND_HOST") == "0.0.0.0"


def test_no_motcua_container_falls_back_to_the_shared_guest_broker_url():
    for name, svc in motcua_containers().items():
        assert "AMQP_URL" not in environment(svc), name


def test_each_api_and_worker_has_only_its_own_database_url_on_its_own_database_and_role():
    postgres_env = environment(service("postgres"))
    for s in SERVICES:
        for kind in ("api", "worker"):
            env = environment(service(f"{s}-{kind}"))
            assert [k for k in env if k.endswith("_DATABASE_URL")] == [f"{s.upper()}_DATABASE_URL"]
            url = urllib.parse.urlsplit(env[f"{s.upper()}_DATABASE_URL"])
            assert url.scheme == "postgresql+psycopg"
            assert (url.username, url.hostname, url.port, url.path) == (s, "postgres", 5432, f"/{s}")
            assert urllib.parse.unquote(url.password) == postgres_env[f"{s.upper()}_DB_PASSWORD"]
    migrate_env = environment(service("migrate"))
    for s in SERVICES:
        assert migrate_env[f"{s.upper()}_DATABASE_URL"] == environment(service(f"{s}-api"))[f"{s.upper()}_DATABASE_URL"]
    assert not [k for k in migrate_env if k.endswith("_AMQP_URL")]  # migrations never touch the broker


def test_each_api_and_worker_logs_in_to_the_broker_as_its_own_user_on_the_motcua_vhost():
    broker_env = environment(service("rabbitmq"))
    for s in SERVICES:
        for kind in ("api", "worker"):
            env = environment(service(f"{s}-{kind}"))
            assert [k for k in env if k.endswith("_AMQP_URL")] == [f"{s.upper()}_AMQP_URL"]
            url = urllib.parse.urlsplit(env[f"{s.upper()}_AMQP_URL"])
            assert (url.scheme, url.hostname, url.port) == ("amqp", "rabbitmq", 5672)
            assert urllib.parse.unquote(url.username) == service_user(s)
            assert urllib.parse.unquote(url.path.lstrip("/")) == defs.VHOST
            assert urllib.parse.unquote(url.password) == broker_env[password_variable(service_user(s))]


def test_the_defaults_of_a_variable_agree_wherever_it_is_used():
    defaults: dict[str, set[str]] = {}
    for name, op, default in _VARIABLE.findall(COMPOSE_TEXT):
        defaults.setdefault(name, set()).add(f"{op}{default}")
    disagreeing = {name: values for name, values in defaults.items() if len(values) > 1}
    assert not disagreeing


def test_every_secret_comes_from_the_environment_without_a_default_and_is_documented():
    """No secret value is written in this file: compose stops, naming it, when one is unset (make secrets)."""
    header = COMPOSE_TEXT.split("\nname:", 1)[0]
    secrets = {name for name, _, _ in _VARIABLE.findall(COMPOSE_TEXT) if name.endswith(("_PASSWORD", "_SECRET"))}
    assert secrets >= PASSWORD_VARIABLES | {"MOTCUA_JWT_SECRET", "POSTGRES_PASSWORD"} | {
        f"{s.upper()}_DB_PASSWORD" for s in WITH_DATABASE}
    for name in secrets - {"SMTP_PASSWORD"}:  # an SMTP relay without AUTH has no password
        assert re.search(rf"\$\{{{name}:\?[^}}]+\}}", COMPOSE_TEXT), f"{name} must be required"
        assert not re.search(rf"\$\{{{name}:?-", COMPOSE_TEXT), f"{name} must have no default"
        assert re.search(rf"^#\s+{name}\b", header, re.M), f"{name} is not documented in the header"
    # the broker container gets every password its definitions need, and nothing else secret
    rendered_variables = set(defs.password_variables(DEFINITIONS_FILE.read_text()))
    assert set(environment(service("rabbitmq"))) == rendered_variables


def test_every_secret_setting_with_a_development_default_is_taken_from_the_environment():
    """A secret whose code default is a development value must be settable without editing the
    file, and be listed in its header, or a district would run on the value printed in the source."""
    header = COMPOSE_TEXT.split("\nname:", 1)[0]
    for s in WITH_DATABASE:
        for setting in declared(s, config_settings(s)):
            if setting.secret and setting.default:
                for kind in ("api",) if s == CONSOLE else ("api", "worker"):
                    raw = environment(services()[f"{s}-{kind}"])
                    assert re.fullmatch(rf"\$\{{{setting.name}:\?[^}}]+\}}", raw.get(setting.name, "")), \
                        f"{s}-{kind}: set {setting.name}: ${{{setting.name}:?...}}"
                assert re.search(rf"^#\s+{setting.name}\b", header, re.M), f"document {setting.name} in the header"


# -- ports, dependencies, health ---------------------------------------------------------------
def test_the_apis_listen_on_the_pinned_ports_behind_the_proxy_and_publish_none():
    """Reached only through the HTTPS proxy (tests/deploy/test_compose.py checks what is published), which
    sends each path to the compose service on its pinned port (docs/contracts.md §1, §7)."""
    from motcua_shared.proxy_map import UPSTREAMS

    for s in SERVICES:
        assert "ports" not in service(f"{s}-api") and "ports" not in service(f"{s}-worker")
        assert UPSTREAMS[s] == f"{s}-api:{DEFAULT_PORTS[s]}"
    assert "ports" not in service("console-api") and UPSTREAMS[CONSOLE] == f"console-api:{CONSOLE_PORT}"
    assert "ports" not in service("migrate") and "ports" not in service("postgres")


def test_every_api_and_worker_waits_for_the_migrations_and_the_broker():
    for s in SERVICES:
        for kind in ("api", "worker"):
            depends = service(f"{s}-{kind}")["depends_on"]
            assert depends["migrate"] == {"condition": "service_completed_successfully"}
            assert depends["rabbitmq"] == {"condition": "service_healthy"}
    assert service("migrate")["depends_on"]["postgres"] == {"condition": "service_healthy"}
    assert service("migrate")["restart"] == "no"


def test_health_checks():
    for s in SERVICES:
        api = service(f"{s}-api")["healthcheck"]["test"]
        assert api[:3] == ["CMD", "python", "-c"] and f"http://127.0.0.1:{DEFAULT_PORTS[s]}/healthz" in api[3]
        worker = service(f"{s}-worker")["healthcheck"]["test"]
        assert worker[:3] == ["CMD", "python", "-c"]
        compile(worker[3], "worker healthcheck", "exec")
        assert "/proc/1/cmdline" in worker[3] and ":1628" in worker[3]  # 0x1628 == 5672
    console = service("console-api")["healthcheck"]["test"]
    assert console[:3] == ["CMD", "python", "-c"] and f"http://127.0.0.1:{CONSOLE_PORT}/healthz" in console[3]
    for name in ("rabbitmq", "postgres", "sms-sink"):
        assert service(name)["healthcheck"]["test"]


def test_the_dev_profiles_sinks_take_what_the_readme_tells_a_trial_to_set():
    """README's trial: SMTP_HOST=mailpit SMTP_PORT=1025 SMS_GATEWAY_URL=http://sms-sink:8090/send."""
    env = environment(interpolate(services()["notification-worker"], {
        **REQUIRED_ENV, "SMTP_HOST": "mailpit", "SMTP_PORT": "1025", "SMS_GATEWAY_URL": "http://sms-sink:8090/send"}))
    assert env["SMTP_HOST"] == "mailpit" and env["SMTP_PORT"] == "1025"
    sms = urllib.parse.urlsplit(env["SMS_GATEWAY_URL"])
    sink_command = service("sms-sink")["command"]
    assert sms.hostname == "sms-sink" and sms.port == int(sink_command[sink_command.index("--http-port") + 1])
    assert sink_command[:3] == ["python", "-m", "motcua_notification.devsinks"]
    assert "1025:" not in str(service("mailpit").get("ports")) and service("mailpit")["profiles"] == ["dev"]
    assert environment(service("notification-api")) == environment(service("notification-worker"))
    depends = service("notification-worker")["depends_on"]
    assert {"migrate", "rabbitmq"} <= set(depends) and not {"mailpit", "sms-sink"} & set(depends)


# -- the broker --------------------------------------------------------------------------------
def test_the_committed_definitions_equal_a_fresh_generation():
    assert DEFINITIONS_FILE.read_text() == defs.dumps(defs.definitions()), \
        "run `make docs` (python -m motcua_shared.broker.definitions > deploy/rabbitmq/definitions.json)"


def test_the_definitions_hold_no_password_and_grant_exactly_the_catalogued_permissions():
    document = json.loads(DEFINITIONS_FILE.read_text())
    assert document["vhosts"] == [{"name": defs.VHOST}]
    for user in document["users"]:
        assert re.fullmatch(r"@hash\([A-Z0-9_]+\)@", user["password_hash"]), user["name"]
        assert "password" not in user and user["hashing_algorithm"] == "rabbit_password_hashing_sha256"
    grants = {(p["user"], p["configure"], p["write"], p["read"]) for p in document["permissions"]}
    assert grants == {(p.user, p.configure, p.write, p.read) for p in all_permissions()} | {
        (defs.ADMIN_USER, ".*", ".*", ".*")}
    assert {u["name"] for u in document["users"]} == {g[0] for g in grants}
    assert "guest" not in {u["name"] for u in document["users"]}
    assert {v for u in document["users"] for v in defs.password_variables(json.dumps(u))} == PASSWORD_VARIABLES


def test_the_definitions_declare_queues_exactly_as_the_code_does_and_policies_never_clash():
    document = json.loads(DEFINITIONS_FILE.read_text())
    delays = defs.default_retry_delays()
    topology = system_topology(delays)
    assert {q["name"]: q["arguments"] for q in document["queues"]} == {q.name: q.args for q in topology.queues}
    assert all(q["durable"] and not q["auto_delete"] for q in document["queues"])
    assert {(e["name"], e["type"]) for e in document["exchanges"]} == {(e.name, e.type) for e in topology.exchanges}
    assert {(b["source"], b["destination"], b["routing_key"]) for b in document["bindings"]} == {
        (b.exchange, b.queue, b.routing_key) for b in topology.bindings}
    # Routing's answers queue is declared by routing at start (its binding key is a setting), not here.
    answers = {"name": "routing.step-answers", "arguments": {"x-overflow": "reject-publish"}}
    policed: dict[str, str] = {}
    for policy in document["policies"]:
        matched = [q for q in [*document["queues"], answers] if re.search(policy["pattern"], q["name"])]
        assert matched
        for queue in matched:
            assert queue["name"] not in policed, f"{queue['name']}: {policed.get(queue['name'])} and {policy['name']}"
            policed[queue["name"]] = policy["name"]
            argument_keys = {k.removeprefix("x-") for k in queue["arguments"]}
            assert not argument_keys & set(policy["definition"]), (policy["name"], queue["name"])
            if "max-length" in policy["definition"]:  # never drop: only queues that refuse publishes
                overflow = queue["arguments"].get("x-overflow", policy["definition"].get("overflow"))
                assert overflow == "reject-publish", queue["name"]
    # Every queue that can fill up while nobody reads it is bounded: consumer queues and DLQs.
    unbounded = {q["name"] for q in document["queues"]} - set(policed)
    assert all(".retry." in name or name == "postal.pickups" for name in unbounded), unbounded
    assert {"routing.step-answers", "postal.partner-reports"} <= {
        name for name, policy in policed.items() if policy == "motcua-partner-queue-bounds"}


def test_the_broker_container_loads_the_rendered_definitions_at_boot():
    rabbitmq = service("rabbitmq")
    assert rabbitmq["entrypoint"] == ["bash", "/opt/motcua/rabbitmq/docker-entrypoint.sh"]
    assert "./deploy/rabbitmq:/opt/motcua/rabbitmq:ro" in rabbitmq["volumes"]
    assert any(v.startswith("./deploy/rabbitmq/rabbitmq.conf:/etc/rabbitmq/conf.d/") for v in rabbitmq["volumes"])
    conf = (ROOT / "deploy" / "rabbitmq" / "rabbitmq.conf").read_text()
    target = re.search(r"^load_definitions\s*=\s*(\S+)", conf, re.M).group(1)
    script = ENTRYPOINT.read_text()
    assert f"MOTCUA_DEFINITIONS_FILE:-{target}}}" in script
    assert "MOTCUA_DEFINITIONS_TEMPLATE:-/opt/motcua/rabbitmq/definitions.json}" in script
    assert re.search(r"^loopback_users\.guest\s*=\s*true$", conf, re.M)
    assert rabbitmq["hostname"] == "rabbitmq"


def _run_entrypoint(tmp_path: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    target = tmp_path / "definitions.json"
    return subprocess.run(["bash", str(ENTRYPOINT)], capture_output=True, text=True, timeout=60, env={
        "PATH": os.environ["PATH"], "MOTCUA_RENDER_ONLY": "1", "MOTCUA_DEFINITIONS_TEMPLATE": str(DEFINITIONS_FILE),
        "MOTCUA_DEFINITIONS_FILE": str(target), **env})


def test_the_broker_entrypoint_renders_rabbitmq_sha256_hashes_of_the_environment_passwords(tmp_path):
    passwords = {v: f"pw-{v.lower()}" for v in PASSWORD_VARIABLES}
    passwords["POSTAL_PARTNER_PASSWORD"] = "ünïcode \"quoted\" \\ / & $x"
    result = _run_entrypoint(tmp_path, passwords)
    assert result.returncode == 0, result.stderr
    rendered = json.loads((tmp_path / "definitions.json").read_text())
    variable_of = {u["name"]: defs.password_variables(u["password_hash"])[0]
                   for u in json.loads(DEFINITIONS_FILE.read_text())["users"]}
    for user in rendered["users"]:
        assert defs.check_password(passwords[variable_of[user["name"]]], user["password_hash"]), user["name"]
        assert not defs.check_password("wrong", user["password_hash"])
    assert {k: v for k, v in rendered.items() if k != "users"} == {
        k: v for k, v in json.loads(DEFINITIONS_FILE.read_text()).items() if k != "users"}
    assert oct((tmp_path / "definitions.json").stat().st_mode & 0o777) == "0o600"


def test_the_broker_entrypoint_refuses_to_start_without_a_password(tmp_path):
    passwords = {v: "x" for v in PASSWORD_VARIABLES - {"PROVINCE_ROUTING_PASSWORD"}}
    result = _run_entrypoint(tmp_path, passwords)
    assert result.returncode == 1 and "PROVINCE_ROUTING_PASSWORD" in result.stderr
    assert not (tmp_path / "definitions.json").exists()


def test_python_rendering_matches_rabbitmq_hashing():
    assert defs.password_hash("test12", salt=bytes.fromhex("908dc60a")) == \
        "kI3GCqW5JLMJa4iX1lo7X4D6XbYqlLgxIs30+P6tENUV2POR"  # rabbitmq access-control docs' example
    text = defs.render(defs.dumps(defs.definitions()), {v: v.lower() for v in PASSWORD_VARIABLES})
    for user in json.loads(text)["users"]:
        assert defs.check_password(defs._user_variable(user["name"]).lower(), user["password_hash"])
    with pytest.raises(SystemExit, match="POSTAL_PARTNER_PASSWORD"):
        defs.render(defs.dumps(defs.definitions()), {})


# -- PostgreSQL --------------------------------------------------------------------------------
def test_the_postgres_init_script_creates_exactly_one_role_and_database_per_service(tmp_path):
    postgres = service("postgres")
    assert "./deploy/postgres/init-databases.sh:/docker-entrypoint-initdb.d/10-motcua-databases.sh:ro" in \
        postgres["volumes"]
    env = environment(postgres)
    assert set(env) == {"POSTGRES_USER", "POSTGRES_DB", "POSTGRES_PASSWORD"} | {
        f"{s.upper()}_DB_PASSWORD" for s in WITH_DATABASE}
    # run it against a stand-in psql that records what it is asked
    fake = tmp_path / "bin"
    fake.mkdir()
    log = tmp_path / "psql.log"
    (fake / "psql").write_text(f'#!/usr/bin/env bash\n{{ printf "%s\\n" "$@"; cat; echo "--end--"; }} >> "{log}"\n')
    (fake / "psql").chmod(0o755)
    result = subprocess.run(["bash", str(POSTGRES_INIT)], capture_output=True, text=True, timeout=30,
                            env={"PATH": f"{fake}:{os.environ['PATH']}", **env})
    assert result.returncode == 0, result.stderr
    calls = log.read_text().split("--end--\n")[:-1]
    assert len(calls) == len(WITH_DATABASE)
    for call, s in zip(calls, WITH_DATABASE):
        assert f"--set=name={s}" in call and f"--set=password={env[f'{s.upper()}_DB_PASSWORD']}" in call
        assert "-v\nON_ERROR_STOP=1" in call
        assert 'CREATE ROLE :"name" LOGIN PASSWORD :\'password\';' in call
        assert 'CREATE DATABASE :"name" OWNER :"name"' in call
        assert 'REVOKE ALL ON DATABASE :"name" FROM PUBLIC;' in call
    # and refuses to run without a password
    env.pop("POSTAL_DB_PASSWORD")
    log.unlink()
    result = subprocess.run(["bash", str(POSTGRES_INIT)], capture_output=True, text=True, timeout=30,
                            env={"PATH": f"{fake}:{os.environ['PATH']}", **env})
    assert result.returncode != 0 and "POSTAL_DB_PASSWORD" in result.stderr
