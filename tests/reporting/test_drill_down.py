"""The dossiers behind a figure agree with the figure: for a generated set of dossiers (fixed seed), every
cell of the summary (total, one-stop, liên thông), by either attribution and at every level, lists as
many dossiers as it counts; so do the rows of the breakdowns and the bases of the indicators."""
from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from motcua_shared.events import new_event
from motcua_shared.events.catalogue import route

from reporting.history import Story

FIGURES = [f"{group}.{name}" for group, names in (
    ("received", ("total", "online", "counter_postal", "carried_over")),
    ("resolved", ("total", "early", "on_time", "late")),
    ("in_progress", ("total", "within_deadline", "overdue"))) for name in names]
PERIOD = {"from": "2019-03-01", "to": "2019-03-31"}
COMMUNES = {"04222": "14.126.04222", "04204": "14.126.04204", "04168": "14.126.04168"}
DECIDERS = {**COMMUNES, "126": "14.126", "14": "14"}
LEVELS = {5: "commune", 3: "district", 2: "province"}
# (unit asked for, the officer asking)
SCOPES = (("126", "126"), ("04222", "04222"), ("14", "14"))


def working_days(first: date, last: date) -> list[date]:
    days, day = [], first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def instant(day: date, hour: int) -> str:
    return f"{day.isoformat()}T{hour:02d}:00:00+07:00"


def generated(seed: int = 14, count: int = 60) -> list:
    """Dossiers received from mid-February to the end of March at Sông Mã's communes, decided by their
    commune, another one, the district or the province; resolved early, on time, late, or still open."""
    rng = random.Random(seed)
    days = working_days(date(2019, 2, 11), date(2019, 3, 29))  # no holiday in these weeks (Tết ended 8 Feb)
    events = []
    for number in range(1, count + 1):
        unit = rng.choice(sorted(COMMUNES))
        received = rng.choice(days)
        due = days[min(days.index(received) + rng.randint(1, 6), len(days) - 1)] + timedelta(days=rng.choice((0, 7)))
        decider = rng.choice((unit, unit, rng.choice(sorted(COMMUNES)), "126", "14"))
        story = Story(f"H52.{unit}-{received:%y%m%d}-{number:04d}", unit=unit, channel=rng.choice(
            ("counter", "online", "postal")), inter_agency=decider in ("126", "14"))
        story.received(instant(received, 8), instant(due, 8))
        plan = [unit] if decider == unit else [unit, decider]
        events.append(new_event(route.ROUTE_STARTED, source="/motcua/routing", subject=story.code, data={
            "dossier_code": story.code, "started_at": instant(received, 9), "due_at": instant(due, 8),
            "steps": [{"step_id": f"S-{number}-{position}", "sequence": position, "unit": step,
                       "unit_path": DECIDERS[step], "level": LEVELS[len(step)], "agency": None, "action": "process",
                       "budget_hours": 4.0} for position, step in enumerate(plan, start=1)]}))
        if rng.random() < 0.2:
            story.supplement_requested(instant(received, 10))
            if rng.random() < 0.6:
                story.supplement_received(instant(received, 15), instant(received, 10), instant(due, 10))
        ending = rng.choice(("early", "on_time", "late", "open", "withdrawn"))
        if ending == "early" and due > received:
            story.processed(instant(received, 15), instant(due, 8))
        elif ending == "on_time":
            story.processed(instant(due, 7), instant(due, 8))
        elif ending == "late":
            story.processed(instant(due + timedelta(days=rng.randint(1, 10)), 9), instant(due, 8))
        elif ending == "withdrawn":
            story.withdrawn(instant(received, 16))
        events.extend(story.events)
    return events


@pytest.fixture(scope="module")
def events():
    return generated()


@pytest.fixture
def fed(reporting, events):
    reporting.feed(events)
    return reporting


def count(fed, officer: str, figure: str, **params) -> int:
    answer = fed.get("/api/v1/reports/dossiers", officer=officer, figure=figure, page_size=500, **PERIOD, **params)
    assert answer.status_code == 200, answer.text
    found = answer.get_json()
    assert found["total"] == len(found["items"])
    return found["total"]


def cell(groups: dict, figure: str) -> int:
    group, column = figure.split(".")
    return groups[group][column]


@pytest.mark.parametrize("attribution", ["receiving", "competent"])
def test_every_cell_lists_as_many_dossiers_as_it_counts(fed, attribution):
    seen = 0
    for unit, officer in SCOPES:
        summary = fed.get("/api/v1/reports/summary", officer=officer, unit=unit, attribution=attribution,
                          **PERIOD).get_json()
        seen += summary["received"]["total"]
        for figure in FIGURES:
            assert count(fed, officer, figure, unit=unit, attribution=attribution) == cell(summary, figure), \
                (unit, figure)
            for mechanism in ("one_stop", "inter_agency"):
                assert count(fed, officer, figure, unit=unit, attribution=attribution, mechanism=mechanism) == \
                    cell(summary[mechanism], figure), (unit, figure, mechanism)
    assert seen > 60  # the set is not empty anywhere it matters (a dossier counts at several levels)


@pytest.mark.parametrize("attribution,by,filter_name", [("receiving", "unit", "receiving_unit"),
                                                        ("competent", "competent_unit", "competent_unit"),
                                                        ("competent", "channel", "channel")])
def test_every_breakdown_row_lists_as_many_dossiers_as_it_counts(fed, attribution, by, filter_name):
    breakdown = fed.get("/api/v1/reports/breakdown", officer="14", unit="14", by=by, attribution=attribution,
                        **PERIOD).get_json()
    assert len(breakdown["rows"]) > 1
    for row in breakdown["rows"]:
        for figure in ("received.total", "resolved.late", "in_progress.overdue"):
            assert count(fed, "14", figure, unit="14", attribution=attribution, **{filter_name: row["key"]}) == \
                cell(row, figure), (row["key"], figure)


@pytest.mark.parametrize("attribution", ["receiving", "competent"])
def test_every_indicator_base_lists_as_many_dossiers_as_it_counts(fed, attribution):
    for unit, officer in SCOPES:
        found = fed.get("/api/v1/reports/indicators", officer=officer, unit=unit, attribution=attribution,
                        **PERIOD).get_json()
        drill = {name: count(fed, officer, name, unit=unit, attribution=attribution)
                 for name in ("indicator.2_1", "indicator.2_2", "indicator.3_3", "indicator.3_6")}
        assert drill == {"indicator.2_1": found["on_time_rate"]["numerator"],
                         "indicator.2_2": found["average_handling_time"]["dossiers"],
                         "indicator.3_3": found["channel_shares"]["received_in_period"],
                         "indicator.3_6": found["paid_online"]["denominator"]}, unit
