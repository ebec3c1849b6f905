"""The calendar as yearly data files (issue 14, item 3): the shipped schedules of 2019–2026, the
province's directory that adds or replaces a year, the checks every file passes before it is used, the
fallback for a year without a file, and the `check` command. Dates are worked out by hand."""
from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays
import pytest

from motcua_shared.settings import Settings, load
from motcua_shared.service import install_calendar
from motcua_shared.workcal import WorkingCalendar, install, missing_years, official_year
from motcua_shared.workcal.__main__ import main as check_command
from motcua_shared.workcal.official import BUILT_IN_DIR
from motcua_shared.workcal.schedule_file import ScheduleFileError, read_file

VN = ZoneInfo("Asia/Ho_Chi_Minh")
HEADER = "date,kind,name,source,pair\n"
FIXED = ("2027-01-01,holiday,Tết Dương lịch,Bộ luật Lao động 2019 Điều 112(1),\n"
         "2027-04-30,holiday,Ngày Chiến thắng,Bộ luật Lao động 2019 Điều 112(1),\n"
         "2027-05-01,holiday,Ngày Quốc tế Lao động,Bộ luật Lao động 2019 Điều 112(1),\n"
         "2027-09-02,holiday,Quốc khánh,Bộ luật Lao động 2019 Điều 112(1),\n")


@pytest.fixture(autouse=True)
def shipped_files_only():
    """Each test installs what it needs; afterwards the process computes with the shipped files again."""
    install(None)
    yield
    install(None)


def write(directory: Path, name: str, body: str) -> Path:
    directory.mkdir(exist_ok=True)
    path = directory / name
    path.write_text(body, encoding="utf-8")
    return path


def vn(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VN)


def test_the_shipped_files_cover_2019_to_2026_and_the_2027_schedule_is_missing():
    assert sorted(int(p.stem) for p in BUILT_IN_DIR.glob("*.csv")) == list(range(2019, 2027))
    assert missing_years(range(2018, 2028)) == [2018, 2027]
    for path in sorted(BUILT_IN_DIR.glob("*.csv")):
        schedule = read_file(path)
        assert all(row.source for row in schedule.rows)


def test_the_new_year_2026_swap_the_package_misses_is_in_the_2026_file():
    year = official_year(2026)
    assert year.days_off[date(2026, 1, 2)] == "Ngày nghỉ hoán đổi (làm bù thứ Bảy 10/01/2026)"
    assert date(2026, 1, 10) in year.weekend_workdays
    calendar = WorkingCalendar()
    assert not calendar.is_working_day(date(2026, 1, 2)) and calendar.is_working_day(date(2026, 1, 10))
    # docs/domain.md §6.3's worked example: received Wed 31/12/2025, 2 working days. Thu 01/01 is a holiday,
    # Fri 02/01 the swapped day off, then the weekend: Mon 05/01 is day 1, Tue 06/01 day 2.
    assert calendar.add(vn("2025-12-31 09:00"), 2, "working_days") == vn("2026-01-06 09:00")
    # A receipt on Fri 09/01/2026 with 1 working day is due on the worked Saturday 10/01.
    assert calendar.add(vn("2026-01-09 09:00"), 1, "working_days") == vn("2026-01-10 09:00")


def test_the_files_agree_with_the_package_except_the_2026_new_year_swap():
    """The package (0.109) is right for every other weekday of 2019–2026 (docs/domain.md §6.3)."""
    package = holidays.country_holidays("VN", years=range(2019, 2027))
    calendar = WorkingCalendar()
    days = (date(2019, 1, 1) + timedelta(days=n) for n in range((date(2027, 1, 1) - date(2019, 1, 1)).days))
    differing = [day for day in days if calendar.is_working_day(day) != package.is_working_day(day)]
    assert differing == [date(2026, 1, 2), date(2026, 1, 10)]


def test_the_2019_swaps_and_the_2025_swap_are_the_decreed_ones():
    calendar = WorkingCalendar()
    # Công văn 6519/VPCP-KGVX: Sat 05/01/2019 and Sat 04/05/2019 worked, Mon 29/04/2019 off.
    assert calendar.is_working_day(date(2019, 1, 5)) and calendar.is_working_day(date(2019, 5, 4))
    assert not calendar.is_working_day(date(2019, 4, 29))
    # 6150/TB-BLĐTBXH: Sat 26/04/2025 worked, Fri 02/05/2025 off; Tết Mon 27/01–Fri 31/01/2025.
    assert calendar.is_working_day(date(2025, 4, 26)) and not calendar.is_working_day(date(2025, 5, 2))
    assert [calendar.is_working_day(date(2025, 1, d)) for d in range(27, 32)] == [False] * 5
    assert calendar.is_working_day(date(2025, 2, 3))


def test_a_file_in_the_province_directory_replaces_the_shipped_year_and_adds_a_new_one(tmp_path):
    shipped = (BUILT_IN_DIR / "2026.csv").read_text(encoding="utf-8")
    # The province decides 24/11/2026 is not a day off (the Cultural Day's text was not confirmed).
    write(tmp_path, "2026.csv", "".join(line + "\n" for line in shipped.splitlines() if "2026-11-24" not in line))
    write(tmp_path, "2027.csv", HEADER + FIXED
          + "2027-02-05,holiday,29 Tết,Thông báo của Bộ Nội vụ (thử),\n"
          + "2027-01-30,swap_workday,Ngày làm bù,Thông báo của Bộ Nội vụ (thử),2027-02-12\n"
          + "2027-02-12,swap_day_off,Ngày nghỉ hoán đổi,Thông báo của Bộ Nội vụ (thử),2027-01-30\n")
    write(tmp_path, "README.md", "Not a calendar file: ignored.")
    install(tmp_path)
    calendar = WorkingCalendar()
    assert calendar.is_working_day(date(2026, 11, 24))  # Tue 24/11/2026, a working day again
    assert not calendar.is_working_day(date(2026, 1, 2))  # the rest of the shipped 2026 stays
    assert not calendar.is_working_day(date(2027, 2, 5)) and not calendar.is_working_day(date(2027, 2, 12))
    assert calendar.is_working_day(date(2027, 1, 30))  # a Saturday worked
    assert missing_years([2026, 2027, 2028]) == [2028]
    assert official_year(2027).origin == str(tmp_path / "2027.csv")


@pytest.mark.parametrize(("row", "line", "message"), [
    ("2026-06-01,holiday,Ngày lạ,Quyết định 1/QĐ-UBND,", 7, "is not in 2027, the year of the file"),
    ("2027-06-01,bridge,Ngày lạ,Quyết định 1/QĐ-UBND,", 7, "unknown kind 'bridge'"),
    ("2027-06-01,holiday,Ngày lạ,,", 7, "the source is empty"),
    ("2027-06-01,holiday,,Quyết định 1/QĐ-UBND,", 7, "the name is empty"),
    ("2027-01-01,holiday,Tết Dương lịch,Bộ luật Lao động 2019,", 7, "2027-01-01 is already on line 3"),
    ("2027-06-02,swap_workday,Ngày làm bù,Quyết định 1/QĐ-UBND,2027-06-04", 7,
     "2027-06-02 is a Wednesday: a swap's worked day must be a Saturday or Sunday"),
    ("2027-06-05,day_in_lieu,Nghỉ bù,Bộ luật Lao động 2019 Điều 111(3),", 7, "a day_in_lieu must be a weekday"),
    ("2027-06-04,swap_day_off,Ngày nghỉ hoán đổi,Quyết định 1/QĐ-UBND,", 7, "needs its pair"),
    ("2027-06-04,swap_day_off,Ngày nghỉ hoán đổi,Quyết định 1/QĐ-UBND,2027-06-12", 7,
     "its pair 2027-06-12 must be a swap_workday row paired back with 2027-06-04"),
    ("2027-6-1,holiday,Ngày lạ,Quyết định 1/QĐ-UBND,", 7, "the date '2027-6-1' is not a date YYYY-MM-DD"),
    ("2027-06-01,holiday,Nga\u0300y la\u0323,Quyết định 1/QĐ-UBND,", 7, "not in Unicode NFC"),
    ("2027-06-01,holiday,Ngày lạ", 7, "expected 5 columns"),
])
def test_a_wrong_row_is_reported_with_its_file_and_line(tmp_path, row, line, message):
    # Line 1 a comment, line 2 the header, lines 3–6 the fixed holidays, line 7 the row under test.
    path = write(tmp_path, "2027.csv", "# Lịch 2027\n" + HEADER + FIXED + row + "\n")
    with pytest.raises(ScheduleFileError) as raised:
        read_file(path)
    assert any(problem.line == line and message in problem.message and problem.file == str(path)
               for problem in raised.value.problems), raised.value.problems


def test_a_file_without_a_fixed_holiday_or_with_a_wrong_header_or_name_is_refused(tmp_path):
    path = write(tmp_path, "2027.csv", HEADER + FIXED.replace("2027-09-02,holiday,Quốc khánh,Bộ luật Lao động 2019 Điều 112(1),\n", ""))
    with pytest.raises(ScheduleFileError, match=r"2027.csv: the statutory holiday Quốc khánh \(02/09/2027\) is missing"):
        read_file(path)
    path = write(tmp_path, "2028.csv", "ngay,loai,ten,nguon\n")
    with pytest.raises(ScheduleFileError, match=r"2028.csv:1: the header must be date,kind,name,source,pair"):
        read_file(path)
    path = write(tmp_path, "lich-2027.csv", HEADER + FIXED)
    with pytest.raises(ScheduleFileError, match="the file name must be the year"):
        read_file(path)


def test_a_bad_file_installs_nothing_and_stops_a_service_at_start(tmp_path):
    good = tmp_path / "calendar"
    write(good, "2027.csv", HEADER + FIXED + "2027-06-01,holiday,Ngày nghỉ của tỉnh,Quyết định 1/QĐ-UBND,\n")
    install(good)
    assert not WorkingCalendar().is_working_day(date(2027, 6, 1))
    bad = tmp_path / "corrected"
    write(bad, "2027.csv", HEADER + FIXED + "2027-06-08,holiday,Ngày nghỉ của tỉnh,Quyết định 2/QĐ-UBND,\n")
    write(bad, "2026.csv", HEADER + "2026-01-01,holiday,Tết Dương lịch,,\n")
    with pytest.raises(ScheduleFileError):
        install(bad)
    # Nothing of the corrected directory was taken, not even its good 2027 file.
    assert not WorkingCalendar().is_working_day(date(2027, 6, 1))
    assert WorkingCalendar().is_working_day(date(2027, 6, 8))

    settings = load("routing", environ={"MOTCUA_CALENDAR_DIR": str(bad)})
    with pytest.raises(SystemExit) as stopped:
        install_calendar(settings)
    assert f"{bad / '2026.csv'}:2: the source is empty" in str(stopped.value)
    assert "the statutory holiday Ngày Chiến thắng (30/04/2026) is missing" in str(stopped.value)


def test_a_year_without_a_file_falls_back_to_the_package_and_says_so(caplog):
    with caplog.at_level(logging.WARNING, logger="motcua.workcal"):
        year = official_year(2027)
        official_year(2027)
    assert year.origin == "holidays package"
    # Tết 2027 by the package: Sat 06/02 (mùng 1 Tết) → Fri 05/02 to Wed 10/02 off.
    assert not WorkingCalendar().is_working_day(date(2027, 2, 8))
    warnings = [r for r in caplog.records if r.getMessage() == "calendar_year_not_loaded"]
    assert len(warnings) == 1 and warnings[0].year == 2027  # once per year, not at every day walked

    with caplog.at_level(logging.WARNING, logger="motcua.calendar"):
        install_calendar(Settings("routing", {"motcua_calendar_dir": ""}))
    this_year = datetime.now(VN).year
    if missing_years([this_year, this_year + 1]):
        assert any(r.getMessage() == "calendar_year_not_loaded" and r.name == "motcua.calendar"
                   for r in caplog.records)


def test_the_check_command_names_every_problem_and_fails(tmp_path, capsys):
    write(tmp_path, "2027.csv", HEADER + FIXED + "2027-06-02,swap_workday,Ngày làm bù,Quyết định 1/QĐ-UBND,2027-06-04\n")
    write(tmp_path, "2028.csv", HEADER + "2028-01-01,holiday,Tết Dương lịch,Bộ luật Lao động 2019 Điều 112(1),\n")
    assert check_command(["check", str(tmp_path)]) == 1
    errors = capsys.readouterr().err
    assert f"{tmp_path / '2027.csv'}:6: 2027-06-02 is a Wednesday" in errors  # header 1, holidays 2–5
    assert f"{tmp_path / '2028.csv'}: the statutory holiday Ngày Chiến thắng (30/04/2028) is missing" in errors
    assert check_command(["check"]) == 0
    assert "2026 ổn — 15 ngày nghỉ, 2 ngày làm bù" in capsys.readouterr().out


def test_office_hours_and_cut_off_are_one_province_setting_with_the_old_intake_names_accepted():
    settings = load("reporting", environ={"MOTCUA_OFFICE_HOURS": "07:30-11:30,13:00-16:30",
                                          "MOTCUA_RECEPTION_CUTOFF": "off"})
    assert settings.motcua_office_hours == "07:30-11:30,13:00-16:30" and settings.motcua_reception_cutoff == "off"
    old = load("intake", environ={"INTAKE_OFFICE_HOURS": "08:00-12:00,13:00-17:00"})
    assert old.motcua_office_hours == "08:00-12:00,13:00-17:00"
    both = load("intake", environ={"INTAKE_OFFICE_HOURS": "08:00-12:00", "MOTCUA_OFFICE_HOURS": "07:00-11:00"})
    assert both.motcua_office_hours == "07:00-11:00"  # the new name wins
    with pytest.raises(SystemExit, match="INTAKE_RECEPTION_CUTOFF='25:00' is invalid"):
        load("intake", environ={"INTAKE_RECEPTION_CUTOFF": "25:00"})
    assert time(15, 0) == WorkingCalendar().cutoff
