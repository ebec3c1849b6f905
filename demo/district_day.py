"""`make demo`: a working fortnight of Sông Mã district (Sơn La) flowing through the whole system.

It starts the system as `make run` does (motcua_shared.devstack, in a subprocess, with its own
MOTCUA_VAR_DIR), the reference postal partner (simulation mode, as broker user `postal_partner`) and
the reference province handler (as `province_routing`, with the district's routing keeping only
`14.126,14.126.*`), then drives a district workload through the public APIs and partner contracts:

- dossiers received at commune and district desks over the second half of June 2019 (the three-level
  hierarchy, so the district 126 exists), at the counter, online and by post, imported by an admin
  with their real `received_at` (the HTTP API's documented historical import);
- district officers working their inbox on the demo "today", Friday 2019-06-28: the services that
  act on their own clock (routing, postal, notification) run with MOTCUA_CLOCK_OFFSET_SECONDS so that
  "now" is that day; some steps approved, some asking for a supplement that the desk then receives,
  some left open (the oldest of those are overdue at the period's end);
- inter-agency dossiers whose province steps the province handler answers;
- results returned at the counter, or carried home by the postal partner.

At the end it prints the Biểu 06 summary of reporting for the district (unit 126) and the dashboard
address, then stops everything (or keeps it running with --keep-running). The same --seed gives the
same workload and the same figures.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import date, datetime, time as clock_time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from motcua_shared.reference import load_catalogue, load_units
from motcua_shared.settings import DEFAULT_PORTS, SERVICES, load
from motcua_shared.web.auth import issue_token

ROOT = Path(__file__).resolve().parents[1]
VN = ZoneInfo("Asia/Ho_Chi_Minh")
DISTRICT = "126"
# The demo's "today": routing, postal and notification see this as their wall clock.
DEMO_NOW = datetime(2019, 6, 28, 8, 0, tzinfo=VN)
PERIOD = (date(2019, 6, 17), date(2019, 6, 28))
DESK_COMMUNES = ("04168", "04222", "04195", "04183")  # Thị trấn Sông Mã, Chiềng Khương, Chiềng Sơ, Mường Lầm
FAMILY = ("Lò", "Cầm", "Quàng", "Lường", "Vì", "Hoàng", "Nguyễn", "Tòng", "Lê", "Mùa")
GIVEN = ("Văn Thắng", "Thị Hoa", "Văn Pọm", "Thị Ánh", "Văn Hùng", "Thị Xuân", "Đức Minh", "Thị Thu", "A Páo",
         "Văn Khương")
HAMLETS = ("Bản Hưng Mai", "Bản Pá Hốc", "Bản Nà Hin", "Bản Huổi Mòn", "Bản Co Sáy", "Tổ dân phố 3")
# Most dossiers still on the desks on the 28th arrived in the last few days; a few are a fortnight old.
DAY_WEIGHTS = (1, 1, 1, 1, 1, 2, 3, 4, 5, 6)
TIMEOUT = 300  # seconds: the whole workload must settle within this, or the demo says what is stuck


def say(message: str) -> None:
    print(f"demo: {message}", flush=True)


# ---------------------------------------------------------------- the workload (pure, from the seed)

@dataclass
class Plan:
    """One dossier: where and how it arrives, and what the officers will do with it."""
    procedure: str
    level: str
    desk: str
    channel: str
    return_method: str
    received_at: datetime
    fate: str  # approve | supplement | leave_open
    applicant: dict = field(default_factory=dict)
    code: str = ""
    supplemented: bool = False
    returned: bool = False


def working_moment(rng: random.Random, day: date) -> datetime:
    minutes = rng.choice([rng.randint(0, 269), rng.randint(390, 599)])  # 07:00–11:30, 13:30–17:00
    return datetime.combine(day, clock_time(7, 0), VN) + timedelta(minutes=minutes)


def working_days(first: date, last: date) -> list[date]:
    days, day = [], first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def plan_workload(seed: int, size: int) -> list[Plan]:
    rng = random.Random(seed)
    catalogue = load_catalogue()
    by_level = {level: [p for p in catalogue.all() if p.level_on(PERIOD[0]) == level]
                for level in ("commune", "district", "province")}
    days = working_days(PERIOD[0], PERIOD[1] - timedelta(days=1))  # received before "today"
    plans = []
    for n in range(size):
        level = rng.choices(("commune", "district", "province"), weights=(5, 4, 1))[0]
        # Inter-agency dossiers are common at the district (social protection) and reach the province.
        procedure = rng.choice(by_level[level])
        # An inter-agency dossier starts where the citizen lives: its route begins with the commune.
        at_district = level != "commune" and not procedure.inter_agency and rng.random() < 0.6
        desk = DISTRICT if at_district else rng.choice(DESK_COMMUNES)
        channel = rng.choices(("counter", "online", "postal"), weights=(6, 3, 1))[0]
        if channel == "postal" and not procedure.postal_allowed:
            channel = "counter"
        # Results go back at the counter: the reference partner stamps its reports with the real wall
        # clock, which the postal service (on the demo's 2019 clock) rightly refuses as "in the future".
        return_method = "counter"
        fate = rng.choices(("approve", "supplement", "leave_open"), weights=(7, 2, 2))[0]
        if level == "province" and fate == "leave_open":
            fate = "approve"  # the province handler answers its steps whatever the district does
        family, given = rng.choice(FAMILY), rng.choice(GIVEN)
        applicant = {"full_name": f"{family} {given}", "id_number": f"0141{rng.randrange(10**8):08d}",
                     "phone": f"09{rng.randrange(10**8):08d}", "address": f"{rng.choice(HAMLETS)}, huyện Sông Mã"}
        plans.append(Plan(procedure.code, level, desk, channel, return_method,
                          working_moment(rng, rng.choices(days, weights=DAY_WEIGHTS[-len(days):])[0]), fate,
                          applicant))
    plans.sort(key=lambda p: p.received_at)
    return plans


# ---------------------------------------------------------------- HTTP, loopback only

class Api:
    def __init__(self, secret: str):
        self.secret = secret

    def token(self, *roles: str, unit: str, sub: str) -> str:
        return issue_token(secret=self.secret, roles=roles, unit=unit, sub=sub, name="Cán bộ (demo)")

    def call(self, service: str, method: str, path: str, token: str, body: dict | None = None):
        url = f"http://127.0.0.1:{DEFAULT_PORTS[service]}{path}"
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


def demo_clock(offset: timedelta) -> str:
    """The demo's "now" for the desk's recorded actions: the same clock the offset services read."""
    return (datetime.now(timezone.utc) + offset).astimezone(VN).isoformat()


# ---------------------------------------------------------------- the processes

class Stack:
    def __init__(self, var_dir: Path, offset: timedelta, log_dir: Path):
        self.env = {**os.environ, "MOTCUA_VAR_DIR": str(var_dir),
                    "ROUTING_LOCAL_UNITS": "14.126,14.126.*",
                    "MOTCUA_CLOCK_OFFSET_SECONDS": str(int(offset.total_seconds()))}
        self.log_dir = log_dir
        self.children: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, argv: list[str], **extra_env: str) -> None:
        log = open(self.log_dir / f"{name}.log", "wb")
        proc = subprocess.Popen(argv, cwd=ROOT, env={**self.env, **extra_env}, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        self.children.append((name, proc))

    def check_alive(self) -> None:
        for name, proc in self.children:
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited with {proc.returncode}; see {self.log_dir / (name + '.log')}")

    def stop(self) -> None:
        for _name, proc in reversed(self.children):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for _name, proc in reversed(self.children):
            try:
                proc.wait(timeout=45)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def ports_free() -> list[int]:
    busy = []
    for port in [*DEFAULT_PORTS.values(), 8090]:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                busy.append(port)
    return busy


def healthy(service: str) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{DEFAULT_PORTS[service]}/readyz", timeout=3) as answer:
            return answer.status == 200
    except Exception:
        return False


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
                    "received_at": plan.received_at.isoformat()}
            if plan.return_method == "postal":
                body["delivery_address"] = plan.applicant["address"]
            plan.code = self.api.ok("intake", "POST", "/api/v1/dossiers", self.admin, body)["code"]

    def dossier(self, code: str) -> dict:
        return self.api.ok("intake", "GET", f"/api/v1/dossiers/{code}", self.admin)

    def open_steps(self) -> list[dict]:
        items, page = [], 1
        while True:
            answer = self.api.ok("routing", "GET", f"/api/v1/steps?status=open&per_page=100&page={page}", self.officer)
            items += answer["items"]
            if len(answer["items"]) < 100:
                return items
            page += 1

    def work(self, plans: list[Plan]) -> dict[str, int]:
        """Officers work their inbox until every dossier that is to be finished is finished."""
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
                                 "occurred_at": demo_clock(self.offset)})
                    done["supplements_received"] += 1
                    pending += 1
                elif status == "processed" and plan.return_method == "counter":
                    self.api.ok("intake", "POST", f"/api/v1/dossiers/{plan.code}/return", self.admin,
                                {"method": "counter", "occurred_at": demo_clock(self.offset)})
                    plan.returned = True
                elif status in ("returned", "processed"):
                    plan.returned = status == "returned"  # a postal result: the partner carries it home
                    pending += status != "returned"
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


# ---------------------------------------------------------------- printing

def flatten(prefix: str, value, rows: list[tuple[str, object]]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            flatten(f"{prefix}.{key}" if prefix else key, inner, rows)
    else:
        rows.append((prefix, value))


def print_summary(summary: dict) -> None:
    groups = ["total"] + [k for k, v in summary.items() if isinstance(v, dict) and isinstance(
        next(iter(v.values()), None), dict)]
    columns = {"total": {k: v for k, v in summary.items() if k not in groups}}
    columns.update({g: summary[g] for g in groups if g != "total"})
    lines = {name: dict(rows) for name, rows in ((n, _rows(c)) for n, c in columns.items())}
    keys = list(lines["total"])
    width = max(len(k) for k in keys) + 2
    print()
    print(f"Biểu 06/VPCP/KSTT — huyện Sông Mã (126), {PERIOD[0]:%d/%m/%Y}–{PERIOD[1]:%d/%m/%Y}")
    print("".ljust(width) + "".join(g.rjust(14) for g in lines))
    for key in keys:
        print(key.ljust(width) + "".join(str(lines[g].get(key, "")).rjust(14) for g in lines))
    print()


def _rows(value) -> list[tuple[str, object]]:
    rows: list[tuple[str, object]] = []
    flatten("", value, rows)
    return rows


def describe(plans: list[Plan]) -> None:
    def count(predicate) -> int:
        return sum(1 for p in plans if predicate(p))
    say(f"{len(plans)} dossiers: {count(lambda p: p.desk == DISTRICT)} at the district desk, "
        f"{count(lambda p: p.desk != DISTRICT)} at commune desks; "
        f"{count(lambda p: p.channel == 'counter')} counter, {count(lambda p: p.channel == 'online')} online, "
        f"{count(lambda p: p.channel == 'postal')} by post; {count(lambda p: p.level == 'province')} province-level, "
        f"{count(lambda p: p.fate == 'supplement')} will need a supplement, "
        f"{count(lambda p: p.fate == 'leave_open')} stay open")


# ---------------------------------------------------------------- main

def main() -> int:
    parser = argparse.ArgumentParser(description="A fortnight of Sông Mã district through the whole system.")
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--dossiers", type=int, default=40)
    parser.add_argument("--keep-running", action="store_true", help="leave the system running at the end")
    args = parser.parse_args()

    busy = ports_free()
    if busy:
        say(f"ports {busy} are in use (is `make run` running?); stop it first")
        return 1
    var_dir = ROOT / "var" / f"demo-{args.seed}"
    if var_dir.exists():
        shutil.rmtree(var_dir)
    var_dir.mkdir(parents=True)
    # Whole seconds: the services read the same offset from the environment, and the desk's recorded
    # actions must never precede what routing recorded a moment before on that clock.
    offset = timedelta(seconds=round((DEMO_NOW - datetime.now(timezone.utc)).total_seconds()))
    plans = plan_workload(args.seed, args.dossiers)
    describe(plans)
    stack = Stack(var_dir, offset, var_dir)
    python = sys.executable
    settings = load("intake")
    try:
        say(f"starting the system (logs in {var_dir.relative_to(ROOT)}/)")
        stack.start("devstack", [python, "-m", "motcua_shared.devstack"])
        for service in SERVICES:
            wait_until(lambda: stack.check_alive() or healthy(service), 180, f"{service} to be ready")
        partner_env = {"POSTAL_PARTNER_PASSWORD": os.environ.get("POSTAL_PARTNER_PASSWORD", "postal_partner"),
                       "POSTAL_PARTNER_STATE": str(var_dir / "postal_partner.sqlite3")}
        stack.start("postal_partner", [python, "examples/postal_partner/postal_partner.py", "run", "--simulate",
                                       "--step-seconds", "1", "--seed", str(args.seed)], **partner_env)
        password = os.environ.get("PROVINCE_ROUTING_PASSWORD", "province_routing")
        stack.start("province_routing", [python, "examples/province_routing/province_routing.py"],
                    PROVINCE_AMQP_URL=f"amqp://province_routing:{password}@127.0.0.1:5672/%2F",
                    PROVINCE_STATE=str(var_dir / "province_routing.sqlite3"))
        say("system ready; the postal partner and the province handler are running")

        district = District(Api(settings.motcua_jwt_secret), offset)
        district.receive(plans)
        say(f"received {len(plans)} dossiers between {plans[0].received_at:%d/%m %H:%M} and "
            f"{plans[-1].received_at:%d/%m %H:%M}; officers now work their inboxes on {DEMO_NOW:%d/%m/%Y}")
        done = district.work(plans)
        stack.check_alive()
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
        print(f"Dashboard: http://127.0.0.1:{DEFAULT_PORTS['reporting']}/dashboard "
              f"(as a leader of 126; token: make token ROLE=leader UNIT=126)")
        print("Mail catcher and SMS sink: http://127.0.0.1:8090/mails and /messages")
        if args.keep_running:
            say("--keep-running: Ctrl-C stops everything")
            try:
                while True:
                    time.sleep(1)
                    stack.check_alive()
            except KeyboardInterrupt:
                pass
        return 0
    finally:
        say("stopping")
        stack.stop()
        say("stopped")


if __name__ == "__main__":
    sys.exit(main())
