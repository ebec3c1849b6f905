#!/usr/bin/env python
"""How long the console's pages take while 20 officers work at once.

    .venv/bin/python benchmarks/console_pages.py [--officers 20] [--seconds 30] [--max-requests 300]
                                                 [--dossiers 40] [--web-workers N] [--json]

A live system of its own (tests/browser/live.py with served_by="gunicorn"): a fresh vhost on the local
RabbitMQ and fresh databases on the local PostgreSQL, the five real workers, and the five APIs and the
console each as its own gunicorn process (`python -m motcua_<name> api`, sync workers, the shipped
<NAME>_WEB_WORKERS = 2 unless --web-workers), talking over loopback HTTP as deployed. `--dossiers`
dossiers of commune 04222 are received through intake's API and their first steps reach routing's
work inbox before the clock starts.

Then `--officers` threads, each an officer of 04222 signed in through the real sign-in form with its
own httpx client (its own cookies and connection): half receptionists (start page /quay), half
specialists (start page /cong-viec, the inbox). Each, in turn and without pause, opens its start page,
a dossier's page (/ho-so/<code>), a search (/ho-so?q=<name>) and, for specialists, the inbox's "Của
tôi" tab. Each stops after --seconds or --max-requests, whichever comes first, so the run ends by
itself. Printed: per page and overall, the number of requests, p50 and p95 (milliseconds), answers
other than 200, pages per second, and the load average before and after (the machine's cores are
shared with the client threads and every process of the system).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser.live import PASSWORD, LiveSystem  # noqa: E402
from intake.support import dossier  # noqa: E402

UNIT = "04222"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
NAMES = ("Lò Văn Hùng", "Cầm Thị Lan", "Quàng Văn Dũng", "Lường Thị Xuân", "Hà Văn Minh", "Tòng Thị Ngọc")


def seed(live: LiveSystem, count: int) -> list[tuple[str, str]]:
    """(code, applicant's name) of `count` dossiers received at the commune, once their steps are open."""
    made = []
    for i in range(count):
        body = dossier()
        name = NAMES[i % len(NAMES)]
        body["applicant"].update(full_name=name, id_number=f"0140900{i:05d}")
        answer = live.call("intake", "POST", "/api/v1/dossiers", "receptionist", unit=UNIT, json=body)
        if answer.status_code != 201:
            raise SystemExit(f"intake refused a dossier: {answer.text}")
        made.append((answer.json()["code"], name))
    deadline = time.monotonic() + 120
    while True:
        answer = live.call("routing", "GET", "/api/v1/steps?status=open&per_page=100", "specialist", unit=UNIT)
        if answer.status_code == 200 and answer.json().get("total", 0) >= count:
            return made
        if time.monotonic() > deadline:
            raise SystemExit("the dossiers' steps never all reached the work inbox")
        time.sleep(0.5)


class Officer(threading.Thread):
    def __init__(self, base: str, username: str, role: str, dossiers: list, seconds: float, max_requests: int,
                 start: threading.Event):
        super().__init__(name=username, daemon=True)
        self.base, self.username, self.role = base, username, role
        self.dossiers, self.seconds, self.max_requests, self.start_event = dossiers, seconds, max_requests, start
        self.timings: list[tuple[str, float, int]] = []  # (page, seconds, status)
        self.error: str | None = None
        self.client = httpx.Client(base_url=base, timeout=30, follow_redirects=False)
        self.offset = int(username.rsplit("-", 1)[1]) * 7  # officers start on different dossiers

    def sign_in(self) -> None:
        token = CSRF.search(self.client.get("/dang-nhap").text).group(1)
        answer = self.client.post("/dang-nhap", data={"username": self.username, "password": PASSWORD,
                                                      "csrf_token": token})
        if answer.status_code != 303:
            raise SystemExit(f"{self.username} could not sign in: {answer.status_code}")

    def pages(self):
        i = 0
        while True:
            code, name = self.dossiers[(self.offset + i) % len(self.dossiers)]
            yield ("start page (/quay)" if self.role == "receptionist" else "start page (/cong-viec)",
                   "/quay" if self.role == "receptionist" else "/cong-viec")
            yield "dossier (/ho-so/<code>)", f"/ho-so/{code}"
            yield "search (/ho-so?q=)", f"/ho-so?q={name.split()[-1]}"
            if self.role == "specialist":
                yield "inbox, mine (/cong-viec?tab=mine)", "/cong-viec?tab=mine"
            i += 1

    def run(self) -> None:
        try:
            self.start_event.wait()
            stop = time.monotonic() + self.seconds
            for page, path in self.pages():
                if time.monotonic() >= stop or len(self.timings) >= self.max_requests:
                    break
                began = time.perf_counter()
                answer = self.client.get(path)
                self.timings.append((page, time.perf_counter() - began, answer.status_code))
        except Exception as exc:  # reported, not raised: the other officers go on
            self.error = f"{type(exc).__name__}: {exc}"
        finally:
            self.client.close()


def percentile(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def summarise(officers: list[Officer], elapsed: float) -> dict:
    rows = [t for o in officers for t in o.timings]
    by_page: dict[str, list[float]] = {}
    for page, seconds, _ in rows:
        by_page.setdefault(page, []).append(seconds)
    figures = {"pages": {}, "overall": {}}
    for page, values in sorted(by_page.items()):
        figures["pages"][page] = {"requests": len(values), "p50_ms": round(1000 * percentile(values, 50), 1),
                                  "p95_ms": round(1000 * percentile(values, 95), 1),
                                  "not_200": sum(1 for p, _, s in rows if p == page and s != 200)}
    everything = [seconds for _, seconds, _ in rows]
    if everything:
        figures["overall"] = {"requests": len(everything), "p50_ms": round(1000 * percentile(everything, 50), 1),
                              "p95_ms": round(1000 * percentile(everything, 95), 1),
                              "not_200": sum(1 for *_, s in rows if s != 200),
                              "pages_per_s": round(len(everything) / elapsed, 1)}
    figures["errors"] = [f"{o.username}: {o.error}" for o in officers if o.error]
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0, help="each officer stops after this long")
    parser.add_argument("--max-requests", type=int, default=300, help="... or after this many pages")
    parser.add_argument("--dossiers", type=int, default=40)
    parser.add_argument("--web-workers", type=int, default=None,
                        help="gunicorn workers per API and for the console (default: the shipped setting)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    from motcua_testing.databases import DatabaseFactory
    from motcua_testing.infra import find_broker, find_postgres

    broker = find_broker()
    postgres_url, postgres_container = find_postgres()
    factory = DatabaseFactory(postgres_url)
    with tempfile.TemporaryDirectory(prefix="motcua-bench-console-") as var_dir:
        live = LiveSystem(broker, factory, Path(var_dir), served_by="gunicorn", web_workers=args.web_workers)
        try:
            live.start()
            dossiers = seed(live, args.dossiers)
            go = threading.Event()
            officers = []
            for i in range(args.officers):
                role = "receptionist" if i % 2 == 0 else "specialist"
                username = f"bench-{role}-{i:02d}"
                live.console.account(username, role, unit=UNIT, name=NAMES[i % len(NAMES)])
                officer = Officer(live.console.url, username, role, dossiers, args.seconds, args.max_requests, go)
                officer.sign_in()
                officers.append(officer)
            load_before = os.getloadavg()
            for officer in officers:
                officer.start()
            began = time.monotonic()
            go.set()
            for officer in officers:
                officer.join(args.seconds + 60)
            elapsed = time.monotonic() - began
            load_after = os.getloadavg()
        finally:
            live.close()
            factory.close()
            for container in (broker.container, postgres_container):
                if container is not None:
                    container.stop()

    figures = summarise(officers, elapsed)
    figures.update(officers=args.officers, seconds=round(elapsed, 1), cpus=os.cpu_count(),
                   served_by="gunicorn (sync workers), console and APIs each its own process",
                   web_workers=args.web_workers or "shipped default (2)",
                   load_average_before=[round(x, 2) for x in load_before],
                   load_average_after=[round(x, 2) for x in load_after])
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
    else:
        print(f"{args.officers} officers for {elapsed:.1f} s on {os.cpu_count()} CPUs; console and APIs under "
              f"gunicorn, {figures['web_workers']} workers each")
        print(f"{'page':40} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8} {'not 200':>8}")
        for page, f in figures["pages"].items():
            print(f"{page:40} {f['requests']:>9} {f['p50_ms']:>8} {f['p95_ms']:>8} {f['not_200']:>8}")
        f = figures["overall"]
        if f:
            print(f"{'overall':40} {f['requests']:>9} {f['p50_ms']:>8} {f['p95_ms']:>8} {f['not_200']:>8}"
                  f"   ({f['pages_per_s']} pages/s)")
        print(f"load average (1, 5, 15 min) before {figures['load_average_before']}, "
              f"after {figures['load_average_after']}")
        for error in figures["errors"]:
            print(f"error: {error}")
    return 1 if figures["errors"] or not figures["overall"] or figures["overall"]["not_200"] else 0


if __name__ == "__main__":
    sys.exit(main())
