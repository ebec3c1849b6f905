"""`make demo`: a working fortnight of Sông Mã district (Sơn La) flowing through the whole system.

It starts the system as `make run` does (motcua_shared.devstack, in a subprocess, with its own
MOTCUA_VAR_DIR), the reference postal partner (simulation mode, as broker user `postal_partner`, on the
demo's clock) and the reference province handler (as `province_routing`, with the district's routing
keeping only `14.126,14.126.*`), then drives a district workload through the public APIs and partner
contracts:

- dossiers received at commune and district desks over the second half of June 2019 (the three-level
  hierarchy, so the district 126 exists), at the counter, online and by post, imported by an admin
  with their real `received_at` (the HTTP API's documented historical import);
- district officers working their inbox on the demo "today", Friday 2019-06-28: the services and the
  postal partner run with a clock offset so that "now" is that day; some steps approved, some asking
  for a supplement that the desk then receives, some left open (the oldest of those are overdue at the
  period's end);
- inter-agency dossiers whose province steps the province handler answers, among them at least one
  liên thông death registration (1.010915) that climbs commune → district → province;
- results returned at the counter, or carried home by the postal partner.

At the end it prints the Biểu 06 summary of reporting for the district (unit 126), the results
returned, and checks every figure against what it expects from its own plan (`expectations`): a
difference is printed and the demo exits with status 3. The same --seed gives the same workload and
the same figures. --var-dir, --vhost and --port-base let several runs (or a test) share one machine
and one broker.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pika

from motcua_shared.broker.admin import default_admin
from motcua_shared.broker.permissions import Permission
from motcua_shared.devstack import PASSWORDS_FILE, read_passwords
from motcua_shared.settings import DEFAULT_PORTS, SERVICES, load
from motcua_shared.web.auth import issue_token

# The demo's own modules, beside this script (its directory is first on sys.path).
from expectations import differences, expected_returns, expected_summary
from workload import DEMO_NOW, DISTRICT, PERIOD, VN, WORK_WINDOW, Plan, plan_workload

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 300  # seconds: the whole workload must settle within this, or the demo says what is stuck
SELF_CHECK_FAILED = 3


def say(message: str) -> None:
    print(f"demo: {message}", flush=True)


# ---------------------------------------------------------------- HTTP, loopback only

class Api:
    def __init__(self, secret: str, ports: dict[str, int]):
        self.secret, self.ports = secret, ports

    def token(self, *roles: str, unit: str, sub: str) -> str:
        return issue_token(secret=self.secret, roles=roles, unit=unit, sub=sub, name="Cán bộ (demo)")

    def call(self, service: str, method: str, path: str, token: str, body: dict | None = None):
        url = f"http://127.0.0.1:{self.ports[service]}{path}"
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
        request = urllib.request.Request(url, data=data, method=method, headers={
            "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status, json.loads(answer.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def ok(self, service: str, method: str, path: str, token: str, body: dict | None = None):
        status, answer = self.call(service, method, path, token, body)
        if status >= 300:
            raise RuntimeError(f"{method} {service}{path} answered {status}: {answer}")
        return answer


def wait_until(predicate, timeout: float, what: str, every: float = 1.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise TimeoutError(f"gave up waiting for {what} after {timeout:.0f} s")


def demo_clock(offset: timedelta) -> datetime:
    """The demo's "now": the same clock the offset services and the postal partner read."""
    return (datetime.now(timezone.utc) + offset).astimezone(VN)


# ---------------------------------------------------------------- the processes

class Ports:
    """Where everything listens: the defaults of `make run`, or all moved by --port-base."""

    def __init__(self, base: int | None):
        if base is None:
            self.services, self.sinks, self.smtp = dict(DEFAULT_PORTS), 8090, None
        else:
            self.services = {s: base + n for n, s in enumerate(SERVICES, start=1)}
            self.sinks, self.smtp = base + 90, base + 25

    def all(self) -> list[int]:
        return [*self.services.values(), self.sinks] + ([self.smtp] if self.smtp else [])

    def environment(self) -> dict[str, str]:
        if self.smtp is None:
            return {}
        env = {f"{s.upper()}_PORT": str(p) for s, p in self.services.items()}
        # Setting the providers makes devstack leave the sinks to us (started on these ports below).
        env.update(MOTCUA_PUBLIC_BASE_URL=f"http://127.0.0.1:{self.services['intake']}", SMTP_HOST="127.0.0.1",
                   SMTP_PORT=str(self.smtp), SMS_GATEWAY_URL=f"http://127.0.0.1:{self.sinks}/send")
        return env


class Stack:
    def __init__(self, env: dict[str, str], log_dir: Path):
        self.env = env
        self.log_dir = log_dir
        self.children: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, argv: list[str], **extra_env: str) -> None:
        with open(self.log_dir / f"{name}.log", "wb") as log:
            proc = subprocess.Popen(argv, cwd=ROOT, env={**self.env, **extra_env}, stdout=log,
                                    stderr=subprocess.STDOUT, start_new_session=True)
        self.children.append((name, proc))

    def check_alive(self) -> None:
        for name, proc in self.children:
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited with {proc.returncode}; see {self.log_dir / (name + '.log')}")

    def stop(self) -> None:
        # Ctrl-C, as on `make run` in a terminal: SIGINT to each child's whole process group. gunicorn
        # stops at once on it, where SIGTERM would wait out its graceful timeout for idle workers.
        for _name, proc in reversed(self.children):
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGINT)
                except ProcessLookupError:
                    pass
        for _name, proc in reversed(self.children):
            try:
                proc.wait(timeout=45)
            except subprocess.TimeoutExpired:
                pass
            # Each child leads its own session: whatever it left behind (a gunicorn worker that
            # outlived its master) goes with it, so a run never leaves a process on the machine.
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()


def busy_ports(ports: list[int]) -> list[int]:
    busy = []
    for port in ports:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                busy.append(port)
    return busy


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=3) as answer:
            return answer.status == 200
    except Exception:
        return False


def with_vhost(url: str, vhost: str, user: str | None = None, password: str | None = None) -> str:
    """The same broker as `url`, on `vhost`, optionally as another user."""
    parts = urllib.parse.urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)[-1]
    if user is not None:
        netloc = f"{urllib.parse.quote(user, safe='')}:{urllib.parse.quote(password or '', safe='')}@{netloc}"
    elif "@" in parts.netloc:
        netloc = f"{parts.netloc.rsplit('@', 1)[0]}@{netloc}"
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc, path="/" + urllib.parse.quote(vhost, safe="")))


def prepare_vhost(amqp_url: str, vhost: str) -> None:
    """Create the vhost (if missing) and let the services' broker user configure it, as a fresh `make run`
    on a new vhost needs. Idempotent: a test fixture may have made it already."""
    creds = pika.URLParameters(amqp_url).credentials
    admin = default_admin(os.environ.get("RABBITMQ_MANAGEMENT_URL", ""), creds.username, creds.password)
    admin.add_vhost(vhost)
    admin.set_permissions(vhost, Permission(creds.username, ".*", ".*", ".*"))


# ---------------------------------------------------------------- the day

class District:
    def __init__(self, api: Api, offset: timedelta):
        self.api, self.offset = api, offset
        self.admin = api.token("admin", unit="14", sub="demo-admin")
        self.officer = api.token("specialist", "leader", unit=DISTRICT, sub="demo-officer-126")
        self.leader = api.token("leader", unit=DISTRICT, sub="demo-leader-126")

    def receive(self, plans: list[Plan]) -> None:
        for plan in plans:
            body = {"procedure_code": plan.procedure, "channel": plan.channel, "receiving_unit": plan.desk,
                    "return_method": plan.return_method, "applicant": plan.applicant,
                    "documents": [{"name": "Tờ khai theo mẫu", "copy_type": "original", "count": 1}],
                    "received_at": plan.received_at.isoformat(),
                    # Live on the demo's clock: entered with their reception time, acted on like any dossier.
                    "historical": False}
            if plan.return_method == "postal":
                body["delivery_address"] = plan.applicant["address"]
            plan.code = self.api.ok("intake", "POST", "/api/v1/dossiers", self.admin, body)["code"]

    def dossier(self, code: str) -> dict:
        return self.api.ok("intake", "GET", f"/api/v1/dossiers/{code}", self.admin)

    def open_steps(self) -> list[dict]:
        items, page = [], 1
        while True:
            answer = self.api.ok("routing", "GET", f"/api/v1/steps?status=open&page_size=100&page={page}", self.officer)
            items += answer["items"]
            if len(answer["items"]) < 100:
                return items
            page += 1

    def work(self, plans: list[Plan]) -> dict[str, int]:
        """Officers work their inbox until every dossier that is to be finished is back with its citizen."""
        fate = {p.code: p for p in plans}
        done = {"approved": 0, "supplement_required": 0, "supplements_received": 0}
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            for step in self.open_steps():
                plan = fate.get(step["dossier_code"])
                if plan is None or plan.fate == "leave_open":
                    continue
                outcome = "supplement_required" if plan.fate == "supplement" and not plan.supplemented else "approved"
                status, _ = self.api.call("routing", "POST", f"/api/v1/steps/{step['step_id']}/claim", self.officer)
                if status >= 300:
                    continue  # not claimable any more (e.g. closed meanwhile): the next round sees it
                body = {"outcome": outcome}
                if outcome == "supplement_required":
                    body["note"] = "Đề nghị bổ sung bản sao giấy tờ tùy thân còn hiệu lực."
                    plan.supplemented = True
                self.api.ok("routing", "POST", f"/api/v1/steps/{step['step_id']}/complete", self.officer, body)
                done[outcome] += 1
            pending = 0
            for plan in plans:
                if plan.fate == "leave_open" or plan.returned:
                    continue
                status = self.dossier(plan.code)["status"]
                if status == "supplement_required":
                    self.api.ok("intake", "POST", f"/api/v1/dossiers/{plan.code}/supplement", self.admin,
                                {"note": "Công dân đã nộp bổ sung tại bộ phận một cửa.",
                                 "occurred_at": demo_clock(self.offset).isoformat()})
                    done["supplements_received"] += 1
                    pending += 1
                elif status == "processed" and plan.return_method == "counter":
                    self.api.ok("intake", "POST", f"/api/v1/dossiers/{plan.code}/return", self.admin,
                                {"method": "counter", "occurred_at": demo_clock(self.offset).isoformat()})
                    plan.returned = True
                elif status == "returned":
                    plan.returned = True  # a postal result: the partner delivered it
                else:
                    pending += 1
            if pending == 0:
                return done
            time.sleep(1.0)
        stuck = [p.code for p in plans if p.fate != "leave_open" and not p.returned]
        raise TimeoutError(f"dossiers still unfinished after {TIMEOUT} s: {', '.join(stuck)}")

    def summary(self) -> dict:
        return self.api.ok("reporting", "GET", f"/api/v1/reports/summary?from={PERIOD[0]}&to={PERIOD[1]}"
                           f"&unit={DISTRICT}", self.leader)

    def returns(self, plans: list[Plan]) -> dict[str, int]:
        """How the results went home, as intake records it (returned_by of each dossier)."""
        counted = {"counter": 0, "postal": 0}
        for plan in plans:
            found = self.dossier(plan.code)
            if found["status"] == "returned":
                counted[found["returned_by"]] = counted.get(found["returned_by"], 0) + 1
        return counted

    def postal_results(self) -> list[dict]:
        """The result shipments of the district's desks, as postal (fed by the partner) records them."""
        return self.api.ok("postal", "GET", "/api/v1/shipments?direction=result_to_citizen&page_size=100",
                           self.leader)["items"]


# ---------------------------------------------------------------- printing

def _rows(value, prefix: str = "") -> list[tuple[str, object]]:
    if not isinstance(value, dict):
        return [(prefix, value)]
    rows = []
    for key, inner in value.items():
        rows += _rows(inner, f"{prefix}.{key}" if prefix else key)
    return rows


def print_summary(summary: dict) -> None:
    groups = ["total"] + [k for k, v in summary.items() if isinstance(v, dict) and isinstance(
        next(iter(v.values()), None), dict)]
    columns = {"total": {k: v for k, v in summary.items() if k not in groups}}
    columns.update({g: summary[g] for g in groups if g != "total"})
    lines = {name: dict(_rows(column)) for name, column in columns.items()}
    keys = list(lines["total"])
    width = max(len(k) for k in keys) + 2
    print()
    print(f"Biểu 06/VPCP/KSTT — huyện Sông Mã (126), {PERIOD[0]:%d/%m/%Y}–{PERIOD[1]:%d/%m/%Y}")
    print("".ljust(width) + "".join(g.rjust(14) for g in lines))
    for key in keys:
        print(key.ljust(width) + "".join(str(lines[g].get(key, "")).rjust(14) for g in lines))
    print()


def print_postal(shipments: list[dict]) -> None:
    print(f"Kết quả chuyển phát qua bưu chính (result shipments): {len(shipments)}")
    for item in sorted(shipments, key=lambda s: s["dossier_code"]):
        print(f"  {item['dossier_code']}  {item['status']:<9}  {item['status_label']}")
    print()


def describe(plans: list[Plan]) -> None:
    def count(predicate) -> int:
        return sum(1 for p in plans if predicate(p))
    say(f"{len(plans)} dossiers: {count(lambda p: p.desk == DISTRICT)} at the district desk, "
        f"{count(lambda p: p.desk != DISTRICT)} at commune desks; "
        f"{count(lambda p: p.channel == 'counter')} counter, {count(lambda p: p.channel == 'online')} online, "
        f"{count(lambda p: p.channel == 'postal')} by post; {count(lambda p: p.level == 'province')} province-level, "
        f"{count(lambda p: p.inter_agency)} inter-agency ({count(lambda p: p.climbs)} through commune, district "
        f"and province); {count(lambda p: p.fate == 'supplement')} will need a "
        f"supplement, {count(lambda p: p.fate == 'leave_open')} stay open; "
        f"{count(lambda p: p.return_method == 'postal')} want the result by post")


def self_check(district: District, plans: list[Plan], summary: dict, shipments: list[dict]) -> list[str]:
    """Every printed figure against what the plan implies; an empty list when they all agree."""
    problems = differences(expected_summary(plans), summary)
    wanted = expected_returns(plans)
    problems += [f"returned.{line}" for line in differences(wanted, district.returns(plans))]
    delivered = sum(s["status"] == "delivered" for s in shipments)
    if delivered != wanted["postal"] or len(shipments) != wanted["postal"]:
        problems.append(f"postal result shipments: expected {wanted['postal']} delivered, got {delivered} "
                        f"delivered of {len(shipments)}")
    return problems


# ---------------------------------------------------------------- main

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="A fortnight of Sông Mã district through the whole system.")
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--dossiers", type=int, default=40)
    parser.add_argument("--keep-running", action="store_true", help="leave the system running at the end")
    parser.add_argument("--var-dir", type=Path, default=None,
                        help="where the databases, partner state and logs go (default var/demo-<seed>); "
                             "emptied first")
    parser.add_argument("--vhost", default=None,
                        help="run on this RabbitMQ vhost (created if missing) instead of AMQP_URL's, so a run "
                             "does not meet another system on the same broker")
    parser.add_argument("--port-base", type=int, default=None,
                        help="listen on BASE+1..BASE+5 (the services), BASE+25 (SMTP sink) and BASE+90 (SMS "
                             "sink) instead of 8001–8005, 1025 and 8090")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    ports = Ports(args.port_base)
    busy = busy_ports(ports.all())
    if busy:
        say(f"ports {busy} are in use (is `make run` running?); stop it first or choose --port-base")
        return 1
    var_dir = (args.var_dir or ROOT / "var" / f"demo-{args.seed}").resolve()
    if var_dir.exists():
        shutil.rmtree(var_dir)
    var_dir.mkdir(parents=True)
    amqp_url = load("intake").amqp_url
    if args.vhost:
        prepare_vhost(amqp_url, args.vhost)
        amqp_url = with_vhost(amqp_url, args.vhost)
    vhost = args.vhost or urllib.parse.unquote(pika.URLParameters(amqp_url).virtual_host)
    # Whole seconds: the services and the partner read the same offset, and the desk's recorded
    # actions must never precede what routing recorded a moment before on that clock.
    offset = timedelta(seconds=round((DEMO_NOW - datetime.now(timezone.utc)).total_seconds()))
    plans = plan_workload(args.seed, args.dossiers)
    describe(plans)
    env = {**os.environ, "MOTCUA_VAR_DIR": str(var_dir), "AMQP_URL": amqp_url,
           "ROUTING_LOCAL_UNITS": "14.126,14.126.*",
           "MOTCUA_CLOCK_OFFSET_SECONDS": str(int(offset.total_seconds())), **ports.environment()}
    stack = Stack(env, var_dir)
    python = sys.executable
    settings = load("intake", environ=env)
    started = time.monotonic()
    try:
        say(f"starting the system (vhost {vhost!r}, logs in {var_dir}/)")
        if ports.smtp is not None:
            stack.start("devsinks", [python, "-m", "motcua_notification.devsinks", "--smtp-port", str(ports.smtp),
                                     "--http-port", str(ports.sinks)])
        stack.start("devstack", [python, "-m", "motcua_shared.devstack"])
        for service in SERVICES:
            wait_until(lambda: stack.check_alive() or healthy(ports.services[service]), 180,
                       f"{service} to be ready (see {var_dir / 'devstack.log'})")
        # The partners' broker passwords: the variables when set, else those `make run` generated.
        generated = read_passwords(var_dir / PASSWORDS_FILE)
        partner_password = os.environ.get("POSTAL_PARTNER_PASSWORD") or generated.get("POSTAL_PARTNER_PASSWORD", "")
        stack.start("postal_partner", [python, "examples/postal_partner/postal_partner.py",
                                       "--clock-offset", str(int(offset.total_seconds())), "run", "--simulate",
                                       "--step-seconds", "1", "--seed", str(args.seed)],
                    POSTAL_PARTNER_AMQP_URL=with_vhost(amqp_url, vhost, "postal_partner", partner_password),
                    POSTAL_PARTNER_PASSWORD="", POSTAL_PARTNER_STATE=str(var_dir / "postal_partner.sqlite3"))
        password = os.environ.get("PROVINCE_ROUTING_PASSWORD") or generated.get("PROVINCE_ROUTING_PASSWORD", "")
        stack.start("province_routing", [python, "examples/province_routing/province_routing.py"],
                    PROVINCE_AMQP_URL=with_vhost(amqp_url, vhost, "province_routing", password),
                    PROVINCE_STATE=str(var_dir / "province_routing.sqlite3"))
        say(f"system ready after {time.monotonic() - started:.0f} s; the postal partner (on the demo's clock) and "
            f"the province handler are running")

        district = District(Api(settings.motcua_jwt_secret, ports.services), offset)
        district.receive(plans)
        say(f"received {len(plans)} dossiers between {plans[0].received_at:%d/%m %H:%M} and "
            f"{plans[-1].received_at:%d/%m %H:%M}; officers now work their inboxes on {DEMO_NOW:%d/%m/%Y}")
        done = district.work(plans)
        stack.check_alive()
        if demo_clock(offset) > DEMO_NOW + WORK_WINDOW:
            raise RuntimeError(f"the day's work outlasted {WORK_WINDOW} of demo time: the expected table no "
                               f"longer holds")
        say(f"steps approved: {done['approved']}, supplements asked: {done['supplement_required']}, "
            f"supplements received at the desk: {done['supplements_received']}")
        province_log = (var_dir / "province_routing.log").read_text(encoding="utf-8", errors="replace")
        say(f"province handler answered {sum(' INFO step S-' in line for line in province_log.splitlines())} "
            f"province steps")
        expected = len(plans)
        summary = wait_until(lambda: (lambda s: s if s.get("received", {}).get("total") == expected and
                                      s.get("resolved", {}).get("total") == sum(p.fate != "leave_open" for p in plans)
                                      else None)(district.summary()),
                             120, "reporting to count every dossier")
        print_summary(summary)
        shipments = district.postal_results()
        print_postal(shipments)
        problems = self_check(district, plans, summary, shipments)
        returns = expected_returns(plans)
        if problems:
            say("SELF-CHECK FAILED: the services disagree with what the demo drove:")
            for line in problems:
                print(f"  {line}")
        else:
            say(f"self-check passed: every Biểu 06 figure (total, one_stop, inter_agency) and the results "
                f"returned ({returns['counter']} at the counter, {returns['postal']} delivered by post) match "
                f"the plan")
        print(f"Dashboard: http://127.0.0.1:{ports.services['reporting']}/dashboard "
              f"(as a leader of 126; token: make token ROLE=leader UNIT=126)")
        print(f"Mail catcher and SMS sink: http://127.0.0.1:{ports.sinks}/mails and /messages")
        say(f"the day took {time.monotonic() - started:.0f} s")
        if args.keep_running:
            say("--keep-running: Ctrl-C stops everything")
            try:
                while True:
                    time.sleep(1)
                    stack.check_alive()
            except KeyboardInterrupt:
                pass
        return SELF_CHECK_FAILED if problems else 0
    finally:
        say("stopping")
        stopping = time.monotonic()
        stack.stop()
        say(f"stopped in {time.monotonic() - stopping:.0f} s")


if __name__ == "__main__":
    # A SIGTERM (a CI job cancelled, `kill`) must still stop every child: leave through main's `finally`.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    sys.exit(main())
