"""Dossiers brought in from the past (issue 17) are counted exactly as live ones: the same history
with `historical` on every dossier event gives the same Biểu 06 figures and breakdowns."""
from __future__ import annotations

import dataclasses

from reporting import history

MARCH = {"unit": "126", "from": "2019-03-01", "to": "2019-03-31"}


def as_imported(events):
    return [dataclasses.replace(e, data={**e.data, "historical": True}) if e.type.startswith("vn.motcua.dossier.")
            else e for e in events]


def test_a_historical_history_is_counted_exactly_as_a_live_one(reporting):
    imported = as_imported(history.events())
    assert sum(1 for e in imported if e.data.get("historical")) > 30  # the flag really is there
    reporting.feed(imported)
    assert reporting.summary() == history.EXPECTED
    units = reporting.get("/api/v1/reports/breakdown", by="unit", **MARCH).get_json()
    chiềng_khoong = next(row for row in units["rows"] if row["key"] == "04204")
    assert chiềng_khoong["resolved"] == {"total": 3, "early": 0, "on_time": 1, "late": 2}
