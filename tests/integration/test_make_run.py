"""`make run`'s launcher: the whole system on SQLite under var/, started and stopped as users do, and the
partners' quick starts (examples/*/README.md) run on it as written."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import urllib.parse

import pika
import pytest
import requests

from motcua_shared.broker.permissions import all_permissions, password_variable
from motcua_shared.devstack import PASSWORDS_FILE
from motcua_shared.events.catalogue.dossier import DOSSIER_RECEIVED
from motcua_shared.settings import SERVICES

from motcua_testing import quickstart
from motcua_testing.ports import free_port
from motcua_testing.system import TEST_SECRET, System
from motcua_testing.waiting import wait_for

# make run sets the broker users' passwords (fresh ones under var/), which other tests rely on.
pytestmark = pytest.mark.serial


def test_it_exits_at_once_with_one_line_when_the_broker_is_unreachable(tmp_path):
    result = subprocess.run([sys.executable, "-m", "motcua_shared.devstack"], capture_output=True, text=True,
                            timeout=30, cwd=tmp_path,
                            env={**os.environ, "AMQP_URL": "amqp://guest:guest@127.0.0.1:1/%2F"})
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "cannot reach RabbitMQ" in lines[0] and "rabbitmq-server -detached" in lines[0]
    assert "guest:guest" not in lines[0]  # no password in the message


def test_the_whole_system_runs_on_sqlite_and_stops_cleanly(broker, vhost, tmp_path):
    ports = {service: free_port() for service in (*SERVICES, "console")}
    env = {**os.environ, "AMQP_URL": broker.url_for(vhost), "MOTCUA_JWT_SECRET": TEST_SECRET,
           "MOTCUA_VAR_DIR": str(tmp_path / "var"), "CONSUMER_RETRY_DELAYS": "0.5",
           **{f"{s.upper()}_PORT": str(p) for s, p in ports.items()},
           **{f"{s.upper()}_WEB_WORKERS": "1" for s in ports},
           **{f"CONSOLE_{s.upper()}_URL": f"http://127.0.0.1:{ports[s]}" for s in SERVICES}}
    env.pop("INTAKE_DATABASE_URL", None)
    env.pop("MOTCUA_ADMIN_PASSWORD", None)
    # The development proxy on a port of this test's own; the services learn its address from make run.
    proxy_port = free_port()
    env["MOTCUA_DEV_PROXY_PORT"] = str(proxy_port)
    env.pop("MOTCUA_PUBLIC_BASE_URL", None)
    # Broker users are broker-wide: left to itself `make run` would give them random passwords
    # (tests/unit/test_devstack_passwords.py) under suites running side by side on this broker, which
    # give them their names (test_broker_permissions.py). The same values here keep them all working,
    # kept where `make run` keeps the passwords it generates: the partners' quick starts read them there.
    (tmp_path / "var").mkdir()
    passwords = tmp_path / "var" / PASSWORDS_FILE
    passwords.write_text("".join(f"{password_variable(p.user)}={p.user}\n" for p in all_permissions()))
    passwords.chmod(0o600)
    for permission in all_permissions():
        env.pop(password_variable(permission.user), None)
    env.update(quickstart.run_variables())  # what the quick starts put before `make run` (ROUTING_LOCAL_UNITS)
    log = open(tmp_path / "run.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "motcua_shared.devstack"], env=env, cwd=tmp_path,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        for service, port in ports.items():
            # Eleven processes and the dev sinks start at once on two cores: allow for a busy machine.
            wait_for(lambda: _ready(port), timeout=120, what=f"{service} to be ready")
        token = System.token("receptionist", unit="04222")
        answer = requests.post(f"http://127.0.0.1:{ports['intake']}/api/v1/dossiers", timeout=10,
                               headers={"Authorization": f"Bearer {token}"}, json={
            "procedure_code": "1.004873", "channel": "counter", "receiving_unit": "04222",
            "applicant": {"full_name": "Lò Thị Mai", "id_number": "014090001235"}, "return_method": "counter"})
        assert answer.status_code == 201, answer.text
        # Every link starts with the one public address, and works there: the receipt through the proxy.
        receipt_url = answer.json()["receipt_url"]
        assert receipt_url.startswith(f"http://127.0.0.1:{proxy_port}/api/v1/dossiers/"), receipt_url
        receipt = requests.get(receipt_url, headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert receipt.status_code == 200 and answer.json()["code"] in receipt.text
        leader = {"Authorization": f"Bearer {System.token('leader', unit='126')}"}
        wait_for(lambda: requests.get(f"http://127.0.0.1:{ports['reporting']}/api/v1/reports/event-counts",
                                      headers=leader, timeout=5).json()["by_type"].get(DOSSIER_RECEIVED) == 1,
                 timeout=30, what="reporting to count the dossier")
        assert (tmp_path / "var" / "intake.db").exists()
        _the_printed_administrator_signs_in_to_the_console(ports["console"], (tmp_path / "run.log"))
        _the_partners_quick_starts_work_as_written(proxy_port, broker.url_for(vhost), tmp_path)
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        code = proc.wait(timeout=60)
        log.close()
    output = (tmp_path / "run.log").read_text()
    assert code == 0, output[-3000:]
    assert "motcua: stopped" in output


def _the_printed_administrator_signs_in_to_the_console(port: int, log_path) -> None:
    """docs/contracts.md §7: `make run` generates the first administrator's password and prints it once."""
    printed = re.search(r"username admin, password (\S+)", log_path.read_text())
    assert printed, "make run printed no console administrator password"
    browser = requests.Session()
    base = f"http://127.0.0.1:{port}"
    form = browser.get(f"{base}/dang-nhap", timeout=10).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    answer = browser.post(f"{base}/dang-nhap", data={"username": "admin", "password": printed.group(1),
                                                     "csrf_token": token}, allow_redirects=False, timeout=10)
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/doi-mat-khau"), answer.text[:500]


def _the_partners_quick_starts_work_as_written(proxy_port: int, amqp_url: str, tmp_path) -> None:
    """examples/province_routing and examples/postal_partner: each README's quick start, its own blocks
    run in order from the repository's root against this run (motcua_testing.quickstart), until its
    check prints the documented outcome; every message the example published is the published
    contract's event (docs/events/schemas), exactly. Here rather than apart: starting `make run` is
    the expensive part."""
    params = pika.URLParameters(amqp_url)
    where = dict(proxy_port=proxy_port, var_dir=tmp_path / "var", work_dir=tmp_path, jwt_secret=TEST_SECRET,
                 amqp_address=f"{params.host}:{params.port}/{urllib.parse.quote(params.virtual_host, safe='')}")

    transcript = quickstart.run("province_routing", **where)
    assert "handling steps step.14 on queue province-routing.steps" in transcript, transcript[-3000:]
    answers = quickstart.published(tmp_path / "var" / "province_routing.sqlite3",
                                   "SELECT answer FROM steps WHERE answer IS NOT NULL", "vn.motcua.routing.step.completed")
    assert answers and {answer["data"]["outcome"] for answer in answers} == {"approved"}

    transcript = quickstart.run("postal_partner", **where)
    assert "partner_started queue=postal.pickups" in transcript, transcript[-3000:]
    reports = quickstart.published(tmp_path / "var" / "postal_partner.sqlite3", "SELECT body FROM reports",
                                   "vn.motcua.postal.status.reported")
    assert [report["data"]["status"] for report in reports] == ["accepted", "picked_up", "delivered"]


def _ready(port: int) -> bool:
    try:
        return requests.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200
    except requests.RequestException:
        return False
