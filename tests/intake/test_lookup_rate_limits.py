"""The public lookup's rate limits (lookup_limits.py), on intake's real PostgreSQL: per client address,
per dossier code across clients, counted in the database so separate processes share one limit, and
never an oracle: a wrong identity number and an unknown code are answered and limited alike."""
from __future__ import annotations

import re
import time

from sqlalchemy import select

from intake.support import APPLICANT, IntakeDesk

RIGHT, WRONG = APPLICANT["id_number"], "014090009999"
ALICE, BOB = "203.0.113.7", "198.51.100.9"


def on(database_url: str, **env) -> IntakeDesk:
    return IntakeDesk.on(database_url, **{key.upper(): str(value) for key, value in env.items()})


def lookup(desk: IntakeDesk, code: str, id_number: str = WRONG, address: str = ALICE, **headers):
    return desk.client.get(f"/api/v1/public/dossiers/{code}", query_string={"id_number": id_number},
                           environ_overrides={"REMOTE_ADDR": address}, headers=headers)


def page(desk: IntakeDesk, code: str, id_number: str = WRONG, address: str = ALICE):
    return desk.client.post("/tra-cuu", data={"code": code, "id_number": id_number},
                            environ_overrides={"REMOTE_ADDR": address})


def unknown(code: str) -> str:
    return code[:-4] + "0999"


def assert_limited(answer, window: int) -> None:
    assert answer.status_code == 429, answer.get_data(as_text=True)[:300]
    assert 1 <= int(answer.headers["Retry-After"]) <= window
    if answer.content_type == "application/problem+json":
        problem = answer.get_json()
        assert problem["code"] == "rate_limited" and problem["status"] == 429
        assert "thử lại sau" in problem["detail"]


def start_of_window(length: int) -> None:
    """Wait, if need be, until the current window has time left for a burst of requests to fall into it."""
    while length - time.time() % length < min(5.0, length * 2 / 3):
        time.sleep(0.05)


def test_a_client_over_its_limit_gets_429_with_retry_after_and_another_client_is_unaffected(intake_database):
    desk = on(intake_database, intake_lookup_client_limit=3)
    try:
        code = desk.receive()["code"]
        start_of_window(60)
        assert [lookup(desk, code).status_code for _ in range(2)] == [404, 404]
        assert page(desk, code).status_code == 404  # the page counts against the same limit
        assert_limited(lookup(desk, code, RIGHT), 60)  # even the right number: the client is over
        limited_page = page(desk, code, RIGHT)
        assert_limited(limited_page, 60)
        assert "Bạn đã tra cứu quá nhiều lần" in limited_page.get_data(as_text=True)
        assert RIGHT not in limited_page.get_data(as_text=True)
        assert lookup(desk, code, RIGHT, address=BOB).status_code == 200
        assert lookup(desk, code, RIGHT, address="2001:db8:1:2::5").status_code == 200
    finally:
        desk.close()


def test_the_window_resets_and_old_windows_are_purged(intake_database):
    desk = on(intake_database, intake_lookup_client_limit=2, intake_lookup_client_window_seconds=2,
              intake_lookup_code_window_seconds=2)
    try:
        code = desk.receive()["code"]
        start_of_window(2)
        assert [lookup(desk, code, RIGHT).status_code for _ in range(2)] == [200, 200]
        limited = lookup(desk, code, RIGHT)
        assert_limited(limited, 2)
        time.sleep(int(limited.headers["Retry-After"]) + 0.05)
        assert lookup(desk, code, RIGHT).status_code == 200
        table = desk.runtime.spec.metadata.tables["lookup_counters"]
        with desk.runtime.engine.connect() as conn:
            windows_before = set(conn.execute(select(table.c.window_start)).scalars())
        assert len(windows_before) == 2  # the spent window and the current one
        time.sleep(2.1)
        fresh = on(intake_database, intake_lookup_client_window_seconds=2, intake_lookup_code_window_seconds=2)
        try:  # a new process purges on its first lookup
            assert lookup(fresh, code, RIGHT).status_code == 200
            with fresh.runtime.engine.connect() as conn:
                windows_after = set(conn.execute(select(table.c.window_start)).scalars())
            assert len(windows_after) == 1 and not windows_after & windows_before
        finally:
            fresh.close()
    finally:
        desk.close()


def test_a_code_cannot_be_guessed_from_many_addresses_but_its_owner_is_never_locked_out(intake_database):
    desk = on(intake_database, intake_lookup_code_failure_limit=3)
    try:
        code = desk.receive()["code"]
        other = desk.receive()["code"]
        for _ in range(5):  # the citizen's own lookups give their count back
            assert lookup(desk, code, RIGHT).status_code == 200
        guesses = [lookup(desk, code, f"0140900{n:05d}", address=f"192.0.2.{n}").status_code for n in range(1, 5)]
        assert guesses == [404, 404, 404, 429]
        # Locked for everyone now, the right number too: otherwise a 200 would mark the guess that hit.
        assert_limited(lookup(desk, code, RIGHT, address=BOB), 900)
        assert page(desk, code, RIGHT, address=BOB).status_code == 429
        assert lookup(desk, other, RIGHT, address=BOB).status_code == 200  # other dossiers unaffected
    finally:
        desk.close()


def test_a_wrong_number_looks_exactly_like_an_unknown_code_also_when_limited(intake_database):
    desk = on(intake_database, intake_lookup_code_failure_limit=2)
    try:
        code = desk.receive()["code"]
        answers = {}
        for name, target in (("wrong", code), ("unknown", unknown(code))):
            answers[name] = [lookup(desk, target, WRONG, address=f"192.0.2.{n}") for n in range(1, 4)]
        for wrong, missing in zip(answers["wrong"], answers["unknown"]):
            assert wrong.status_code == missing.status_code
            assert set(wrong.headers.keys()) == set(missing.headers.keys())
            # Only the seconds left may differ, by the tick of the clock between the two requests.
            assert re.sub(rb"\d+", b"N", wrong.data) == re.sub(rb"\d+", b"N", missing.data)
        assert [a.status_code for a in answers["wrong"]] == [404, 404, 429]
        assert answers["wrong"][0].data == answers["unknown"][0].data  # the 404s are byte-identical
    finally:
        desk.close()


def test_a_client_limited_on_a_real_code_gets_the_same_answer_as_on_an_unknown_one(intake_database):
    desk = on(intake_database, intake_lookup_client_limit=2)
    try:
        code = desk.receive()["code"]
        start_of_window(60)
        lookup(desk, code), lookup(desk, code)
        real, missing = lookup(desk, code), lookup(desk, unknown(code))
        assert real.status_code == missing.status_code == 429
        assert re.sub(rb"\d+", b"N", real.data) == re.sub(rb"\d+", b"N", missing.data)
    finally:
        desk.close()


def test_two_processes_on_one_database_share_the_limit(intake_database):
    """Two create_app on the same database are what two gunicorn workers are: one counter between them."""
    first = on(intake_database, intake_lookup_client_limit=4)
    second = on(intake_database, intake_lookup_client_limit=4)
    try:
        code = first.receive()["code"]
        start_of_window(60)
        statuses = [lookup(desk, code, RIGHT).status_code for desk in (first, second, first, second)]
        assert statuses == [200, 200, 200, 200]
        assert_limited(lookup(first, code, RIGHT), 60)
        assert_limited(lookup(second, code, RIGHT), 60)
    finally:
        first.close()
        second.close()


def test_forwarded_for_counts_only_behind_a_trusted_proxy(intake_database):
    direct = on(intake_database, intake_lookup_client_limit=2)
    proxied = on(intake_database, intake_lookup_client_limit=2, intake_trusted_proxies=1)
    try:
        code = direct.receive()["code"]
        start_of_window(60)
        # Without a trusted proxy a client cannot escape its limit by inventing X-Forwarded-For.
        spoofed = [lookup(direct, code, address="10.0.0.5", **{"X-Forwarded-For": f"198.51.100.{n}"}).status_code
                   for n in range(3)]
        assert spoofed == [404, 404, 429]
        # Behind one proxy (10.0.0.1) the address it appended is the client.
        behind = [lookup(proxied, code, address="10.0.0.1", **{"X-Forwarded-For": f"1.1.1.1, 203.0.113.{n % 2}"})
                  .status_code for n in range(4)]
        assert behind == [404, 404, 404, 404]
        assert lookup(proxied, code, address="10.0.0.1", **{"X-Forwarded-For": "203.0.113.0"}).status_code == 429
    finally:
        direct.close()
        proxied.close()
