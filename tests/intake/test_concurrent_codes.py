"""Fifty receptions at one desk at the same moment get fifty distinct, consecutive codes.

Real concurrency on real PostgreSQL: fifty threads, each with its own client, released together by a
barrier; the app's connection pool lets twenty transactions run at once, so the daily sequence row is
contended for real.
"""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from intake.support import dossier, token

SUBMISSIONS = 50


def test_fifty_concurrent_receptions_get_fifty_consecutive_numbers(desk):
    barrier = threading.Barrier(SUBMISSIONS)
    headers = token("receptionist", unit="04222")

    def receive(i: int):
        client = desk.app.test_client()
        body = dossier(applicant={"full_name": f"Công dân số {i}", "id_number": f"0140900{i:05d}"})
        barrier.wait()
        return client.post("/api/v1/dossiers", json=body, headers=headers)

    with ThreadPoolExecutor(max_workers=SUBMISSIONS) as pool:
        answers = list(pool.map(receive, range(SUBMISSIONS)))

    failures = [a.get_json() for a in answers if a.status_code != 201]
    assert not failures, failures
    codes = [a.get_json()["code"] for a in answers]
    prefixes = {code.rsplit("-", 1)[0] for code in codes}
    assert len(prefixes) == 1 and prefixes.pop().startswith("H52.04222-")  # one desk, one day
    assert sorted(int(code.rsplit("-", 1)[1]) for code in codes) == list(range(1, SUBMISSIONS + 1))
    assert desk.count("dossiers") == desk.count("outbox") == SUBMISSIONS
    numbers = sorted(desk.detail(code)["logbook_number"] for code in codes)
    assert numbers == list(range(1, SUBMISSIONS + 1))  # the logbook numbers too
