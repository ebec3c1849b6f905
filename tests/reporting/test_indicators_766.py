"""Decision 766/QĐ-TTg indicators on a small fixed set, every value worked out by hand below.

The catalogue is replaced by four procedures made for the test, so the expected rates depend on nothing
the catalogue's maintainers may change. March 2019 has no public holiday; office hours 07:00–11:30 and
13:30–17:00 (a working day is 480 minutes).

  P1 1.000001 commune, online full,    no fee
  P2 1.000002 commune, online partial, fee 10 000
  P3 1.000003 commune, not online,     fee 50 000
  P4 2.000004 district, online full,   no fee

Dossiers of Chiềng Khương (04222):
  d1 P1 online  received Mon 04/03 08:00, due Thu 07/03 08:00, processed Tue 05/03 10:00: early;
     420 + 180 = 600 working minutes.
  d2 P2 counter received 04/03 08:00, due Wed 06/03 08:00, paid online (national portal) 04/03 09:00,
     processed 06/03 07:30: on time; 420 + 480 + 30 = 930 minutes.
  d3 P3 counter received 04/03 08:00, due Tue 05/03 08:00; supplements asked 09:00 (back 10:00, due
     05/03 09:00) and 13:30 (back 14:30, due 05/03 10:00); processed 05/03 09:00: on time in Biểu 06,
     late for 766 (more than one request); 420 + 120 − 60 − 60 = 420 minutes.
  d4 P1 counter received Mon 11/03 08:00, due Wed 13/03 08:00, withdrawn Tue 12/03 08:00: on time
     (withdrawal ends processing; never early); no result, so not in 2.2.
  d5 P2 counter received Mon 25/03 08:00, due Wed 27/03 08:00, open on 31/03: overdue.
  d6 P2 counter received Thu 28/03 08:00, due Tue 02/04 08:00, open on 31/03: within the deadline.
  d7 P1 counter received Tue 26/02 08:00, due Fri 01/03 08:00, processed 01/03 10:00: late, carried over;
     420 + 480 + 480 + 180 = 1560 minutes.

  2.1 = (d1, d2, d4, d6) 4 ÷ 7 = 57.14 %
  2.2 = (600 + 930 + 420 + 1560) ÷ 4 ÷ 480 = 1.828… → 1.83 working days
  3.1 commune: P1, P2 of P1–P3 = 2 ÷ 3 = 66.67 %; district 126: P1, P2, P4 of P1–P4 = 3 ÷ 4 = 75 %
  3.2 = P1 got an online dossier (d1), P2 none: 1 ÷ 2 = 50 %
  3.3 received in March (d1–d6): online 1 ÷ 6 = 16.67 %, counter 5 ÷ 6 = 83.33 %, postal 0 %
  3.6 received in March with a fee (d2, d3, d5, d6), paid online d2: 1 ÷ 4 = 25 %
"""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from motcua_shared.events import new_event
from motcua_shared.events.catalogue import payment
from motcua_shared.reference import Level, UnknownProcedure

from motcua_reporting.statistics import indicators as indicators_module

from reporting.history import Story, t

MARCH = {"from": "2019-03-01", "to": "2019-03-31"}


class FakeCatalogue:
    def __init__(self):
        self.procedures = [
            SimpleNamespace(code="1.000001", level=Level.COMMUNE, online="full", fee_vnd=0),
            SimpleNamespace(code="1.000002", level=Level.COMMUNE, online="partial", fee_vnd=10000),
            SimpleNamespace(code="1.000003", level=Level.COMMUNE, online="none", fee_vnd=50000),
            SimpleNamespace(code="2.000004", level=Level.DISTRICT, online="full", fee_vnd=0),
        ]
        for procedure in self.procedures:
            procedure.level_on = lambda _on, level=procedure.level: level
            procedure.online_on = lambda _on, online=procedure.online: online
            procedure.in_force_on = lambda _on: True

    def all(self):
        return tuple(self.procedures)

    def get(self, code):
        for procedure in self.procedures:
            if procedure.code == code:
                return procedure
        raise UnknownProcedure(code)


def paid_online(story: Story, when: str, due: str) -> Story:
    story.events.append(new_event(payment.DOSSIER_PAID, source="/motcua/intake", subject=story.code, data={
        "code": story.code, "occurred_at": when, "actor": "officer-7", "amount_vnd": 10000,
        "method": "online_national", "online": 1, "receipt_number": "BL-0001", "paused_from": when, "due_at": due}))
    return story


def stories() -> list[Story]:
    d1 = Story("H52.04222-190304-0001", channel="online", procedure_code="1.000001")
    d1.received(t("03-04"), t("03-07")).processed(t("03-05", "10:00"), t("03-07"))
    d2 = Story("H52.04222-190304-0002", procedure_code="1.000002").received(t("03-04"), t("03-06"))
    paid_online(d2, t("03-04", "09:00"), t("03-06")).processed(t("03-06", "07:30"), t("03-06"))
    d3 = Story("H52.04222-190304-0003", procedure_code="1.000003").received(t("03-04"), t("03-05"))
    d3.supplement_requested(t("03-04", "09:00")).supplement_received(t("03-04", "10:00"), t("03-04", "09:00"),
                                                                     t("03-05", "09:00"))
    d3.supplement_requested(t("03-04", "13:30")).supplement_received(t("03-04", "14:30"), t("03-04", "13:30"),
                                                                     t("03-05", "10:00"))
    d3.processed(t("03-05", "09:00"), t("03-05", "10:00"))
    d4 = Story("H52.04222-190311-0004", procedure_code="1.000001").received(t("03-11"), t("03-13"))
    d4.withdrawal_requested(t("03-12", "07:30")).withdrawn(t("03-12", "08:00"))
    d5 = Story("H52.04222-190325-0005", procedure_code="1.000002").received(t("03-25"), t("03-27"))
    d6 = Story("H52.04222-190328-0006", procedure_code="1.000002").received(t("03-28"), t("04-02"))
    d7 = Story("H52.04222-190226-0007", procedure_code="1.000001").received(t("02-26"), t("03-01"))
    d7.processed(t("03-01", "10:00"), t("03-01"))
    return [d1, d2, d3, d4, d5, d6, d7]


@pytest.fixture
def fed(reporting, monkeypatch):
    monkeypatch.setattr(indicators_module, "load_catalogue", FakeCatalogue)
    reporting.feed(event for story in stories() for event in story.events)
    return reporting


def indicators(fed, unit: str = "04222", officer: str = "04222") -> dict:
    answer = fed.get("/api/v1/reports/indicators", officer=officer, unit=unit, **MARCH)
    assert answer.status_code == 200, answer.text
    return answer.get_json()


def test_every_supported_indicator_by_hand(fed):
    found = indicators(fed)
    rate = found["on_time_rate"]
    assert (rate["id"], rate["value"], rate["numerator"], rate["denominator"]) == ("2.1", 57.14, 4, 7)
    average = found["average_handling_time"]
    assert (average["id"], average["value"], average["working_minutes"], average["dossiers"]) == ("2.2", 1.83, 3510, 4)
    offered = found["online_procedures"]
    assert (offered["id"], offered["value"], offered["numerator"], offered["denominator"]) == ("3.1", 66.67, 2, 3)
    assert offered["as_of"] == "2019-03-31"  # the catalogue as it stood on the period's last day
    used = found["online_procedures_used"]
    assert (used["id"], used["value"], used["numerator"], used["denominator"], used["procedures"]) == \
        ("3.2", 50.0, 1, 2, ["1.000001"])
    shares = found["channel_shares"]
    assert shares["received_in_period"] == 6
    assert shares["channels"] == {"online": {"count": 1, "share": 16.67}, "counter": {"count": 5, "share": 83.33},
                                  "postal": {"count": 0, "share": 0.0}}
    paid = found["paid_online"]
    assert (paid["id"], paid["value"], paid["numerator"], paid["denominator"]) == ("3.6", 25.0, 1, 4)


def test_online_procedures_count_the_levels_below_the_unit(fed):
    offered = indicators(fed, unit="126", officer="126")["online_procedures"]
    assert (offered["value"], offered["numerator"], offered["denominator"]) == (75.0, 3, 4)


def test_the_indicators_the_data_cannot_give_are_listed_with_why(fed):
    found = indicators(fed)
    missing = {item["id"]: item for item in found["not_supported"]}
    assert set(missing) == {"1.1", "1.2", "1.3", "1.4", "3.5", "4.1", "4.2", "4.3", "4.4", "4.5", "5.1–5.3", "5.4"}
    assert all(item["name"] and item["reason"] for item in missing.values())
    assert found["satisfaction"]["value"] is None and found["satisfaction"]["reason"] == missing["5.4"]["reason"]


def test_the_dossiers_behind_the_indicators(fed):
    def codes(figure):
        answer = fed.get("/api/v1/reports/dossiers", officer="04222", unit="04222", figure=figure, **MARCH).get_json()
        return sorted(item["code"][-4:] for item in answer["items"])
    assert codes("indicator.2_1") == ["0001", "0002", "0004", "0006"]
    assert codes("indicator.2_2") == ["0001", "0002", "0003", "0007"]
    assert codes("indicator.3_6") == ["0002", "0003", "0005", "0006"]


def test_the_indicators_file_holds_every_row(fed):
    answer = fed.get("/api/v1/reports/indicators", officer="04222", unit="04222", format="csv", **MARCH)
    rows = answer.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert [row.split(",")[0] for row in rows[1:9]] == ["2.1", "2.2", "3.3", "3.3", "3.3", "3.1", "3.2", "3.6"]
    assert any(row.startswith("5.4,") and "Chưa tính được" in row for row in rows)
