"""Today is counted in Viet Nam, whatever the host's zone (issue 19: one time zone, written once).

`date.today()` and a naive `datetime.now()` read the host's zone: on a UTC server they still say
yesterday until 07:00 in Viet Nam, so a report's default month or a unit's validity would be a day
off. Service code asks `workcal.vietnam_today()` instead."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

from motcua_shared.workcal import vietnam_today

ROOT = Path(__file__).resolve().parents[2]
HOST_ZONE_CALLS = re.compile(r"\bdate\.today\(\)|\bdatetime\.now\(\)")


def test_vietnam_today_is_utc_plus_seven_hours():
    # Viet Nam has kept UTC+7 without summer time since 1975; read twice around the call so that a
    # midnight between the readings cannot make the test flaky.
    before = (datetime.now(timezone.utc) + timedelta(hours=7)).date()
    today = vietnam_today()
    after = (datetime.now(timezone.utc) + timedelta(hours=7)).date()
    assert today in (before, after)


def test_no_service_code_reads_the_hosts_zone():
    offenders = []
    for folder in ("services", "shared"):
        for path in (ROOT / folder).rglob("*.py"):
            if "/tests/" in str(path) or "/migrations/" in str(path):
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if HOST_ZONE_CALLS.search(line.split("#", 1)[0]):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []
