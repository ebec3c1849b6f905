"""The seed's table imported (issue 17, "What must be shown"), through the real services: Sông Mã's
first five months of 2019 at 1:50 (1,332 dossiers, both mechanisms, resolved and in progress:
tests/motcua_testing/district_history.py) brought in with `python -m motcua_intake import FILE`. Biểu
06 for the district then gives exactly the article's table, scaled; nobody is sent an SMS or an e-mail,
the post is asked for no pickup and no deadline warning, escalation or apology is issued, while
routing's sweep runs every half second. The same file again changes nothing, nor does the same
dossiers' CSV form (as an old system exports them: all already imported). An imported dossier still
in progress is then finished by the province, dated in June 2019: it is counted resolved from then
on, still without a message to anyone."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime

import pika
import pytest

from motcua_shared.broker.catalogue import POSTAL_PICKUPS
from motcua_shared.events.catalogue.route import APOLOGY_ISSUED, DEADLINE_ESCALATED, DEADLINE_WARNED
from motcua_shared.reference import load_catalogue

from motcua_testing.district_history import VN, district_year, end_class, write_csv, write_jsonl
from motcua_testing.waiting import wait_for
from notification.support import Gateway, MailCatcher, sink_env
from routing.support import answer, open_step, published, route, steps_queue, take, wait_route

pytestmark = pytest.mark.timeout(300)
DISTRICT = "126"
SEED_PERIOD = ("2019-01-01", "2019-05-31")


def import_file(system, path) -> subprocess.CompletedProcess:
    """The intake CLI as an administrator runs it, on the system's own database settings."""
    return subprocess.run([sys.executable, "-m", "motcua_intake", "import", str(path), "--by", "admin-e2e"],
                          env={**os.environ, **system.env}, capture_output=True, text=True, timeout=240)


def summary(system, first: str, last: str) -> dict:
    answer_ = system.client("reporting").get(f"/api/v1/reports/summary?from={first}&to={last}&unit={DISTRICT}",
                                             headers=system.auth("leader", unit=DISTRICT))
    assert answer_.status_code == 200, answer_.get_json()
    return answer_.get_json()


def queued(amqp_url: str, queue: str) -> int:
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    try:
        return connection.channel().queue_declare(queue, passive=True).method.message_count
    finally:
        connection.close()


def assert_nobody_disturbed(system, gateway: Gateway, mail: MailCatcher, codes: set[str]) -> None:
    assert gateway.requests == [] and mail.mails == []
    assert [m["dossier_code"] for m in system.rows("notification", "messages")] == []
    assert not [s for s in system.rows("postal", "shipments") if s["dossier_code"] in codes]
    assert queued(system.amqp_url, POSTAL_PICKUPS) == 0
    for kind in (DEADLINE_WARNED, DEADLINE_ESCALATED, APOLOGY_ISSUED):
        assert published(system, kind) == [], kind


def test_the_seed_table_at_1_50_is_imported_and_counted_exactly_and_nobody_is_disturbed(system, tmp_path):
    history = district_year(50)
    expected, records = history.expected, history.records
    codes = {r["code"] for r in records}
    path = write_jsonl(records, tmp_path / "song-ma-2019-01-05.jsonl")

    gateway, mail = Gateway().start(), MailCatcher().start()
    try:
        system.env.update(sink_env(gateway, mail))  # real SMS and SMTP sinks: every message would land there
        steps_queue(system.amqp_url, "test.province-handler", "step.#")  # the test is the province plug-in
        system.start_workers("intake", "notification", "postal", "reporting")
        system.processes.start("routing-worker", "routing", "worker",
                               {"ROUTING_LOCAL_UNITS": "99", "ROUTING_SWEEP_SECONDS": "0.5"})

        started = time.monotonic()
        done = import_file(system, path)
        assert done.returncode == 0, done.stdout + done.stderr
        assert f"Đã nhập {len(records)} hồ sơ" in done.stdout, done.stdout
        imported_in = time.monotonic() - started

        def counted():
            figures = summary(system, *SEED_PERIOD)
            return figures if figures["received"]["total"] == len(records) == 1332 else None

        wait_for(counted, timeout=150, interval=0.5, what="reporting to count the 1,332 imported dossiers")
        wait_for(lambda: system.count("routing", "dossier_routes") == len(records), timeout=60, interval=0.5,
                 what="routing to record every imported route")
        counted_in = time.monotonic() - started
        # Biểu 06 for the district over the seed's period: the article's table, scaled, to the dossier.
        assert summary(system, *SEED_PERIOD) == expected
        assert expected["one_stop"]["resolved"]["total"] == 1327 and expected["one_stop"]["in_progress"]["total"] == 1
        assert expected["inter_agency"]["resolved"]["total"] == 3
        assert expected["inter_agency"]["in_progress"]["total"] == 1
        assert all(r["historical"] for r in system.rows("routing", "dossier_routes"))

        # The open steps went to the province (nothing else did), as live work; the sweeps had their time.
        in_progress = [r for r in records if r["processed_at"] is None and r["withdrawn_at"] is None]
        assigned = []

        def every_open_step_assigned() -> bool:
            assigned.extend(event for _, event in take(system.amqp_url, "test.province-handler"))
            return {e["subject"] for e in assigned} >= {r["code"] for r in in_progress}

        wait_for(every_open_step_assigned, timeout=30, what="the open steps of the dossiers in progress")
        assert sorted(e["subject"] for e in assigned) == sorted(r["code"] for r in in_progress)
        assert {e["type"] for e in assigned} == {"vn.motcua.routing.step.assigned"} and len(in_progress) == 2
        time.sleep(2)
        assert_nobody_disturbed(system, gateway, mail, codes)

        # The same file again: already imported, nothing changes.
        again = import_file(system, path)
        assert again.returncode == 0, again.stdout + again.stderr
        assert "đã được nhập" in again.stdout, again.stdout
        assert system.count("intake", "dossiers") == len(records) and system.count("intake", "imports") == 1
        # The same dossiers as the CSV an old one-stop system exports: every one is already there.
        as_csv = import_file(system, write_csv(records, tmp_path / "song-ma-2019-01-05.csv"))
        assert as_csv.returncode == 0, as_csv.stdout + as_csv.stderr
        assert f"0 cần nhập, {len(records)} đã có từ trước" in as_csv.stdout, as_csv.stdout
        assert system.count("intake", "dossiers") == len(records)
        time.sleep(1)
        assert summary(system, *SEED_PERIOD) == expected
        assert system.count("routing", "dossier_routes") == len(records)

        # The province finishes the inter-agency dossier still in progress, on Monday 3 June 2019.
        [record] = [r for r in in_progress if load_catalogue().get(r["procedure_code"]).inter_agency]
        code = record["code"]
        step = open_step(system, code)
        assert step is not None and step["unit"] == DISTRICT, step
        completed_at = datetime(2019, 6, 3, 7, 0, tzinfo=VN)
        answer(system, step["step_id"], code, completed_at=completed_at, handled_by="Phòng LĐ-TB&XH huyện Sông Mã")
        wait_route(system, code, "completed", timeout=60)
        assert route(system, code)["completed_at"] == completed_at
        intake = system.client("intake")
        desk = system.auth("admin", unit="14")

        def processed():
            body = intake.get(f"/api/v1/dossiers/{code}", headers=desk).get_json()
            return body if body["status"] == "processed" else None

        dossier = wait_for(processed, timeout=60, what="the desk to have the result")
        assert datetime.fromisoformat(dossier["processed_at"]) == completed_at
        kind = end_class(completed_at, datetime.fromisoformat(record["due_at"]), has_result=True)

        def june_counted():
            figures = summary(system, "2019-01-01", "2019-06-30")
            return figures if figures["inter_agency"]["resolved"]["total"] == 4 else None

        june = wait_for(june_counted, timeout=60, what="reporting to count the dossier resolved in June")
        assert june["inter_agency"]["in_progress"]["total"] == 0
        assert june["inter_agency"]["resolved"][kind] == expected["inter_agency"]["resolved"][kind] + 1
        assert june["resolved"]["total"] == expected["resolved"]["total"] + 1
        # On 31 May it was still in progress: the seed's table does not move.
        assert summary(system, *SEED_PERIOD) == expected

        time.sleep(2)  # what would follow from the result (a message, a shipment) has had its time
        assert_nobody_disturbed(system, gateway, mail, codes)
        print(f"\nimport of {len(records)} dossiers: CLI {imported_in:.1f} s, counted by routing and reporting "
              f"{counted_in:.1f} s after the start")
    finally:
        gateway.stop()
        mail.stop()
