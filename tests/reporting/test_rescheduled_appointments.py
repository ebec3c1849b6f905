"""Reporting's copy of the appointment follows a declared day off (`vn.motcua.dossier.rescheduled`):
a dossier finished after its first appointment but within the moved one is on time.

Dates in March 2031, worked out by hand (01/03/2031 is a Saturday): Mon 03, Fri 07, Mon 10, Tue 11,
Thu 13, Fri 14.
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from motcua_reporting.models import dossiers
from motcua_reporting.projection import store
from motcua_reporting.projection.timeline import PROCESSED, RECEIVED, entry_from_event, Entry

from motcua_testing.system import System, spec_of

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CODE = "H52.04222-310303-0001"
FACTS = {"procedure_code": "1.004873", "procedure_level": "commune", "sector": "Hộ tịch", "inter_agency": False,
         "channel": "counter", "receiving_unit": "04222", "receiving_unit_path": "14.126.04222",
         "competent_unit": "04222", "competent_unit_path": "14.126.04222"}


def vn(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VN)


@pytest.fixture
def reporting(database_factory, tmp_path):
    name = database_factory.create(spec_of("reporting"))
    system = System(amqp_url="", vhost="", database_urls={"reporting": database_factory.url(name)}, var_dir=tmp_path)
    yield system.runtime("reporting")
    system.close()
    database_factory.drop(name)


def row(runtime) -> dict:
    with runtime.sessions() as session:
        return dict(session.execute(select(dossiers).where(dossiers.c.code == CODE)).mappings().one())


def test_the_moved_appointment_decides_whether_the_dossier_is_on_time(reporting):
    received = Entry("e-1", CODE, RECEIVED, vn("2031-03-03 09:00"), due_at=vn("2031-03-13 09:00"), facts=FACTS)
    # On Fri 07/03 the province declared Tue 11/03 off: intake moved the appointment to Fri 14/03 09:00.
    moved = entry_from_event("e-2", "vn.motcua.dossier.rescheduled", {
        "code": CODE, "occurred_at": "2031-03-07T10:00:00+07:00", "day": "2031-03-11",
        "note": "Nghỉ theo Quyết định 12/QĐ-UBND tỉnh", "previous_due_at": "2031-03-13T09:00:00+07:00",
        "due_at": "2031-03-14T09:00:00+07:00"})
    with reporting.sessions.begin() as session:
        store.apply_entries(session, [received])
    assert row(reporting)["due_at"] == vn("2031-03-13 09:00")
    with reporting.sessions.begin() as session:
        store.apply_entries(session, [moved])
    assert row(reporting)["due_at"] == vn("2031-03-14 09:00")  # the open dossier's copy follows at once
    # Processed Thu 13/03 15:00 (intake's event carries the moved appointment): late against the first
    # appointment, a day before the moved one.
    processed = Entry("e-3", CODE, PROCESSED, vn("2031-03-13 15:00"), due_at=vn("2031-03-14 09:00"))
    with reporting.sessions.begin() as session:
        store.apply_entries(session, [processed])
    projected = row(reporting)
    assert projected["due_at"] == vn("2031-03-14 09:00") and projected["end_class"] == "early"
