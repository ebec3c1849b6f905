"""A bulk import's parts (`vn.motcua.history.imported`, issue 17) are counted exactly as live history.

The known history of `reporting.history` is split: the dossiers whose lives hold only events an import
can carry (reception first; no online submission, refusal, withdrawal request or apology) come in as
parts, with the same event ids as their live twins; the others stay live. The timeline and the
dossiers rows must then be those of the all-live history, row for row, whatever the order, twice
delivered, continued live, or rebuilt.
"""
from __future__ import annotations

import threading
from collections import Counter

from sqlalchemy import delete, select

from motcua_shared.events import Event, new_event
from motcua_shared.events.catalogue.dossier import DOSSIER_RECEIVED
from motcua_shared.events.catalogue.history import HISTORY_IMPORTED, IMPORTED_EVENT_TYPES
from motcua_reporting.handlers import store_and_project
from motcua_reporting.models import counters, dossier_timeline, dossiers, event_store

from motcua_testing.waiting import wait_for
from reporting import history
from reporting.history import Story, code, t
from reporting.test_broker_replay import publish
from reporting.test_rebuild_and_scope import rebuild

MARCH = {"unit": "126", "from": "2019-03-01", "to": "2019-03-31"}


def importable(story: Story) -> bool:
    return story.events[0].type == DOSSIER_RECEIVED and all(
        event.type in IMPORTED_EVENT_TYPES for event in story.events)


IMPORTED = [story for story in history.stories() if importable(story)]
LIVE = [story for story in history.stories() if not importable(story)]


def part(stories, number: int = 1, *, import_id: str = "7d0c2f8e-3f5b-4c1e-9a57-1f0e6f4f2b11",
         upto: int | None = None) -> Event:
    """One part as intake publishes it: each dossier's events (the first `upto` of them), historical,
    with the ids of their live twins."""
    return new_event(HISTORY_IMPORTED, source="/motcua/intake", subject=import_id, data={
        "import_id": import_id, "part": number, "dossiers": [
            {"code": story.code, "steps": [],
             "events": [{"id": event.id, "type": event.type, "data": {**event.data, "historical": True}}
                        for event in story.events[:upto]]}
            for story in stories]})


def republished(event: Event) -> Event:
    """The same part published again after a crash of intake: another envelope, the same inner events."""
    return Event(type=event.type, source=event.source, data=event.data, subject=event.subject)


def live_events(stories) -> list[Event]:
    return [event for story in stories for event in story.events]


def projection_of(snapshot: dict) -> dict[str, list[dict]]:
    """The dossiers and timeline rows (the counters count envelopes, which an import has fewer of)."""
    return {name: snapshot[name] for name in ("dossiers", "dossier_timeline")}


def projection(reporting) -> dict[str, list[dict]]:
    return projection_of(reporting.snapshot())


def wipe(reporting) -> None:
    with reporting.runtime.sessions.begin() as session:
        for table in (event_store, counters, dossier_timeline, dossiers):
            session.execute(delete(table))


def all_live(reporting, events) -> dict[str, list[dict]]:
    """The projection of `events` fed live, then everything wiped for the run under test."""
    reporting.feed(events)
    rows = projection(reporting)
    wipe(reporting)
    return rows


def expected_summary(stories) -> dict:
    """The Biểu 06 groups of `stories` alone, from the placements worked out by hand in `history`."""
    def groups(selected) -> dict:
        places = Counter()
        for story in selected:
            intake, outcome = history.PLACEMENTS[story.code]
            places[intake] += 1
            places[outcome] += 1
        received = {key: places[key] for key in ("online", "counter_postal", "carried_over")}
        resolved = {key: places[key] for key in ("early", "on_time", "late")}
        in_progress = {key: places[key] for key in ("within_deadline", "overdue")}
        return {"received": {"total": sum(received.values()), **received},
                "resolved": {"total": sum(resolved.values()), **resolved},
                "in_progress": {"total": sum(in_progress.values()), **in_progress}}

    counted = [story for story in stories if story.code in history.PLACEMENTS]
    return {**groups(counted), "one_stop": groups([s for s in counted if not s.inter_agency]),
            "inter_agency": groups([s for s in counted if s.inter_agency])}


def test_the_split_covers_every_column_of_the_report():
    """Otherwise the tests below would prove less than they claim."""
    places = [history.PLACEMENTS[story.code] for story in IMPORTED if story.code in history.PLACEMENTS]
    columns = {column for place in places for column in place}
    assert columns == {"online", "counter_postal", "carried_over", "early", "on_time", "late",
                       "within_deadline", "overdue"}
    assert any(story.inter_agency for story in IMPORTED) and any(not story.inter_agency for story in IMPORTED)
    assert len(IMPORTED) >= 12 and LIVE


def test_a_parts_dossiers_land_in_the_summary_exactly(reporting):
    reporting.feed([part(IMPORTED)])
    assert reporting.summary() == expected_summary(IMPORTED)
    assert reporting.summary()["received"]["total"] == 12  # three more are outside March or Sông Mã
    units = reporting.get("/api/v1/reports/breakdown", by="unit", **MARCH).get_json()
    chiềng_khoong = next(row for row in units["rows"] if row["key"] == "04204")
    assert chiềng_khoong["resolved"] == {"total": 2, "early": 0, "on_time": 1, "late": 1}


def test_parts_with_live_events_between_them_give_the_all_live_rows_and_the_known_table(reporting):
    expected = all_live(reporting, history.events())
    live = live_events(LIVE)
    half = len(IMPORTED) // 2
    reporting.feed(live[:5])
    reporting.feed([part(IMPORTED[:half], 1)])
    reporting.feed(live[5:12])
    reporting.feed([part(IMPORTED[half:], 2)])
    reporting.feed(live[12:])
    assert projection(reporting) == expected
    assert reporting.summary() == history.EXPECTED
    stored = {row["name"]: row["value"] for row in reporting.snapshot()["counters"]}
    assert stored[HISTORY_IMPORTED] == 2


def test_the_same_part_twice_changes_nothing(reporting):
    first = part(IMPORTED)
    reporting.feed([first])
    once = reporting.snapshot()
    reporting.feed([first])  # redelivered after the inbox forgot it
    assert reporting.snapshot() == once
    reporting.feed([republished(first)])  # published again by intake after a crash
    again = reporting.snapshot()
    assert projection_of(again) == projection_of(once)
    assert {row["name"]: row["value"] for row in again["counters"]} == {HISTORY_IMPORTED: 2}
    assert reporting.summary() == expected_summary(IMPORTED)


def continued() -> list[Story]:
    """Dossiers in progress when imported, finished live afterwards."""
    return [
        # Imported received; processed live after the appointment: late.
        Story(code(31, "04168"), unit="04168").received(t("03-20", "09:00"), t("03-25", "09:00"))
        .processed(t("03-26", "10:00"), t("03-25", "09:00")).returned(t("03-27")),
        # Imported waiting for a supplement; the supplement and the result come live: early.
        Story(code(32)).received(t("03-11"), t("03-14")).supplement_requested(t("03-12"))
        .supplement_received(t("03-18"), t("03-12"), t("03-20")).processed(t("03-19", "10:00"), t("03-20")),
    ]


def test_an_imported_dossier_continued_live_ends_with_the_all_live_row(reporting):
    stories = continued()
    expected = all_live(reporting, live_events(stories))
    late, early = stories
    reporting.feed([part([late], upto=1), part([early], 2, upto=2)])
    in_progress = {row["code"]: row for row in projection(reporting)["dossiers"]}
    assert in_progress[late.code]["ended_at"] is None and in_progress[early.code]["ended_at"] is None
    reporting.feed(late.events[1:] + early.events[2:])
    assert projection(reporting) == expected
    ended = {row["code"]: row["end_class"] for row in expected["dossiers"]}
    assert ended == {late.code: "late", early.code: "early"}


def test_a_rebuild_after_an_import_gives_the_same_rows(reporting):
    first = part(IMPORTED[:7], 1)
    reporting.feed([first, *live_events(LIVE), part(IMPORTED[7:], 2), republished(first)])
    before = reporting.snapshot()
    answer = rebuild(reporting)
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()["result"]
    assert body["events"] == len(live_events(LIVE)) + 3
    assert body["dossiers"] == len(history.stories())
    assert body["timeline_entries"] == len(history.events())
    assert reporting.snapshot() == before
    assert reporting.summary() == history.EXPECTED


def test_a_part_and_live_events_at_once_neither_lose_nor_double_anything(reporting):
    """Live events of other dossiers, and the live continuation of dossiers of the part, arrive while
    the parts are applied: whichever commits first, the rows are the all-live ones."""
    stories = continued()
    expected = all_live(reporting, history.events() + live_events(stories))
    parts = [part(IMPORTED[:7], 1), part([stories[0]], 2, upto=1), part(IMPORTED[7:], 3),
             part([stories[1]], 4, upto=2)]
    live = live_events(LIVE) + stories[0].events[1:] + stories[1].events[2:]
    errors = []

    def feed(events):
        try:
            reporting.feed(events)
        except Exception as exc:  # a deadlock would surface here
            errors.append(exc)

    feeders = [threading.Thread(target=feed, args=(parts,)), threading.Thread(target=feed, args=(live,))]
    for feeder in feeders:
        feeder.start()
    for feeder in feeders:
        feeder.join(timeout=60)
    assert not errors
    assert projection(reporting) == expected
    with reporting.runtime.engine.connect() as conn:
        assert conn.execute(select(counters.c.value).where(counters.c.name == HISTORY_IMPORTED)).scalar() == 4


def test_a_part_waits_for_a_live_event_of_one_of_its_dossiers_and_folds_it(reporting):
    """A live event about a dossier of the part is being applied (its transaction still open) when the
    part arrives: the part must wait for it and count it, not overwrite the row without it."""
    story = continued()[1]
    expected = all_live(reporting, story.events)
    _received, _requested, supplement_received, processed = story.events
    reporting.feed([processed])  # arrived first: the dossier's row exists
    with reporting.runtime.sessions.begin() as open_live:
        store_and_project(open_live, supplement_received)  # moves the appointment: the row shows it
        importer = threading.Thread(target=reporting.feed, args=([part([story], upto=2)],))
        importer.start()
        importer.join(timeout=1)
        assert importer.is_alive(), "the part did not wait for the live event's transaction"
    importer.join(timeout=30)
    assert not importer.is_alive()
    assert projection(reporting) == expected


def test_a_part_through_the_broker_is_counted_by_the_worker(system):
    system.start_workers("reporting")
    reporting = system.client("reporting")
    leader = system.auth("leader", unit="126")
    events = [part(IMPORTED), *live_events(LIVE)]
    publish(system.amqp_url, events)
    wait_for(lambda: reporting.get("/api/v1/reports/event-counts", headers=leader).get_json()["stored"] == len(events),
             what="reporting to store the part and the live events")
    assert reporting.get("/api/v1/reports/summary", query_string=MARCH, headers=leader).get_json() == history.EXPECTED
    assert len(system.rows("reporting", "dossiers")) == len(history.stories())
