"""The logbook (Mẫu 06) as a page, and intake's own print view passed through."""
from __future__ import annotations

import re
from datetime import datetime

from motcua_shared.workcal import VIETNAM_TZ

from console.desk_support import UNIT, receive
from console.support import page


def test_the_logbook_shows_todays_dossiers_of_the_desk(console):
    code = receive(console)
    receive(console, unit="04168")
    client = console.signed_in("receptionist", unit=UNIT)
    soup = page(client.get("/so-theo-doi"))
    rows = soup.select("table tbody tr")
    assert len(rows) == 1 and code in rows[0].get_text() and "Lò Văn Hùng" in rows[0].get_text()
    today = datetime.now(VIETNAM_TZ).date()
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
    today = datetime.now(VIETNAM_TZ).date().isoformat()
    answer = client.get(f"/so-theo-doi/in?from={today}&to={today}")
    assert answer.status_code == 200 and answer.content_type.startswith("text/html")
    assert answer.headers["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    assert answer.headers["Cache-Control"] == "no-store"
    direct = console.services["intake"].test_client().get(
        "/api/v1/logbook", query_string={"unit": UNIT, "from": today, "to": today, "format": "html"},
        headers={"Authorization": _token()})
    # Byte for byte, but for the nonce intake draws for each response's inline style (its CSP).
    assert re.sub(rb'nonce="[^"]*"', b'', answer.data) == re.sub(rb'nonce="[^"]*"', b'', direct.data)


def _token() -> str:
    from motcua_testing.system import System

    return f"Bearer {System.token('receptionist', unit=UNIT)}"


def test_the_logbook_is_not_for_specialists(console):
    assert console.signed_in("specialist", unit=UNIT).get("/so-theo-doi").status_code == 403


def test_the_province_s_officers_pick_the_desk_whose_logbook_they_read(console):
    """A desk's officer reads their own desk's book; the province's (unit 14) choose one, as the officers
    without a unit did before every officer had to have one."""
    code = receive(console)
    other = receive(console, unit="04168")
    client = console.signed_in("auditor", unit="14")
    soup = page(client.get("/so-theo-doi"))
    assert soup.find("select", attrs={"name": "unit"}) is not None and not soup.select("table tbody tr")
    rows = page(client.get(f"/so-theo-doi?unit={UNIT}")).select("table tbody tr")
    assert len(rows) == 1 and code in rows[0].get_text() and other not in rows[0].get_text()
    desk = console.signed_in("leader", unit=UNIT)  # naming another desk does not change a desk officer's book
    rows = page(desk.get("/so-theo-doi?unit=04168")).select("table tbody tr")
    assert len(rows) == 1 and code in rows[0].get_text()
