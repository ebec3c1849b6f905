"""Office hours and the reception cut-off are one province setting (MOTCUA_OFFICE_HOURS,
MOTCUA_RECEPTION_CUTOFF) that routing and reporting compute with, like intake (docs/calendar.md).

The province here works 07:30–11:30 and 13:00–16:30 (7 h 30 a day) instead of the default 07:00–11:30
and 13:30–17:00. Mon 10/03/2031 (01/03/2031 is a Saturday); every figure is worked out by hand.
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from motcua_routing import reference as routing_reference
from motcua_routing.routes import step_due
from motcua_reporting.models import dossiers as reporting_dossiers
from motcua_reporting.projection import store as reporting_store
from motcua_reporting.projection.timeline import PROCESSED, RECEIVED, Entry

from motcua_testing.system import System, spec_of

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PROVINCE_HOURS = {"MOTCUA_OFFICE_HOURS": "07:30-11:30,13:00-16:30", "MOTCUA_RECEPTION_CUTOFF": "14:00"}


def vn(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VN)


@pytest.fixture
def service_databases(database_factory, tmp_path):
    created = {service: database_factory.create(spec_of(service)) for service in ("routing", "reporting")}
    system = System(amqp_url="", vhost="", database_urls={s: database_factory.url(n) for s, n in created.items()},
                    var_dir=tmp_path)
    yield system
    system.close()
    for name in created.values():
        database_factory.drop(name)


@pytest.fixture
def province_hours(monkeypatch):
    for name, value in PROVINCE_HOURS.items():
        monkeypatch.setenv(name, value)
    routing_reference._calendar.invalidate()
    reporting_store._calendar.invalidate()
    yield
    routing_reference._calendar.invalidate()
    reporting_store._calendar.invalidate()


def test_routing_times_a_step_with_the_provinces_office_day(service_databases, province_hours):
    with service_databases.runtime("routing").sessions() as session:
        calendar = routing_reference.calendar(session)
        # 4 working hours from Mon 10:00: 10:00–11:30 (1 h 30), then 13:00–15:30 (2 h 30). The default
        # day would end it at 16:00 (the afternoon opening at 13:30).
        route = {"due_at": vn("2031-03-14 16:30")}
        assert step_due(route, 240, vn("2031-03-10 10:00"), calendar) == vn("2031-03-10 15:30")
        # The cut-off is the province's too: a receipt at 14:10 counts from Tue 07:30.
        assert calendar.start_of_count(vn("2031-03-10 14:10")) == vn("2031-03-11 07:30")
        # A same-day procedure is due at the province's closing.
        assert calendar.add(vn("2031-03-10 09:00"), 0, "same_day") == vn("2031-03-10 16:30")


def test_reporting_measures_handling_time_with_the_provinces_office_day(service_databases, province_hours):
    code = "H52.04222-310310-0001"
    facts = {"procedure_code": "1.004873", "procedure_level": "commune", "sector": "Hộ tịch",
             "inter_agency": False, "channel": "counter", "receiving_unit": "04222",
             "receiving_unit_path": "14.126.04222", "competent_unit": "04222", "competent_unit_path": "14.126.04222"}
    entries = [Entry("e-received", code, RECEIVED, vn("2031-03-10 10:00"), due_at=vn("2031-03-13 10:00"), facts=facts),
               Entry("e-processed", code, PROCESSED, vn("2031-03-10 16:00"), due_at=vn("2031-03-13 10:00"))]
    with service_databases.runtime("reporting").sessions.begin() as session:
        reporting_store.apply_entries(session, entries)
    with service_databases.runtime("reporting").sessions() as session:
        minutes = session.execute(select(reporting_dossiers.c.handling_minutes)
                                  .where(reporting_dossiers.c.code == code)).scalar_one()
    # 10:00–11:30 (90 min) and 13:00–16:00 (180 min): 270. The default day would count 90 + 150 = 240.
    assert minutes == 270
