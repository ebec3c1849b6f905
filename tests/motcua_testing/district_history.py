"""Sông Mã district's records of 2019-01-01..2019-05-31, generated: the seed's table as an import file.

The 2019 article on Sông Mã (docs/domain.md §3.5, "Check against the 2019 article") reports for the first
five months of 2019: 66,572 dossiers received = 66,428 one-stop (một cửa: 66,369 resolved early or on
time, 59 in progress) + 144 inter-agency (liên thông: 133 resolved, 11 in progress); none late, none
carried over (the period starts with the records). `district_year(scale, seed)` writes that table as
past dossiers in the JSON-lines shape of the bulk import (the canonical record, docs/import.md) and
returns, beside them, the Biểu 06 summary reporting must then give for unit 126 over the period, in
the exact shape of `GET /api/v1/reports/summary` (received, resolved, in_progress, and the same under
one_stop and inter_agency).

Pure: no I/O, no clock; the same (scale, seed) always gives the same records, byte for byte.

Scale. At scale N each of the four figures of the article is max(1, round(figure / N)) (Python's
round): 1:50 gives 1,327 + 1 one-stop and 3 + 1 inter-agency, 1,332 dossiers.

Deterministic splits (documented here because the expected table is computed from them):

- **Units and procedures.** The THREE-level hierarchy of 2019: District 126 and its 19 communes
  (docs/domain.md §7.2). One-stop dossiers use the catalogue's procedures that are not inter-agency:
  commune procedures are received at a commune (weights favour chứng thực and hộ tịch, the bulk of a
  commune desk's work), district procedures at the district desk (126); one in five one-stop
  dossiers is a district one. Provincial procedures are left out: their routes leave the district.
  Inter-agency dossiers use the catalogue's inter-agency procedures in force in 2019 whose route is
  commune → district (not the death groups that climb on to the province, nor those lodged at the district),
  received at a commune; the steps come from routing's route plans (`motcua_routing.plans`), so an
  inter-agency dossier is worked by the commune, then by the district (unit 126).
- **Early / on time.** Of the resolved dossiers, 4/5 (rounded) are early (ended on an earlier day
  than the appointment's), the rest on time (ended on the appointment's day, at or before its
  instant). **Withdrawn dossiers are included**: 1 in 400 of the one-stop resolved (n // 400, taken
  out of the on-time share), withdrawn after their first step and before their appointment; reporting
  counts a withdrawal as resolved on time (never early), and so does `expected`. Of the early ones,
  1 in 12 had a supplement (bổ sung: the first step asked for it, the citizen brought it, the step was
  done again; the pause moves the appointment later, so they stay early) and 1 in 97 was refused with
  reasons (result `rejected`, a reasoned refusal is resolved too).
- **Channel.** 1 in 10 online where the procedure offers an online service, 1 in 30 by post where it
  allows the postal channel, otherwise at the counter. Online counts as `received.online`, counter and
  post as `received.counter_postal`.
- **Return.** 1 in 8 by post (with a delivery address) where the procedure allows it, else at the
  counter; 1 in 50 resolved dossiers was never collected (no `returned_at`).
- **In progress.** Received on a working day from 20 to 31 May 2019, with an appointment in June (so
  within the deadline on 31 May): their steps before the last are completed, the last is open
  (assigned, not completed, assigned on or before 31 May); nothing is planned after it, so answering
  it ends the dossier.
- **Times.** Receptions at a minute of office hours (07:00–11:30, 13:30–17:00) on a working day of
  `WorkingCalendar()` (weekends and public holidays off, Tết 2019 included; the make-up Saturday
  05/01/2019 worked); every later moment is a working-minute offset of the reception by the same
  calendar, so it is in office hours too (an offset that fills a period ends at its closing, 11:30 or
  17:00). Appointments (`due_at`) are the procedure's processing
  time added by that calendar, as intake computes them; steps carry their share of it by the plan's
  weights. Every record is checked against reporting's rule (late after the appointment instant, early
  on an earlier local day) before it is returned.
"""
from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time as clock_time, timedelta
from fractions import Fraction
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from motcua_shared.reference import Hierarchy, OnlineLevel, load_agencies, load_catalogue, load_units
from motcua_shared.workcal import WorkingCalendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DISTRICT = "126"
PERIOD = (date(2019, 1, 1), date(2019, 5, 31))
PERIOD_END = datetime(2019, 6, 1, tzinfo=VN)  # 24:00 on 31/05/2019
LAST_OFFICE_MINUTE = datetime(2019, 5, 31, 17, 0, tzinfo=VN)
OPEN_FROM = date(2019, 5, 20)  # the in-progress dossiers arrive in the last fortnight of May
# The article's table (docs/domain.md §3.5).
SEED_TABLE = {("one_stop", "resolved"): 66_369, ("one_stop", "in_progress"): 59,
              ("inter_agency", "resolved"): 133, ("inter_agency", "in_progress"): 11}
SEED_RECEIVED = 66_572
CALENDAR = WorkingCalendar()
HOUR = Fraction(1, 60)  # one working minute, in working hours

# Chứng thực and hộ tịch are most of a commune desk's work; every other procedure weighs 1.
COMMUNE_WEIGHTS = {"2.000815": 30, "2.000884": 10, "1.001193": 8, "1.004873": 6, "1.000894": 3, "2.000635": 3,
                   "1.000656": 2}
DISTRICT_WEIGHTS = {"MC.003": 10, "2.000575": 3, "2.000620": 2}
FAMILY = ("Lò", "Cầm", "Quàng", "Lường", "Vì", "Tòng", "Hoàng", "Nguyễn", "Mùa", "Lê", "Giàng", "Sồng", "Điêu")
MALE = ("Văn Thắng", "Văn Pọm", "Văn Hùng", "Văn Khương", "Đức Minh", "A Páo", "Văn Sơn", "Văn Dũng", "Văn Ánh")
FEMALE = ("Thị Hoa", "Thị Ánh", "Thị Xuân", "Thị Thu", "Thị Hương", "Thị Mai", "Thị Ngọc", "Thị Yến", "Thị Dung")
HAMLETS = ("Bản Hưng Mai", "Bản Pá Hốc", "Bản Nà Hin", "Bản Huổi Mòn", "Bản Co Sáy", "Bản Phiêng Ban",
           "Bản Nà Dạ", "Tổ dân phố 3")
SUPPLEMENT_NOTES = ("Thiếu bản sao Giấy khai sinh", "Thiếu giấy tờ chứng minh nơi cư trú",
                    "Tờ khai chưa ghi đủ thông tin người làm chứng", "Thiếu bản sao sổ hộ khẩu")
REFUSALS = ("Người yêu cầu không đủ điều kiện theo quy định", "Giấy tờ xuất trình không còn giá trị sử dụng")
WITHDRAWALS = ("Công dân không còn nhu cầu", "Công dân xin rút hồ sơ để hoàn thiện giấy tờ")


@dataclass(frozen=True)
class History:
    records: list[dict]  # the import file's records (JSON-lines shape), in order of reception
    expected: dict  # the Biểu 06 summary for unit 126, from=2019-01-01, to=2019-05-31


@dataclass
class Plan:
    """What one dossier is to be, before its moments are drawn."""
    mechanism: str  # one_stop | inter_agency
    outcome: str  # early | on_time | within_deadline (the Biểu 06 outcome column)
    kind: str  # approved | supplement | rejected | withdrawn | open


def scaled(figure: int, scale: int) -> int:
    return max(1, round(figure / scale))


# -- the reference data, once per process ------------------------------------------------------------
@cache
def _plans():
    from motcua_routing.plans import RoutePlans, read_plan_rows  # routing's own plans: steps as routing has them

    return RoutePlans.from_rows(read_plan_rows(), load_catalogue())


@cache
def _procedures() -> dict[str, tuple[list, list[int]]]:
    """(procedures, weights) per kind of dossier: commune / district one-stop, inter-agency."""
    day = PERIOD[0]
    found = {"commune": ([], []), "district": ([], []), "inter_agency": ([], [])}
    for procedure in load_catalogue().all():
        level = str(procedure.level_on(day))
        if not procedure.in_force_on(day):
            continue  # a group created later (1.011537 in 2023, MC.011 in 2024) has no 2019 dossiers
        if procedure.inter_agency:
            # Only the commune → district groups: the death groups climb on to the province, and the
            # land conversion (inter-agency with the tax office) is lodged at the district itself.
            if procedure.route_on(day) == ("commune", "district"):
                found["inter_agency"][0].append(procedure)
                found["inter_agency"][1].append(1)
        elif level in ("commune", "district"):
            weights = COMMUNE_WEIGHTS if level == "commune" else DISTRICT_WEIGHTS
            found[level][0].append(procedure)
            found[level][1].append(weights.get(procedure.code, 1))
    return found


@cache
def _communes() -> tuple[str, ...]:
    units = load_units()
    return tuple(sorted(u.code for u in units.children(DISTRICT, PERIOD[0])))


@cache
def _working_days(first: date, last: date) -> tuple[date, ...]:
    days, day = [], first
    while day <= last:
        if CALENDAR.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return tuple(days)


@cache
def _agency_name(role: str, unit: str) -> str:
    return load_agencies().for_role(role, unit, PERIOD[0]).name


@cache
def _officers(unit: str) -> tuple[str, ...]:
    """A unit's few officers (names drawn from the unit code, so they are the same in every run)."""
    rng = random.Random(f"officers-{unit}")
    return tuple(f"{rng.choice(FAMILY)} {rng.choice(MALE + FEMALE)}" for _ in range(4))


# -- moments -------------------------------------------------------------------------------------------
def office_moment(rng: random.Random, day: date) -> datetime:
    """A minute the desk is open: 07:00–11:29 or 13:30–16:59 (office periods are half-open)."""
    minutes = rng.choice([rng.randint(0, 269), rng.randint(390, 599)])
    return datetime.combine(day, clock_time(7, 0), VN) + timedelta(minutes=minutes)


class WorkingMinutes:
    """`WorkingCalendar.advance` in working minutes and `working_minutes_between`, exactly as the
    calendar computes them, over a table of the working days around the period: a whole year of
    records needs a few hundred thousand of these, and the calendar walks day by day
    (tests/unit/test_district_history.py checks the two agree)."""

    def __init__(self, calendar: WorkingCalendar, first: date, last: date):
        self.calendar, self.office, self.first, self.last = calendar, calendar.office_hours, first, last
        self.day_minutes = calendar.working_day_minutes
        self.days: list[date] = []
        self.before: dict[date, int] = {}  # working days strictly before each day of the table
        day = first
        while day <= last:
            self.before[day] = len(self.days)
            if calendar.is_working_day(day):
                self.days.append(day)
            day += timedelta(days=1)
        self.working = set(self.days)
        # The office day, minute by minute: minutes worked before each minute of the day, and the
        # minute of day at which each number of working minutes is reached.
        self.worked = [self.office.worked_before(minute) for minute in range(24 * 60 + 1)]
        self.reached = [0] + [self.office.minute_reached(n) for n in range(1, self.day_minutes + 1)]

    def _inside(self, local: datetime) -> bool:
        return self.first < local.date() < self.last

    def later(self, instant: datetime, minutes: int) -> datetime:
        local = instant.astimezone(VN)
        if minutes == 0 or not self._inside(local):
            return self.calendar.advance(instant, minutes * HOUR, "working_hours")
        day, minute = local.date(), local.hour * 60 + local.minute
        if day in self.working:
            index, done = self.before[day], self.worked[minute]
        else:
            index, done = self.before[day], 0  # the next working day, from its opening
        reached = done + minutes
        forward = (reached - 1) // self.day_minutes  # a day is left only when its minutes are used up
        target = self.days[index + forward]
        hour, minute = divmod(self.reached[reached - forward * self.day_minutes], 60)
        return datetime(target.year, target.month, target.day, hour, minute, tzinfo=VN)

    def between(self, a: datetime, b: datetime) -> int:
        first, last = a.astimezone(VN), b.astimezone(VN)
        if last < first or not (self._inside(first) and self._inside(last)):
            return self.calendar.working_minutes_between(a, b)
        worked = self._worked_on(last) - self._worked_on(first)
        return (self.before[last.date()] - self.before[first.date()]) * self.day_minutes + worked

    def _worked_on(self, local: datetime) -> int:
        if local.date() not in self.working:
            return 0
        return self.worked[local.hour * 60 + local.minute]


MINUTES = WorkingMinutes(CALENDAR, date(2018, 12, 1), date(2019, 12, 31))


def later(instant: datetime, minutes: int) -> datetime:
    """`minutes` working minutes after `instant` (office hours and days off skipped)."""
    return MINUTES.later(instant, minutes)


def minutes_between(a: datetime, b: datetime) -> int:
    return MINUTES.between(a, b)


def appointment(procedure, received_at: datetime) -> datetime:
    """The appointment on the receipt: `CALENDAR.add` of the procedure's time (a time in working hours
    or days walked on the table from the calendar's start of count: the same instant, faster)."""
    value, unit = procedure.processing_time.value, str(procedure.processing_time.unit)
    if unit == "working_hours" and value:
        return later(CALENDAR.start_of_count(received_at), value * 60)
    if unit == "working_days" and value:
        return later(CALENDAR.start_of_count(received_at), value * CALENDAR.working_day_minutes)
    return CALENDAR.add(received_at, value, unit)


def last_close_before(day: date) -> datetime:
    """17:00 on the last working day before `day`."""
    day -= timedelta(days=1)
    while not CALENDAR.is_working_day(day):
        day -= timedelta(days=1)
    return datetime.combine(day, clock_time(17, 0), VN)


def iso(instant: datetime | None) -> str | None:
    return None if instant is None else instant.astimezone(VN).isoformat()


def end_class(ended: datetime, due: datetime, *, has_result: bool) -> str:
    """Reporting's rule (statistics definitions): late after the appointment instant; early when a result
    came on an earlier local day than the appointment's; otherwise on time."""
    if ended > due:
        return "late"
    if has_result and ended.astimezone(VN).date() < due.astimezone(VN).date():
        return "early"
    return "on_time"


# -- the plan of the whole table -----------------------------------------------------------------------
def _kinds(mechanism: str, resolved: int, in_progress: int) -> list[Plan]:
    withdrawn = resolved // 400 if mechanism == "one_stop" else 0
    early = round((resolved - withdrawn) * 4 / 5)
    on_time = resolved - withdrawn - early
    plans = []
    for i in range(early):
        kind = "rejected" if i % 97 == 50 else "supplement" if i % 12 == 5 else "approved"
        plans.append(Plan(mechanism, "early", kind))
    plans += [Plan(mechanism, "on_time", "approved") for _ in range(on_time)]
    plans += [Plan(mechanism, "on_time", "withdrawn") for _ in range(withdrawn)]
    plans += [Plan(mechanism, "within_deadline", "open") for _ in range(in_progress)]
    return plans


def district_year(scale: int = 1, seed: int = 2019) -> History:
    if scale < 1:
        raise ValueError("scale must be a positive integer")
    rng = random.Random(seed)
    figures = {key: scaled(value, scale) for key, value in SEED_TABLE.items()}
    plans = (_kinds("one_stop", figures["one_stop", "resolved"], figures["one_stop", "in_progress"])
             + _kinds("inter_agency", figures["inter_agency", "resolved"], figures["inter_agency", "in_progress"]))
    drawn = [_draw(rng, plan, index) for index, plan in enumerate(plans)]
    drawn.sort(key=lambda item: (item[0]["received_at"], item[0]["receiving_unit"], item[2]))
    records, sequence = [], Counter()
    tallies = {name: Counter() for name in ("total", "one_stop", "inter_agency")}
    for record, plan, _index in drawn:
        received = datetime.fromisoformat(record["received_at"])
        key = (record["receiving_unit"], received.date())
        sequence[key] += 1
        record["code"] = f"000.00.{record['receiving_unit']}.H52-{received:%y%m%d}-{sequence[key]:04d}"
        records.append(record)
        intake = "online" if record["channel"] == "online" else "counter_postal"
        for name in ("total", plan.mechanism):
            tallies[name][intake] += 1
            tallies[name][plan.outcome] += 1
    expected = {**_groups(tallies["total"]), "one_stop": _groups(tallies["one_stop"]),
                "inter_agency": _groups(tallies["inter_agency"])}
    # The table must be the article's, scaled.
    for mechanism in ("one_stop", "inter_agency"):
        assert expected[mechanism]["resolved"]["total"] == figures[mechanism, "resolved"], mechanism
        assert expected[mechanism]["in_progress"]["total"] == figures[mechanism, "in_progress"], mechanism
        assert expected[mechanism]["resolved"]["late"] == expected[mechanism]["in_progress"]["overdue"] == 0
    assert expected["received"]["total"] == sum(figures.values()) == len(records)
    assert expected["received"]["carried_over"] == 0
    if scale == 1:
        assert len(records) == SEED_RECEIVED
    assert len({r["code"] for r in records}) == len(records)
    return History(records, expected)


def _groups(tally: Counter) -> dict:
    resolved = tally["early"] + tally["on_time"] + tally["late"]
    in_progress = tally["within_deadline"] + tally["overdue"]
    return {"received": {"total": resolved + in_progress, "online": tally["online"],
                         "counter_postal": tally["counter_postal"], "carried_over": 0},
            "resolved": {"total": resolved, "early": tally["early"], "on_time": tally["on_time"], "late": tally["late"]},
            "in_progress": {"total": in_progress, "within_deadline": tally["within_deadline"],
                            "overdue": tally["overdue"]}}


# -- one dossier ---------------------------------------------------------------------------------------
def _draw(rng: random.Random, plan: Plan, index: int) -> tuple[dict, Plan, int]:
    """The record of one planned dossier: draw its procedure, desk and reception until its kind fits."""
    catalogue = _procedures()
    for _attempt in range(200):
        if plan.mechanism == "inter_agency":
            pool = "inter_agency"
        else:
            pool = "district" if rng.random() < 0.2 else "commune"
        procedures, weights = catalogue[pool]
        procedure = rng.choices(procedures, weights=weights)[0]
        unit = DISTRICT if pool == "district" else rng.choice(_communes())
        if plan.kind == "open":
            days = _working_days(OPEN_FROM, PERIOD[1])
        else:
            days = _working_days(PERIOD[0], PERIOD[1])
        received_at = office_moment(rng, rng.choice(days))
        record = _record(rng, plan, index, procedure, unit, received_at)
        if record is not None:
            return record, plan, index
    raise AssertionError(f"no dossier fits {plan}")  # pragma: no cover (the weights make this unreachable)


def _route(procedure, unit: str, channel: str) -> tuple[list[tuple[str, str, str, str]], list[int]]:
    """(unit, level, agency name, action) of each step routing's plan gives this dossier, in order, and
    each step's weight (its share of the time limit)."""
    return _route_of(procedure.code, unit, channel)


@cache
def _route_of(procedure_code: str, unit: str, channel: str):
    procedure = load_catalogue().get(procedure_code)
    lineage = {str(u.level): u.code for u in load_units().lineage(unit, PERIOD[0])}
    plan = _plans().for_dossier(procedure, Hierarchy.THREE_LEVEL, channel)
    return [(lineage[str(step.level)], str(step.level), _agency_name(step.role, lineage[str(step.level)]),
             step.action) for step in plan.steps], [step.weight for step in plan.steps]


def _record(rng: random.Random, plan: Plan, index: int, procedure, unit: str,
            received_at: datetime) -> dict | None:
    """The record, or None when this procedure and reception cannot be this plan's kind of dossier."""
    due = appointment(procedure, received_at)
    supplement = plan.kind == "supplement"
    if supplement and minutes_between(received_at, due) < 3 * CALENDAR.working_day_minutes:
        return None  # a supplement takes days: only a procedure with time to spare keeps it early
    channel = _channel(rng, procedure, index)
    route, weights = _route(procedure, unit, channel)
    min_span = 6 * (len(route) + 2)  # a few working minutes per step at the least

    # The end of processing (or the open step's assignment), by kind.
    if plan.kind == "open":
        if due < PERIOD_END or received_at > LAST_OFFICE_MINUTE:
            return None
        span = minutes_between(received_at, LAST_OFFICE_MINUTE)
        if span < min_span:
            return None
        end = later(received_at, rng.randint(min_span, min(span, 3 * CALENDAR.working_day_minutes)))
    elif plan.outcome == "early":
        latest = min(last_close_before(due.astimezone(VN).date()), LAST_OFFICE_MINUTE)
        span = minutes_between(received_at, latest)
        if span < min_span:
            return None
        end = later(received_at, rng.randint(min_span, span) if rng.random() < 0.3
                    else max(min_span, span - rng.randint(0, CALENDAR.working_day_minutes)))
    else:  # on time: on the appointment's day, at or before its instant
        if due > LAST_OFFICE_MINUTE:
            return None
        local_due = due.astimezone(VN)
        opening = datetime.combine(local_due.date(), clock_time(7 if local_due.hour < 12 else 13,
                                                                0 if local_due.hour < 12 else 30), VN)
        earliest = max(opening, later(received_at, min_span))
        if earliest > due or earliest.date() != local_due.date():
            return None
        end = earliest + timedelta(minutes=rng.randint(0, int((due - earliest).total_seconds() // 60)))
    if minutes_between(received_at, end) < min_span:
        return None

    steps, supplements = _steps(rng, plan, procedure, route, weights, received_at, due, end)
    applicant = _applicant(rng, unit)
    return_method = "postal" if procedure.postal_allowed and index % 8 == 3 else "counter"
    record = {
        "code": "", "procedure_code": procedure.code, "channel": channel, "receiving_unit": unit,
        "competent_unit": _competent(procedure, unit), "applicant": applicant, "return_method": return_method,
        "delivery_address": applicant["address"] if return_method == "postal" else None,
        # `;` separates the documents in a CSV cell: the few catalogue names holding one get a comma.
        "documents": [{"name": d.name.replace(";", ","), "copy_type": str(d.copy_type), "count": d.count}
                      for d in procedure.documents if not d.condition][:3],
        "received_at": iso(received_at), "received_by": rng.choice(_officers(unit)), "due_at": iso(due),
        "steps": steps, "supplements": supplements,
        "processed_at": None, "result": None, "result_note": None, "returned_at": None, "returned_by": None,
        "withdrawn_at": None, "withdrawal_reason": None,
    }
    due_in_force = due
    for pause in supplements:
        due_in_force = CALENDAR.extend(due_in_force, datetime.fromisoformat(pause["requested_at"]),
                                       datetime.fromisoformat(pause["received_at"]))
    if plan.kind == "withdrawn":
        record.update(withdrawn_at=iso(end), withdrawal_reason=rng.choice(WITHDRAWALS))
        assert end_class(end, due_in_force, has_result=False) == plan.outcome
    elif plan.kind != "open":
        rejected = plan.kind == "rejected"
        record.update(processed_at=iso(end), result="rejected" if rejected else "approved",
                      result_note=rng.choice(REFUSALS) if rejected else None)
        if index % 50 != 7:  # a few results were never collected
            record.update(returned_at=iso(later(end, rng.randint(10, 3 * CALENDAR.working_day_minutes))),
                          returned_by=return_method)
        assert end_class(end, due_in_force, has_result=True) == plan.outcome, (plan, record)
    else:
        assert due_in_force > PERIOD_END
    return record


def _channel(rng: random.Random, procedure, index: int) -> str:
    if index % 10 == 4 and procedure.online is not OnlineLevel.NONE:
        return "online"
    if index % 30 == 11 and procedure.postal_allowed:
        return "postal"
    return "counter"


def _competent(procedure, unit: str) -> str:
    """The unit whose agency decides: the procedure's level in the receiving unit's lineage."""
    lineage = {str(u.level): u.code for u in load_units().lineage(unit, PERIOD[0])}
    return lineage[str(procedure.level_on(PERIOD[0]))]


def _applicant(rng: random.Random, unit: str) -> dict:
    female = rng.random() < 0.5
    name = f"{rng.choice(FAMILY)} {rng.choice(FEMALE if female else MALE)}"
    born = rng.randint(1950, 2000)
    # CCCD: province of birth (014 Sơn La), sex and century (0 male / 1 female, 1900s), year, serial.
    id_number = f"014{int(female)}{born % 100:02d}{rng.randrange(10 ** 6):06d}"
    commune = load_units().find(unit if unit != DISTRICT else rng.choice(_communes()), PERIOD[0])
    phone = f"0{rng.choice('3789')}{rng.randrange(10 ** 8):08d}" if rng.random() < 0.8 else None
    email = f"congdan{rng.randrange(10 ** 6):06d}@example.vn" if rng.random() < 0.1 else None
    return {"full_name": name, "id_number": id_number, "phone": phone, "email": email,
            "address": f"{rng.choice(HAMLETS)}, {commune.name[0].lower()}{commune.name[1:]}, huyện Sông Mã, tỉnh Sơn La"}


def _steps(rng: random.Random, plan: Plan, procedure, route, weights, received_at: datetime, due: datetime,
           end: datetime) -> tuple[list[dict], list[dict]]:
    """The steps (and supplements) between reception and `end`.

    Resolved: the steps share [received, end] and the last one ends at `end` (the result). Withdrawn:
    the first step is done halfway, the withdrawal comes at `end`. In progress: the steps before the
    last share [received, end]; the last is assigned at `end` and still open. A supplement: the first
    step asks for it, the citizen brings it halfway to the second boundary, the step is done again."""
    # Each step's due time: its share of the appointment by the plan's weights, as routing budgets it.
    start = CALENDAR.start_of_count(received_at)
    total, whole = max(minutes_between(start, due), 0), sum(weights)
    step_dues, done = [], 0
    for weight in weights:
        done += weight
        step_dues.append(due if done == whole else later(start, total * done // whole))
    entries = list(zip(route, step_dues))
    if plan.kind in ("rejected", "withdrawn"):
        entries = entries[:1]
    outcomes = ["approved"] * len(entries)
    if plan.kind == "supplement":
        entries, outcomes = [entries[0]] + entries, ["supplement_required"] + outcomes
    if plan.kind == "rejected":
        outcomes[-1] = "rejected"
    count, span = len(entries), minutes_between(received_at, end)

    def cut(k: int, of: int) -> datetime:
        return later(received_at, max(1, span * k // of))

    if plan.kind == "open":  # steps 1..n-1 done in [received, end], step n open from `end`
        bounds = [received_at] + [cut(k, count - 1) for k in range(1, count - 1)] + [end]
        if count == 1:
            bounds = [end]
        bounds.append(None)
    elif plan.kind == "withdrawn":
        bounds = [received_at, cut(1, 2)]
    else:
        bounds = [received_at] + [cut(k, count) for k in range(1, count)] + [end]

    steps, supplements = [], []
    if plan.kind == "supplement":
        asked = bounds[1]
        brought = later(asked, max(1, minutes_between(asked, bounds[2]) // 2))
        note = rng.choice(SUPPLEMENT_NOTES)
        supplements.append({"requested_at": iso(asked), "received_at": iso(brought), "note": note,
                            "items": [note.removeprefix("Thiếu ")]})
    for number, ((unit, _level, agency, action), step_due) in enumerate(entries, start=1):
        assigned, completed = bounds[number - 1], bounds[number]
        if supplements and number >= 2:  # the wait moves every later step's due time, as the appointment
            step_due = CALENDAR.extend(step_due, asked, brought)
            if number == 2:
                assigned = brought
        outcome = None if completed is None else outcomes[number - 1]
        steps.append({
            "unit": unit, "agency": agency, "action": action, "assigned_at": iso(assigned),
            "due_at": iso(step_due), "completed_at": iso(completed), "outcome": outcome,
            "handled_by": None if completed is None else rng.choice(_officers(unit)),
            "note": (supplements[0]["note"] if outcome == "supplement_required"
                     else rng.choice(REFUSALS) if outcome == "rejected" else None),
        })
    return steps, supplements


# -- files ---------------------------------------------------------------------------------------------
def write_jsonl(records: list[dict], path: str | Path) -> Path:
    """The records as a JSON-lines import file (UTF-8, one record a line, Vietnamese kept as is)."""
    path = Path(path)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
            handle.write("\n")
    return path


def write_csv(records: list[dict], path: str | Path) -> Path:
    """The records as a CSV import file laid out as intake reads it (imports/columns.py): one row per
    dossier, Vietnamese headers and values, times as `dd/mm/yyyy HH:MM` in Vietnam, UTF-8 with a BOM and
    `;` between cells, as Excel writes it in a Vietnamese locale."""
    import csv

    from motcua_intake.imports import columns

    labels = {"channel": columns.CHANNEL_LABELS, "return_method": columns.CHANNEL_LABELS,
              "returned_by": columns.CHANNEL_LABELS, "result": columns.RESULT_LABELS,
              "action": columns.ACTION_LABELS, "outcome": columns.OUTCOME_LABELS}
    times = columns.TIME_FIELDS | columns.STEP_TIME_FIELDS | columns.SUPPLEMENT_TIME_FIELDS

    def cell(name: str, value) -> str:
        if value is None:
            return ""
        if name in labels:
            return labels[name][value]
        if name in times:
            return datetime.fromisoformat(value).astimezone(VN).strftime("%d/%m/%Y %H:%M")
        if name == "items":
            return "; ".join(value)
        if name == "documents":
            assert not any(";" in d["name"] for d in value)
            return "; ".join(f"{d['name']} ({columns.COPY_TYPE_LABELS[d['copy_type']]}, {d['count']})" for d in value)
        return str(value)

    steps = max(len(r["steps"]) for r in records)
    supplements = max(len(r["supplements"]) for r in records)
    path = Path(path)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(columns.template_headers(steps, supplements))
        for record in records:
            row = [cell(name, record["applicant"][name[10:]] if name.startswith("applicant.") else record[name])
                   for name, _ in columns.DOSSIER_COLUMNS]
            for number in range(steps):
                step = record["steps"][number] if number < len(record["steps"]) else {}
                row += [cell(name, step.get(name)) for name, _ in columns.STEP_COLUMNS]
            for number in range(supplements):
                pause = record["supplements"][number] if number < len(record["supplements"]) else {}
                row += [cell(name, pause.get(name)) for name, _ in columns.SUPPLEMENT_COLUMNS]
            writer.writerow(row)
    return path
