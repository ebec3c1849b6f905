"""The logbook (Mẫu 06) as a page, and intake's own print view passed through."""
from __future__ import annotations

from datetime import datetime

from motcua_console.formatting import LOCAL

from console.desk_support import UNIT, receive
from console.support import page


def test_the_logbook_shows_todays_dossiers_of_the_desk(console):
    code = receive(console)
    receive(console, unit="04168")
    client = console.signed_in("receptionist", unit=UNIT)
    soup = page(client.get("/so-theo-doi"))
    rows = soup.select("table tbody tr")
    assert len(rows) == 1 and code in rows[0].get_text() and "Lò Văn Hùng" in rows[0].get_text()
    today = datetime.now(LOCAL).date()
    assert soup.find("input", attrs={"name": "from"})["value"] == today.isoformat()
    assert today.strftime("%d/%m/%Y") in soup.h2.get_text()
    assert soup.find("a", string="Bản in")["href"] == f"/so-theo-doi/in?from={today}&to={today}"


def test_a_period_ending_before_it_starts_is_refused(console):
    client = console.signed_in("leader", unit=UNIT)
    soup = page(client.get("/so-theo-doi?from=2026-05-02&to=2026-05-01"), 400)
    assert soup.select_one("#f-to-loi")


def test_the_print_view_is_intakes_page_as_it_is(console):
    receive(console)
    client = console.signed_in("receptionist", unit=UNIT)
    today = datetime.now(LOCAL).date().isoformat()
    answer = client.get(f"/so-theo-doi/in?from={today}&to={today}")
    assert answer.status_code == 200 and answer.content_type.startswith("text/html")
    assert answer.headers["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    assert answer.headers["Cache-Control"] == "no-store"
    direct = console.services["intake"].test_client().get(
        "/api/v1/logbook", query_string={"unit": UNIT, "from": today, "to": today, "format": "html"},
        headers={"Authorization": _token()})
    assert answer.data == direct.data


def _token() -> str:
    from motcua_testing.system import System

    return f"Bearer {System.token('receptionist', unit=UNIT)}"


def test_the_logbook_is_not_for_specialists(console):
    assert console.signed_in("specialist", unit=UNIT).get("/so-theo-doi").status_code == 403
