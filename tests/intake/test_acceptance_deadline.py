"""The desk's time limit for a dossier submitted online or by post: 8 working hours by default
(INTAKE_ACCEPTANCE_LIMIT_HOURS), counted from the submission with office hours (07:00-11:30,
13:30-17:00) and days off skipped; the queue shows the time left and the overdue; the sweep flags an
overdue submission once and never accepts it."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import update

from motcua_intake import acceptance
from motcua_intake.models import dossiers

from intake.support import IntakeDesk, at, dossier, token

CITIZEN = token("citizen", sub="014090001234")
OFFICER = token("receptionist", unit="04222")


def desk_of(app: IntakeDesk):
    return app.runtime.extras["desk"]


def submit_online(app: IntakeDesk) -> dict:
    answer = app.client.post("/api/v1/dossiers", headers=CITIZEN, json=dossier(
        procedure_code="1.005461", channel="online"))  # đăng ký lại khai tử: online (partial)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


@pytest.mark.parametrize("submitted,due", [
    # Mon 07/12/2026 16:00: 1 h that day (16:00-17:00), 7 h on Tue 08/12 (4 h 30 to 11:30, 2 h 30 from 13:30).
    ("2026-12-07 16:00", "2026-12-08 16:00"),
    # Fri 11/12 15:00: 2 h on Friday, 6 h on Mon 14/12 (4 h 30 in the morning, 1 h 30 from 13:30).
    ("2026-12-11 15:00", "2026-12-14 15:00"),
    # Sat 12/12 09:00 (no office): the whole of Mon 14/12, 07:00-17:00.
    ("2026-12-12 09:00", "2026-12-14 17:00"),
    # At lunch, Tue 08/12 12:00: counted from 13:30, 3 h 30 that afternoon, 4 h 30 on Wed 09/12 → 11:30.
    ("2026-12-08 12:00", "2026-12-09 11:30"),
    # Wed 29/04/2026 14:00: 3 h that day; Thu 30/4 and Fri 1/5 are holidays, then the weekend; 5 h on
    # Mon 04/05: 4 h 30 in the morning and 30 minutes from 13:30.
    ("2026-04-29 14:00", "2026-05-04 14:00"),
])
def test_the_limit_is_eight_working_hours_after_the_submission(desk, submitted, due):
    with desk.runtime.sessions() as session:
        calendar = desk_of(desk).calendars.calendar(session)
    assert acceptance.due_at(calendar, at(submitted), 8) == at(due)


def test_the_limit_is_a_setting(intake_database):
    app = IntakeDesk.on(intake_database, INTAKE_ACCEPTANCE_LIMIT_HOURS="4")
    try:
        assert desk_of(app).settings.intake_acceptance_limit_hours == 4
    finally:
        app.close()
    with pytest.raises(SystemExit, match="INTAKE_ACCEPTANCE_LIMIT_HOURS='0' is invalid"):
        IntakeDesk.on(intake_database, INTAKE_ACCEPTANCE_LIMIT_HOURS="0")


def test_an_online_submission_has_a_limit_a_counter_one_does_not(desk):
    online = submit_online(desk)
    counter = desk.receive(status="submitted")
    assert desk.detail(online["code"])["acceptance_due_at"] is not None
    assert desk.detail(counter["code"])["acceptance_due_at"] is None
    accepted = desk.act(online["code"], "acceptance").get_json()
    assert accepted["acceptance_overdue"] is False and accepted["acceptance_minutes_left"] is None


def _late(app: IntakeDesk, code: str, due: datetime) -> None:
    """The time limit passed: the clock of the test is the stored limit, set in the past."""
    with app.runtime.sessions.begin() as session:
        session.execute(update(dossiers).where(dossiers.c.code == code).values(acceptance_due_at=due))


def test_the_queue_shows_the_time_left_and_the_overdue(desk):
    waiting, late = submit_online(desk)["code"], submit_online(desk)["code"]
    _late(desk, late, datetime.now(timezone.utc) - timedelta(days=3))
    queue = desk.client.get("/api/v1/dossiers", query_string={"status": "submitted"}, headers=OFFICER).get_json()
    items = {item["code"]: item for item in queue["items"]}
    assert items[late]["acceptance_overdue"] is True and items[late]["acceptance_minutes_left"] < 0
    assert items[waiting]["acceptance_overdue"] is False
    assert 0 < items[waiting]["acceptance_minutes_left"] <= 8 * 60
    overdue = desk.client.get("/api/v1/dossiers", query_string={"acceptance_overdue": "true"}, headers=OFFICER)
    assert [item["code"] for item in overdue.get_json()["items"]] == [late]
    not_overdue = desk.client.get("/api/v1/dossiers", query_string={"acceptance_overdue": "false"}, headers=OFFICER)
    assert late not in [item["code"] for item in not_overdue.get_json()["items"]]
    bad = desk.client.get("/api/v1/dossiers", query_string={"acceptance_overdue": "maybe"}, headers=OFFICER)
    assert bad.status_code == 422 and bad.content_type == "application/problem+json"


def test_the_sweep_flags_an_overdue_submission_once_and_never_accepts_it(desk):
    late = submit_online(desk)["code"]
    waiting = submit_online(desk)["code"]
    # Stored limits stand for the passage of time: `late` was due at 14:00 on Mon 04/05/2026, the sweep
    # runs at 14:05 and again an hour later; `waiting` keeps the limit it got now, still ahead of both.
    due = at("2026-05-04 14:00")
    _late(desk, late, due)
    found = at("2026-05-04 14:05")
    with desk.runtime.sessions.begin() as session:
        assert acceptance.flag_overdue(session, desk_of(desk), found) == [late]
    with desk.runtime.sessions.begin() as session:
        assert acceptance.flag_overdue(session, desk_of(desk), found + timedelta(hours=1)) == []
    flagged = [e for e in desk.events() if e["type"] == "vn.motcua.dossier.acceptance_deadline_passed"]
    assert [e["subject"] for e in flagged] == [late]
    assert datetime.fromisoformat(flagged[0]["data"]["acceptance_due_at"]) == due
    assert datetime.fromisoformat(flagged[0]["data"]["found_at"]) == found
    assert flagged[0]["data"]["channel"] == "online" and flagged[0]["data"]["historical"] is False
    assert desk.detail(late)["status"] == "submitted" and desk.detail(waiting)["status"] == "submitted"


def test_a_postal_submission_s_limit_starts_when_the_post_brings_the_papers(desk):
    from motcua_shared.events.catalogue import shipment

    from intake.support import deliver

    answer = desk.client.post("/api/v1/dossiers", headers=CITIZEN, json=dossier(channel="postal"))
    assert answer.status_code == 201, answer.get_json()
    code = answer.get_json()["code"]
    assert desk.detail(code)["acceptance_due_at"] is None  # the papers are still with the post
    deliver(desk, shipment.SHIPMENT_PROGRESSED, {
        "shipment_id": "SHP-1", "dossier_code": code, "direction": "dossier_to_office", "status": "delivered",
        "occurred_at": at("2026-05-04 09:00").isoformat(), "tracking_number": "EB123456789VN"})
    # Delivered Mon 04/05/2026 09:00: 6 h that day (2 h 30 to 11:30, 3 h 30 from 13:30), 2 h on Tue 05/05.
    assert datetime.fromisoformat(desk.detail(code)["acceptance_due_at"]) == at("2026-05-05 09:00")
