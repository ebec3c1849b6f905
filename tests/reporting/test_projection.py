"""The projection and the statistics as pure functions: known answers, order independence, the
boundaries of early / on time / late, and the Biểu 06 identities for any history and any period."""
from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from motcua_shared.workcal import WorkingCalendar
from motcua_reporting.projection.dossier import end_class, project
from motcua_reporting.projection.timeline import entry_from_event
from motcua_reporting.statistics.indicators import indicators
from motcua_reporting.statistics.period import Period
from motcua_reporting.statistics.placement import place
from motcua_reporting.statistics.tally import Tally

from reporting import history
from reporting.history import Story, t

VN = timezone(timedelta(hours=7))


def timelines(events) -> dict[str, list]:
    found = defaultdict(list)
    for event in events:
        entry = entry_from_event(event.id, event.type, event.data)
        found[entry.code].append(entry)
    return found


def rows(events) -> dict[str, SimpleNamespace]:
    return {code: SimpleNamespace(**project(code, entries, calendar=WorkingCalendar())) for code, entries in timelines(events).items()}


def in_sông_mã(row) -> bool:
    return row.district_code == "126"


def everything(_row) -> bool:
    return True


def tally(all_rows, period: Period, keep=in_sông_mã) -> Tally:
    total = Tally()
    for row in all_rows.values():
        placement = place(row, period) if keep(row) else None
        if placement is not None:
            total.add(placement)
    return total


def assert_identities(groups: dict) -> None:
    received, resolved, in_progress = groups["received"], groups["resolved"], groups["in_progress"]
    assert received["total"] == received["online"] + received["counter_postal"] + received["carried_over"]
    assert received["total"] == resolved["total"] + in_progress["total"]
    assert resolved["total"] == resolved["early"] + resolved["on_time"] + resolved["late"]
    assert in_progress["total"] == in_progress["within_deadline"] + in_progress["overdue"]


def test_every_dossier_of_the_history_lands_where_worked_out_by_hand():
    march = Period(*history.MARCH)
    placed = {code: place(row, march) for code, row in rows(history.events()).items() if in_sông_mã(row)}
    assert {code: (p.intake, p.outcome) for code, p in placed.items() if p is not None} == history.PLACEMENTS
    totals = tally(rows(history.events()), march).groups()
    assert totals == {key: history.EXPECTED[key] for key in ("received", "resolved", "in_progress")}
    assert_identities(totals)


def test_the_projection_ignores_arrival_order_and_duplicates():
    events = history.events()
    expected = rows(events)
    for seed in range(30):
        rng = random.Random(seed)
        replay = events + rng.sample(events, k=len(events) // 3)  # a third delivered twice
        rng.shuffle(replay)
        # A redelivered event keeps its id: the timeline store keeps one entry per id.
        unique = list({event.id: event for event in replay}.values())
        assert rows(unique) == expected, f"seed {seed}"


def test_a_late_or_missing_received_event_leaves_the_dossier_uncounted_until_it_arrives():
    story = Story(history.code(90)).received(t("03-04"), t("03-07")).processed(t("03-05"), t("03-07"))
    received, processed = story.events
    march = Period(*history.MARCH)
    only_processed = rows([processed])[story.code]
    assert only_processed.received_at is None and place(only_processed, march) is None
    assert place(rows([processed, received])[story.code], march).outcome == "early"


def moment(day: str, clock: str) -> datetime:
    return datetime.fromisoformat(f"2019-{day}T{clock}:00+07:00")


def test_late_is_to_the_minute_and_early_means_an_earlier_day():
    due = moment("03-07", "09:00")
    assert end_class("dossier.processed", moment("03-06", "16:59"), due) == "early"
    assert end_class("dossier.processed", moment("03-07", "07:00"), due) == "on_time"
    assert end_class("dossier.processed", moment("03-07", "09:00"), due) == "on_time"
    assert end_class("dossier.processed", moment("03-07", "09:01"), due) == "late"
    # The day is Vietnam's: 23:30 UTC on the 6th is 06:30 on the 7th in Sơn La.
    assert end_class("dossier.processed", datetime(2019, 3, 6, 23, 30, tzinfo=timezone.utc), due) == "on_time"
    # Withdrawn or refused after reception: no result, so never early.
    assert end_class("dossier.withdrawn", moment("03-05", "09:00"), due) == "on_time"
    assert end_class("dossier.withdrawn", moment("03-08", "09:00"), due) == "late"


def test_a_supplement_after_the_apology_moves_the_appointment_again():
    story = (Story(history.code(91)).received(t("03-04"), t("03-07"))
             .apology(t("03-05"), t("03-07"), t("03-12"))
             .supplement_requested(t("03-06")).supplement_received(t("03-08"), t("03-06"), t("03-11"))
             .processed(t("03-11", "07:30"), t("03-11")))
    row = rows(story.events)[story.code]
    assert row.apologised and row.end_class == "on_time"
    assert row.end_due_at == moment("03-11", "08:00")


def test_an_apology_does_not_move_the_appointment():
    story = (Story(history.code(92)).received(t("03-04"), t("03-07"))
             .apology(t("03-05"), t("03-07"), t("03-12")).processed(t("03-11"), t("03-07")))
    row = rows(story.events)[story.code]
    assert row.end_class == "late" and row.end_due_at == moment("03-07", "08:00")
    # Resolved by the original appointment despite the apology: the promise was kept.
    kept = (Story(history.code(93)).received(t("03-04"), t("03-07"))
            .apology(t("03-05"), t("03-07"), t("03-12")).processed(t("03-06"), t("03-07")))
    assert rows(kept.events)[kept.code].end_class == "early"


def test_an_apology_sent_before_the_result_was_known_does_not_make_it_late():
    """The sweep apologised at the appointment while the province's answer, dated before it, was still on
    its way: the dossier ended when the answer says, on time, and is still marked as apologised for."""
    story = (Story(history.code(96)).received(t("03-04"), t("03-07"))
             .apology(t("03-07", "09:30"), t("03-07"), t("03-12")).processed(t("03-07", "07:30"), t("03-07")))
    row = rows(story.events)[story.code]  # the apology arrives first, as it did
    assert row.apologised and row.end_class == "on_time"
    assert row.ended_at == moment("03-07", "07:30") and row.end_due_at == moment("03-07", "08:00")
    earlier = (Story(history.code(97)).received(t("03-04"), t("03-07"))
               .apology(t("03-07", "09:30"), t("03-07"), t("03-12")).processed(t("03-06", "15:00"), t("03-07")))
    assert rows(earlier.events)[earlier.code].end_class == "early"


def test_a_dossier_waiting_for_a_supplement_is_judged_at_the_request():
    story = Story(history.code(94)).received(t("03-04"), t("03-07")).supplement_requested(t("03-06"))
    row = rows(story.events)[story.code]
    # Long after its appointment, still waiting: within the deadline, the clock stopped on the 6th.
    assert place(row, Period(date(2019, 3, 1), date(2019, 4, 30))).outcome == "within_deadline"
    late_request = Story(history.code(95)).received(t("03-04"), t("03-07")).supplement_requested(t("03-08"))
    assert place(rows(late_request.events)[late_request.code], Period(*history.MARCH)).outcome == "overdue"


def test_the_decision_766_indicators_of_march():
    march = Period(*history.MARCH)
    placed = [(row, place(row, march)) for row in rows(history.events()).values() if in_sông_mã(row)]
    found = indicators([(row, placement) for row, placement in placed if placement is not None])
    # 2.1: early 2 + on time 6 + within the deadline 3, less the dossier asked twice for a supplement.
    rate = found["on_time_rate"]
    assert (rate["numerator"], rate["denominator"], rate["value"]) == (10, 15, 66.67)
    # 2.2: nine dossiers with a result in March; working minutes worked out by hand in history.py's
    # calendar (600 + 1200 + 1440 + 1980 + 1080 + 2370 + 2370 + 2520 + 2340), pauses excluded.
    assert (found["average_handling_time"]["dossiers"], found["average_handling_time"]["working_minutes"]) == (9, 15900)
    assert found["average_handling_time"]["value"] == 3.68  # 15900 / 9 / 480
    channels = found["channel_shares"]["channels"]
    assert found["channel_shares"]["received_in_period"] == 13
    assert {name: (c["count"], c["share"]) for name, c in channels.items()} == {
        "online": (3, 23.08), "counter": (9, 69.23), "postal": (1, 7.69)}
    assert found["satisfaction"]["value"] is None and found["satisfaction"]["available"] is False


def test_months_cut_the_period_and_carry_over_what_was_in_progress():
    months = Period(date(2019, 1, 15), date(2019, 4, 10)).months()
    assert [(m.first_day, m.last_day) for m in months] == [
        (date(2019, 1, 15), date(2019, 1, 31)), (date(2019, 2, 1), date(2019, 2, 28)),
        (date(2019, 3, 1), date(2019, 3, 31)), (date(2019, 4, 1), date(2019, 4, 10))]
    all_rows = rows(history.events())
    tallies = [tally(all_rows, month).groups() for month in months]
    for before, after in zip(tallies, tallies[1:]):
        assert after["received"]["carried_over"] == before["in_progress"]["total"]


# -- any history, any period -------------------------------------------------------------------
START = datetime(2019, 1, 1, 7, 0, tzinfo=VN)
offsets = st.integers(min_value=0, max_value=120 * 24 * 60)  # minutes into a four-month window
KINDS = ("processed", "withdrawn", "open", "paused", "paused_then_processed")


@st.composite
def dossier_histories(draw, index):
    received = START + timedelta(minutes=draw(offsets))
    due = received + timedelta(minutes=draw(st.integers(min_value=0, max_value=20 * 24 * 60)))
    story = Story(history.code(index, "04204"), unit="04204", channel=draw(st.sampled_from(("counter", "online", "postal"))),
                  inter_agency=draw(st.booleans()))
    iso = datetime.isoformat
    story.received(iso(received), iso(due))
    kind = draw(st.sampled_from(KINDS))
    later = received + timedelta(minutes=draw(st.integers(min_value=0, max_value=30 * 24 * 60)))
    if kind == "processed":
        story.processed(iso(later), iso(due))
    elif kind == "withdrawn":
        story.withdrawn(iso(later))
    elif kind.startswith("paused"):
        story.supplement_requested(iso(later))
        if kind == "paused_then_processed":
            resumed = later + timedelta(days=draw(st.integers(min_value=0, max_value=10)))
            moved = due + (resumed - later)
            story.supplement_received(iso(resumed), iso(later), iso(moved))
            story.processed(iso(resumed + timedelta(hours=draw(st.integers(0, 200)))), iso(moved))
    if draw(st.booleans()):
        story.apology(iso(received), iso(due), iso(due + timedelta(days=3)))
    return story.events


@st.composite
def histories(draw):
    count = draw(st.integers(min_value=0, max_value=12))
    return [event for index in range(count) for event in draw(dossier_histories(index))]


days = st.dates(min_value=date(2018, 12, 1), max_value=date(2019, 6, 30))


@settings(max_examples=150, deadline=None)
@given(events=histories(), first=days, length=st.integers(min_value=0, max_value=120), seed=st.integers(0, 10**6))
def test_the_biểu_06_identities_hold_for_any_history_and_period(events, first, length, seed):
    period = Period(first, first + timedelta(days=length))
    total = tally(rows(events), period, keep=everything).groups()
    assert_identities(total)
    by_mechanism = [tally(rows(events), period, keep=lambda row, flag=flag: row.inter_agency == flag).groups()
                    for flag in (False, True)]
    for group in by_mechanism:
        assert_identities(group)
    for part in ("received", "resolved", "in_progress"):
        for column in total[part]:
            assert total[part][column] == sum(group[part][column] for group in by_mechanism)
    shuffled = list(events)
    random.Random(seed).shuffle(shuffled)
    assert tally(rows(shuffled), period, keep=everything).groups() == total
