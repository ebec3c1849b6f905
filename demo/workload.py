"""The demo's workload, drawn from the seed alone: which dossiers arrive where, how, and what the officers
will do with them. Pure (no I/O), so the same seed always gives the same plan and the same expected table.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time as clock_time, timedelta
from zoneinfo import ZoneInfo

from motcua_shared.reference import load_catalogue
from motcua_shared.workcal import WorkingCalendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DISTRICT = "126"
# The demo's "today": the services (and the postal partner) see this as their wall clock at the start.
DEMO_NOW = datetime(2019, 6, 28, 8, 0, tzinfo=VN)
PERIOD = (date(2019, 6, 17), date(2019, 6, 28))
# The officers finish their work within this much demo time after DEMO_NOW (the run gives up long
# before). No appointment is allowed to fall inside it, so whether a dossier finished on time never
# depends on how fast this machine is.
WORK_WINDOW = timedelta(minutes=30)
DESK_COMMUNES = ("04168", "04222", "04195", "04183")  # Thị trấn Sông Mã, Chiềng Khương, Chiềng Sơ, Mường Lầm
FAMILY = ("Lò", "Cầm", "Quàng", "Lường", "Vì", "Hoàng", "Nguyễn", "Tòng", "Lê", "Mùa")
GIVEN = ("Văn Thắng", "Thị Hoa", "Văn Pọm", "Thị Ánh", "Văn Hùng", "Thị Xuân", "Đức Minh", "Thị Thu", "A Páo",
         "Văn Khương")
HAMLETS = ("Bản Hưng Mai", "Bản Pá Hốc", "Bản Nà Hin", "Bản Huổi Mòn", "Bản Co Sáy", "Tổ dân phố 3")
# Most dossiers still on the desks on the 28th arrived in the last few days; a few are a fortnight old.
DAY_WEIGHTS = (1, 1, 1, 1, 1, 2, 3, 4, 5, 6)
# The inter-agency group that climbs all three levels in 2019 (commune → district → province): death
# registration with survivor and funeral allowances. The first dossier of every plan is one, so the
# demo always shows a route through the commune, the district and Sơn La.
THREE_LEVEL_SHOWCASE = "1.010915"
# The province defaults (MOTCUA_OFFICE_HOURS, MOTCUA_RECEPTION_CUTOFF), which the demo does not change.
CALENDAR = WorkingCalendar()


@dataclass
class Plan:
    """One dossier: where and how it arrives, and what the officers will do with it."""
    procedure: str
    level: str
    inter_agency: bool
    desk: str
    channel: str
    return_method: str
    received_at: datetime
    due_at: datetime  # the appointment the demo expects intake to print on the receipt
    fate: str  # approve | supplement | leave_open
    applicant: dict = field(default_factory=dict)
    code: str = ""
    climbs: bool = False  # its route goes commune → district → province
    supplemented: bool = False
    returned: bool = False


def working_moment(rng: random.Random, day: date) -> datetime:
    minutes = rng.choice([rng.randint(0, 269), rng.randint(390, 599)])  # 07:00–11:30, 13:30–17:00
    return datetime.combine(day, clock_time(7, 0), VN) + timedelta(minutes=minutes)


def working_days(first: date, last: date) -> list[date]:
    days, day = [], first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def appointment(procedure, received_at: datetime) -> datetime:
    """The appointment on the receipt, by the shared working calendar (as intake computes it)."""
    return CALENDAR.add(received_at, procedure.processing_time.value, procedure.processing_time.unit)


def ambiguous(due: datetime) -> bool:
    """An appointment inside the officers' working window: early/on time/late would depend on timing."""
    return DEMO_NOW - timedelta(minutes=1) <= due <= DEMO_NOW + WORK_WINDOW


def plan_workload(seed: int, size: int) -> list[Plan]:
    rng = random.Random(seed)
    catalogue = load_catalogue()
    # Only procedures that existed in June 2019 (the groups created in 2023 and 2024 did not).
    existing = [p for p in catalogue.all() if p.in_force_on(PERIOD[0])]
    by_level = {level: [p for p in existing if p.level_on(PERIOD[0]) == level]
                for level in ("commune", "district", "province")}
    # Liên thông procedures whose 2019 route climbs from the commune to the province.
    climbing = [p for p in existing if p.route_on(PERIOD[0]) == ("commune", "district", "province")]
    days = working_days(PERIOD[0], PERIOD[1] - timedelta(days=1))  # received before "today"
    plans = []
    for index in range(size):
        kind = "climbing" if index == 0 else rng.choices(
            ("commune", "district", "province", "climbing"), weights=(10, 8, 2, 1))[0]
        if kind == "climbing":
            procedure = catalogue.get(THREE_LEVEL_SHOWCASE) if index == 0 else rng.choice(climbing)
        else:
            procedure = rng.choice(by_level[kind])
        level = str(procedure.level_on(PERIOD[0]))
        # An inter-agency dossier starts where the citizen lives: its route begins with the commune.
        at_district = level != "commune" and not procedure.inter_agency and rng.random() < 0.6
        desk = DISTRICT if at_district else rng.choice(DESK_COMMUNES)
        channel = rng.choices(("counter", "online", "postal"), weights=(6, 3, 1))[0]
        if channel == "postal" and not procedure.postal_allowed:
            channel = "counter"
        # Online filing only where the procedure was offered online in June 2019 (level 3 or 4 then).
        if channel == "online" and procedure.online_on(PERIOD[0]) == "none":
            channel = "counter"
        # Decision 45/2016: where the procedure allows it, about a third of citizens want the result
        # brought home by the post; the reference partner carries it (on the demo's clock).
        return_method = "postal" if procedure.postal_allowed and rng.random() < 0.35 else "counter"
        fate = rng.choices(("approve", "supplement", "leave_open"), weights=(7, 2, 2))[0]
        if index == 0:
            fate = "approve"  # the showcase goes all the way up to the province and back
        if "province" in procedure.route_on(PERIOD[0]) and fate == "leave_open":
            fate = "approve"  # the province handler answers its steps whatever the district does
        family, given = rng.choice(FAMILY), rng.choice(GIVEN)
        applicant = {"full_name": f"{family} {given}", "id_number": f"0141{rng.randrange(10**8):08d}",
                     "phone": f"09{rng.randrange(10**8):08d}", "address": f"{rng.choice(HAMLETS)}, huyện Sông Mã"}
        while True:  # draw the arrival again until its appointment is clear of the working window
            received_at = working_moment(rng, rng.choices(days, weights=DAY_WEIGHTS[-len(days):])[0])
            due_at = appointment(procedure, received_at)
            if not ambiguous(due_at):
                break
        plans.append(Plan(procedure.code, level, procedure.inter_agency, desk, channel, return_method,
                          received_at, due_at, fate, applicant,
                          climbs=procedure.route_on(PERIOD[0]) == ("commune", "district", "province")))
    plans.sort(key=lambda p: p.received_at)
    return plans
