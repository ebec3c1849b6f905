"""What one citizen account can do to a desk (issue 15, item 3), on intake's real PostgreSQL.

- At most INTAKE_CITIZEN_DAILY_LIMIT submissions per account and Vietnam day; beyond it 429
  `rate_limited` with Retry-After (seconds to the next local midnight), and nothing stored. The count is
  in the database, so concurrent submissions (threads racing on PostgreSQL) cannot slip past it.
- Citizens' own submissions are numbered 5001-9999, the desk's receptions 0001-5000: a flood of
  submissions can never stop the counter, and the desk's numbers stay consecutive.
"""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import pytest
from sqlalchemy import update

from motcua_shared.web.errors import RateLimited

from motcua_intake.citizen_limits import CitizenLimit
from motcua_intake.models import citizen_sequences

from intake.support import APPLICANT, IntakeDesk, dossier, token

OFFICER = token("receptionist", unit="04222")


def citizen(sub: str = "014090001234") -> dict:
    return token("citizen", sub=sub)


def submit(app: IntakeDesk, who: dict | None = None, **headers):
    # Đăng ký lại khai tử (1.005461) has an online service; the citizen submits it online.
    return app.client.post("/api/v1/dossiers", headers={**(who or citizen()), **headers},
                           json=dossier(procedure_code="1.005461", channel="online"))


def number(code: str) -> int:
    return int(code.rsplit("-", 1)[1])


@pytest.fixture
def limited(intake_database):
    app = IntakeDesk.on(intake_database, INTAKE_CITIZEN_DAILY_LIMIT="3")
    yield app
    app.close()


def test_beyond_the_daily_limit_a_citizen_gets_429_with_retry_after_and_nothing_is_stored(limited):
    assert [submit(limited).status_code for _ in range(3)] == [201, 201, 201]
    before = {table: limited.count(table) for table in ("dossiers", "dossier_history", "outbox")}

    refused = submit(limited)
    assert refused.status_code == 429 and refused.content_type == "application/problem+json"
    problem = refused.get_json()
    assert problem["code"] == "rate_limited" and problem["status"] == 429
    assert "3 hồ sơ trong một ngày" in problem["detail"]
    assert 1 <= int(refused.headers["Retry-After"]) <= 24 * 3600
    assert {table: limited.count(table) for table in before} == before  # nothing stored, no event

    # Another account, and the desk itself, are not limited by this one.
    assert submit(limited, citizen("014090005678")).status_code == 201
    assert limited.receive()["status"] == "received"


def test_a_retried_submission_answers_with_its_dossier_and_is_not_counted_again(limited):
    first = submit(limited, **{"Idempotency-Key": "retry-1"})
    assert first.status_code == 201
    again = [submit(limited, **{"Idempotency-Key": "retry-1"}) for _ in range(3)]
    assert {a.get_json()["code"] for a in again} == {first.get_json()["code"]}
    assert [submit(limited).status_code for _ in range(3)] == [201, 201, 429]  # one counted, two left


def test_concurrent_submissions_of_one_account_cannot_pass_the_limit_together(intake_database):
    app = IntakeDesk.on(intake_database, INTAKE_CITIZEN_DAILY_LIMIT="5")
    racers = 12
    barrier = threading.Barrier(racers)

    def race(_):
        client = app.app.test_client()
        barrier.wait()
        return client.post("/api/v1/dossiers", headers=citizen(),
                           json=dossier(procedure_code="1.005461", channel="online")).status_code

    try:
        with ThreadPoolExecutor(max_workers=racers) as pool:
            statuses = list(pool.map(race, range(racers)))
        assert sorted(statuses) == [201] * 5 + [429] * 7
        assert app.count("dossiers") == app.count("outbox") == 5
    finally:
        app.close()


def test_retry_after_counts_the_seconds_to_the_next_midnight_in_vietnam(desk):
    limit = CitizenLimit(1)
    with desk.runtime.sessions() as session:
        # 16:59:30 UTC on 07/12/2026 is 23:59:30 in Vietnam (UTC+7): 30 s to midnight.
        limit.admit(session, "citizen:a", datetime(2026, 12, 7, 16, 59, 30, tzinfo=timezone.utc))
        with pytest.raises(RateLimited) as refused:
            limit.admit(session, "citizen:a", datetime(2026, 12, 7, 16, 59, 30, tzinfo=timezone.utc))
        assert refused.value.retry_after == 30
        # 17:00 UTC is 00:00 on 08/12 in Vietnam: a new day with a new count, and a whole day to wait.
        limit.admit(session, "citizen:a", datetime(2026, 12, 7, 17, 0, tzinfo=timezone.utc))
        with pytest.raises(RateLimited) as refused:
            limit.admit(session, "citizen:a", datetime(2026, 12, 7, 17, 0, tzinfo=timezone.utc))
        assert refused.value.retry_after == 86400
        # 07:15:20 in Vietnam (00:15:20 UTC on 08/12): 16 h 44 min 40 s = 60280 s to midnight.
        limit.admit(session, "citizen:b", datetime(2026, 12, 8, 0, 15, 20, tzinfo=timezone.utc))
        with pytest.raises(RateLimited) as refused:
            limit.admit(session, "citizen:b", datetime(2026, 12, 8, 0, 15, 20, tzinfo=timezone.utc))
        assert refused.value.retry_after == 60280
        session.rollback()


def test_the_limit_is_a_setting_and_zero_turns_it_off(intake_database):
    app = IntakeDesk.on(intake_database, INTAKE_CITIZEN_DAILY_LIMIT="0")
    try:
        assert app.runtime.extras["desk"].settings.intake_citizen_daily_limit == 0
        assert [submit(app).status_code for _ in range(4)] == [201] * 4
    finally:
        app.close()
    default = IntakeDesk.on(intake_database)
    try:
        assert default.runtime.extras["desk"].settings.intake_citizen_daily_limit == 20
    finally:
        default.close()


def test_citizens_submissions_are_numbered_apart_and_the_desk_numbers_stay_consecutive(desk):
    codes = [desk.receive()["code"], submit(desk).get_json()["code"], desk.receive()["code"],
             submit(desk, citizen("014090005678")).get_json()["code"], desk.receive(status="submitted")["code"]]
    assert [number(code) for code in codes] == [1, 5001, 2, 5002, 3]
    assert len({code.rsplit("-", 1)[0] for code in codes}) == 1  # one desk, one day


def test_a_flood_of_submissions_can_fill_only_their_own_range_never_the_counter(desk):
    online = submit(desk).get_json()["code"]
    agency, day = "H52.04222", datetime.strptime(online.split("-")[1], "%y%m%d").date()
    with desk.runtime.engine.begin() as conn:  # as if 4997 more submissions came today: 5001 ... 9998 taken
        conn.execute(update(citizen_sequences).where(citizen_sequences.c.agency_id == agency,
                                                     citizen_sequences.c.day == day).values(last_value=4998))
    last = submit(desk, citizen("014090000001"))
    assert last.status_code == 201 and number(last.get_json()["code"]) == 9999
    full = submit(desk, citizen("014090000002"))
    assert full.status_code == 503 and full.get_json()["code"] == "daily_sequence_exhausted"
    assert full.content_type == "application/problem+json"
    # The counter still receives, from the desk's own first number.
    assert number(desk.receive()["code"]) == 1
    assert number(desk.receive(channel="postal", status="submitted")["code"]) == 2


def test_a_citizens_submission_keeps_its_code_through_the_desk_queue_acceptance_and_public_lookup(desk):
    code = submit(desk).get_json()["code"]
    queue = desk.client.get("/api/v1/dossiers", query_string={"status": "submitted"}, headers=OFFICER).get_json()
    assert code in [item["code"] for item in queue["items"]]
    accepted = desk.act(code, "acceptance")
    assert accepted.status_code == 200, accepted.get_json()
    assert accepted.get_json()["code"] == code and accepted.get_json()["status"] == "received"
    looked_up = desk.client.get(f"/api/v1/public/dossiers/{code}", query_string={"id_number": APPLICANT["id_number"]})
    assert looked_up.status_code == 200 and looked_up.get_json()["code"] == code
    assert number(desk.receive()["code"]) == 1  # accepting it took no number of the desk's


def test_a_citizens_typed_contact_goes_out_unconfirmed_until_a_desk_receives_the_dossier(desk):
    code = submit(desk).get_json()["code"]
    counter = desk.receive()["code"]
    postal_arrival = desk.receive(channel="postal", status="submitted")["code"]
    assert desk.act(code, "acceptance").status_code == 200
    confirmed = {(e["type"].rsplit(".", 1)[1], e["subject"]): e["data"]["applicant"]["confirmed"]
                 for e in desk.events()}
    assert confirmed == {("submitted", code): False,  # typed by the citizen: notification limits it
                         ("received", counter): True, ("submitted", postal_arrival): True,  # an officer's entry
                         ("received", code): True}  # the desk received it: vouched for
