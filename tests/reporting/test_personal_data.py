"""Reporting keeps what the statistics need and nothing of the citizen (issue 15, item 5).

Names, telephones, e-mails and addresses are taken out before an event is stored, also inside a bulk
import's parts; the figures and a rebuild from the store are exactly those of the whole events; the
events stored before are stripped by migration 0005, on PostgreSQL and on SQLite; and every field of
the catalogue named like personal data has been decided on.
"""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone

import pytest
from alembic import command
from marshmallow import fields
from sqlalchemy import create_engine, insert, select

from motcua_shared.events import new_event, registry
from motcua_shared.events.catalogue.dossier import DOSSIER_RECEIVED
from motcua_shared.events.catalogue.shipment import PICKUP_REQUESTED
from motcua_shared.events.personal import EVENTS_INSIDE, NOT_PERSONAL, PERSONAL, without_personal
from motcua_shared.migrations import alembic_config
from motcua_reporting.models import event_store
from motcua_reporting.service import SPEC

from reporting import history
from reporting.test_imported_history import IMPORTED, LIVE, live_events, part
from reporting.test_rebuild_and_scope import rebuild

# What the stories of reporting.history type in for every applicant (see Story._facts).
NAME, PHONE, PLACE = "Lò Văn Hùng", "0912345678", "Bản Hưng Mai"
LOOKS_PERSONAL = re.compile(r"(^|_)(name|full_name|phone|email|mail|address|id_number|identity|contact|contacts|"
                            r"applicant|recipient|pickup|delivery|birth)($|_)")


def stored_json(reporting) -> str:
    with reporting.runtime.engine.connect() as conn:
        return json.dumps([row.data for row in conn.execute(select(event_store.c.data))], ensure_ascii=False)


# -- every field decided on ------------------------------------------------------------------------
def walk(schema, prefix: str = ""):
    for name, field in schema.fields.items():
        path = prefix + name
        yield name, path
        if isinstance(field, fields.Nested):
            yield from walk(field.schema, path + ".")
        elif isinstance(field, fields.List) and isinstance(field.inner, fields.Nested):
            yield from walk(field.inner.schema, path + "[].")


def test_every_field_named_like_personal_data_is_listed_as_personal_or_not():
    undecided = []
    for entry in registry.all_types():
        personal, kept = PERSONAL.get(entry.type, frozenset()), NOT_PERSONAL.get(entry.type, frozenset())
        for name, path in walk(entry.schema()):
            if not LOOKS_PERSONAL.search(name):
                continue
            top = re.split(r"[.\[]", path, maxsplit=1)[0]
            if top not in personal and path not in kept:
                undecided.append(f"{entry.type}: {path}")
    assert undecided == [], "decide in motcua_shared/events/personal.py: " + ", ".join(undecided)


def test_the_lists_name_only_types_and_fields_that_exist():
    known = {entry.type: {path for _, path in walk(entry.schema())} for entry in registry.all_types()}
    for listing in (PERSONAL, NOT_PERSONAL, EVENTS_INSIDE):
        for event_type in listing:
            assert event_type in known, event_type
    for event_type, names in PERSONAL.items():
        assert names <= known[event_type], (event_type, names - known[event_type])
    for event_type, paths in NOT_PERSONAL.items():
        assert paths <= known[event_type], (event_type, paths - known[event_type])


def test_the_catalogue_examples_lose_exactly_their_personal_fields():
    received = registry.get(DOSSIER_RECEIVED).example
    stripped = without_personal(DOSSIER_RECEIVED, received)
    assert set(received) - set(stripped) == {"applicant", "delivery_address"}
    assert all(stripped[name] == received[name] for name in stripped)
    assert "applicant" in received  # the event itself is left as it was
    pickup = without_personal(PICKUP_REQUESTED, registry.get(PICKUP_REQUESTED).example)
    assert "pickup" not in pickup and "delivery" not in pickup and pickup["cod_amount_vnd"] == 10000


# -- the store -------------------------------------------------------------------------------------
def test_the_store_keeps_no_name_contact_or_address_and_counts_the_same(reporting):
    reporting.feed(history.events())
    kept = stored_json(reporting)
    for personal in (NAME, PHONE, PLACE, '"applicant"', '"delivery_address"'):
        assert personal not in kept
    assert '"procedure_code": "1.004873"' in kept and '"receiving_unit_path": "14.126.04222"' in kept
    assert reporting.summary() == history.EXPECTED


def test_imported_parts_are_stored_without_the_applicants_and_rebuild_to_the_live_figures(reporting):
    reporting.feed([part(IMPORTED), *live_events(LIVE)])
    kept = stored_json(reporting)
    assert NAME not in kept and PHONE not in kept and PLACE not in kept
    assert '"historical": true' in kept  # the inner events are still there, only poorer
    assert reporting.summary() == history.EXPECTED
    live = reporting.snapshot()
    assert rebuild(reporting).status_code == 200
    assert reporting.snapshot() == live
    assert reporting.summary() == history.EXPECTED


# -- migration 0005 --------------------------------------------------------------------------------
def old_rows() -> list[dict]:
    """Events as reporting stored them before 0005: whole."""
    received = new_event(DOSSIER_RECEIVED, source="/motcua/intake", subject="H52.04222-190315-0001",
                         data=registry.get(DOSSIER_RECEIVED).example)
    imported = part(IMPORTED[:2])
    return [{"event_id": event.id, "type": event.type, "source": event.source, "subject": event.subject,
             "time": datetime(2019, 3, 15, 1, 30, tzinfo=timezone.utc), "data": event.data,
             "stored_at": datetime(2019, 3, 15, 1, 31, tzinfo=timezone.utc)} for event in (received, imported)]


def migrate_with_old_rows(url: str) -> list[dict]:
    config = alembic_config(SPEC, url)
    rows = old_rows()
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(insert(event_store), rows)
        assert NAME in json.dumps([row["data"] for row in rows], ensure_ascii=False)
        command.upgrade(config, "head")
        with engine.connect() as conn:
            return [dict(row) for row in conn.execute(select(event_store.c.type, event_store.c.data)
                                                      .order_by(event_store.c.type)).mappings()]
    finally:
        engine.dispose()


def check_stripped(found: list[dict]) -> None:
    received, imported = ({row["type"]: row["data"] for row in found}[name]
                          for name in (DOSSIER_RECEIVED, "vn.motcua.history.imported"))
    assert "applicant" not in received and "delivery_address" not in received
    assert received["code"] == "H52.04222-190315-0001" and received["fee_vnd"] == 10000
    assert received["due_at"] == "2019-03-20T08:30:00+07:00"
    inner = [event["data"] for dossier in imported["dossiers"] for event in dossier["events"]]
    assert len(inner) == sum(len(story.events) for story in IMPORTED[:2])
    assert all("applicant" not in data and "delivery_address" not in data for data in inner)
    assert [dossier["code"] for dossier in imported["dossiers"]] == [story.code for story in IMPORTED[:2]]
    assert NAME not in json.dumps(found, ensure_ascii=False)


def test_migration_0005_erases_what_was_stored_before_on_postgresql(reporting):
    command.downgrade(alembic_config(SPEC, reporting.url), "0004")
    check_stripped(migrate_with_old_rows(reporting.url))


def test_migration_0005_erases_what_was_stored_before_on_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path / 'reporting.db'}"
    command.upgrade(alembic_config(SPEC, url), "0004")
    check_stripped(migrate_with_old_rows(url))


@pytest.mark.parametrize("event_type", sorted(PERSONAL))
def test_stripping_an_event_without_personal_fields_changes_nothing(event_type):
    example = registry.get(event_type).example
    once = without_personal(event_type, example)
    assert without_personal(event_type, once) == once
