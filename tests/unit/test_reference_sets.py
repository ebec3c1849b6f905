"""Reference sets: a directory replaces shipped files one by one, the whole set is checked together with a
report naming file, line and problem, the version is a digest of the content, and a process swaps sets
only forwards (docs/reference-data.md)."""
from __future__ import annotations

import unicodedata
from datetime import datetime, timezone

import pytest
from sqlalchemy import MetaData, create_engine
from sqlalchemy.orm import Session

from motcua_shared.reference import load_catalogue, load_units
from motcua_shared.reference.__main__ import main as check_command
from motcua_shared.reference.current import current, install
from motcua_shared.reference.sets import InvalidReferenceSet, build, digest, from_directory, shipped_files
from motcua_shared.reference.store import apply_announcement, keep, newest_sequence, reference_sets_table, sync
from motcua_shared.service import install_calendar
from motcua_shared.settings import load
from motcua_shared.workcal import WorkingCalendar

from motcua_testing.reference_data import (CHANGED_PROCEDURE, NEW_COMMUNE, NEW_PROCEDURE, district_set, rows_of,
                                           write_table)

HEADER = "date,kind,name,source,pair\n"


@pytest.fixture(autouse=True)
def shipped_set_afterwards():
    yield
    install(from_directory(None), force=True)


def problems_of(directory) -> list[str]:
    with pytest.raises(InvalidReferenceSet) as refused:
        from_directory(directory)
    return [str(problem) for problem in refused.value.problems]


def test_the_shipped_files_are_a_valid_set_and_a_directory_replaces_only_what_it_holds(tmp_path):
    shipped = from_directory(None)
    assert shipped.sequence == 0 and shipped.label is None and len(shipped.version) == 64
    changed = from_directory(district_set(tmp_path))
    assert changed.label == "Sơn La thử nghiệm"
    assert changed.version != shipped.version
    assert changed.catalogue.get(CHANGED_PROCEDURE).processing_time.value == 5
    assert changed.catalogue.get(NEW_PROCEDURE).name == "Thủ tục xác nhận thử nghiệm của xã"
    assert changed.units.get(NEW_COMMUNE, datetime(2026, 1, 5).date()).name == "Xã Thử Nghiệm"
    # Files the directory does not hold are the shipped ones, byte for byte.
    assert changed.files["calendar/2026.csv"] == shipped.files["calendar/2026.csv"]


def test_the_version_is_the_content_not_its_encoding():
    files = shipped_files()
    assert digest(files) == from_directory(None).version
    rewritten = {name: "\ufeff" + unicodedata.normalize("NFD", text).replace("\n", "\r\n") for name, text in files.items()}
    assert digest(rewritten) == digest(files)
    assert build(rewritten).version == from_directory(None).version
    altered = dict(files, **{"units.csv": files["units.csv"].replace("Xã Chiềng Khương", "Xã Chiềng Khương Mới", 1)})
    assert digest(altered) != digest(files)


def test_every_problem_of_every_file_is_reported_with_its_file_and_line(tmp_path):
    procedures = rows_of("procedures.csv")
    timed = next(i for i, row in enumerate(procedures) if row["processing_time_unit"] == "working_days")
    procedures[timed]["processing_time_value"] = "-2"
    procedures[timed + 1]["handlers_two_level"] = "commune:no_such_role"
    write_table(tmp_path, "procedures.csv", procedures)
    agencies = rows_of("agencies.csv")
    agencies.append({**agencies[-1], "id": "14.09999.UBND", "unit_code": "09999"})  # line 92
    write_table(tmp_path, "agencies.csv", agencies)
    (tmp_path / "calendar").mkdir()
    (tmp_path / "calendar" / "2027.csv").write_text(HEADER + "2027-01-01,holiday,Tết Dương lịch,,\n", encoding="utf-8")
    found = problems_of(tmp_path)
    assert (f"{tmp_path / 'procedures.csv'}:{timed + 2}: procedure {procedures[timed]['code']}: "
            "time limit must be positive") in found
    assert any(line.startswith(f"{tmp_path / 'procedures.csv'}:{timed + 3}: ") and "no_such_role" in line
               for line in found)
    assert f"{tmp_path / 'agencies.csv'}:92: agency 14.09999.UBND: unit 09999 is not in units.csv" in found
    assert f"{tmp_path / 'calendar' / '2027.csv'}:2: the source is empty: every day needs its Vietnamese name and its legal source" in found
    assert any("the statutory holiday Quốc khánh (02/09/2027) is missing" in line for line in found)


def test_cross_file_rules_a_role_nobody_holds_and_a_broken_header(tmp_path):
    agencies = [row for row in rows_of("agencies.csv") if "driving_licence" not in row["roles"].split()]
    write_table(tmp_path, "agencies.csv", agencies)
    (tmp_path / "units.csv").write_text("code,name\n14,Tỉnh Sơn La\n", encoding="utf-8")
    found = problems_of(tmp_path)
    assert f"{tmp_path / 'units.csv'}:1: the header must be " in found[0]
    # units.csv is unusable, so rules that need it wait; the agencies' own file is still read.
    (tmp_path / "units.csv").unlink()
    found = problems_of(tmp_path)
    assert any("no agency of a province unit holds the role 'driving_licence'" in line for line in found), found


def test_a_unit_whose_parent_is_missing_is_named_with_its_line(tmp_path):
    units = rows_of("units.csv")
    units.append({**units[-1], "code": "04998", "parent": "127"})
    write_table(tmp_path, "units.csv", units)
    found = problems_of(tmp_path)
    assert found == [f"{tmp_path / 'units.csv'}:{len(units) + 1}: unit 04998 (from {units[-1]['valid_from']}): "
                     "parent 127 is not in force over the whole validity"]


def test_the_check_command_prints_the_report_or_the_version(tmp_path, capsys):
    assert check_command(["check", str(district_set(tmp_path / "good"))]) == 0
    assert from_directory(tmp_path / "good").version in capsys.readouterr().out
    write_table(tmp_path / "bad", "units.csv", [{**rows_of("units.csv")[0], "level": "hamlet"}])
    assert check_command(["check", str(tmp_path / "bad")]) == 1
    err = capsys.readouterr().err
    assert "không hợp lệ" in err and f"{tmp_path / 'bad' / 'units.csv'}:2: unknown level 'hamlet'" in err


def test_a_service_refuses_to_start_on_an_invalid_set(tmp_path):
    write_table(tmp_path, "procedures.csv", [{**rows_of("procedures.csv")[0], "level": "hamlet"}])
    with pytest.raises(SystemExit) as stopped:
        install_calendar(load("routing", environ={"MOTCUA_REFERENCE_DIR": str(tmp_path)}))
    assert str(stopped.value).startswith("motcua: invalid reference data, the service does not start:\n")
    assert f"{tmp_path / 'procedures.csv'}:2: " in str(stopped.value)
    install_calendar(load("routing", environ={"MOTCUA_REFERENCE_DIR": str(district_set(tmp_path / "good"))}))
    assert load_catalogue().get(NEW_PROCEDURE)


def test_the_set_in_use_moves_only_forwards_and_the_calendar_follows(tmp_path):
    directory = district_set(tmp_path)
    (directory / "calendar").mkdir()
    (directory / "calendar" / "2026.csv").write_text(
        from_directory(None).files["calendar/2026.csv"] + "2026-12-08,holiday,Ngày nghỉ của tỉnh,Quyết định 9/QĐ-UBND,\n",
        encoding="utf-8")
    texts = dict(from_directory(directory).files)
    second = build(texts, sequence=2, origin="import")
    assert WorkingCalendar().is_working_day(datetime(2026, 12, 8).date())
    assert install(second)
    assert load_catalogue().get(CHANGED_PROCEDURE).processing_time.value == 5
    assert not WorkingCalendar().is_working_day(datetime(2026, 12, 8).date())
    assert not install(build(shipped_files(), sequence=1))  # an older import arriving late
    assert not install(build(texts, sequence=2))  # the same again
    assert current() is second
    rolled_back = build(shipped_files(), sequence=3)
    assert install(rolled_back)  # going back is a newer import of the older content
    assert load_units().find(NEW_COMMUNE, datetime(2026, 1, 5).date()) is None
    assert WorkingCalendar().is_working_day(datetime(2026, 12, 8).date())


def test_a_service_keeps_each_announced_set_once_and_computes_with_the_newest(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'service.db'}")
    table = reference_sets_table(MetaData())
    table.metadata.create_all(engine)
    files = dict(from_directory(district_set(tmp_path / "set")).files)
    announced = {"sequence": 4, "version": digest(files), "label": "Sơn La thử nghiệm", "files": files,
                 "imported_at": datetime(2026, 12, 7, tzinfo=timezone.utc)}
    with Session(engine) as session, session.begin():
        assert keep(session, table, announced).version == digest(files)
        assert keep(session, table, announced) is None  # the same announcement twice
        assert keep(session, table, {**announced, "sequence": 3}) is None  # an older one, late
        with pytest.raises(InvalidReferenceSet, match="content does not match"):
            keep(session, table, {**announced, "sequence": 5, "version": "0" * 64})
        assert newest_sequence(session, table) == 4
    assert load_catalogue().get(CHANGED_PROCEDURE).processing_time.value == 3
    in_use = sync(engine, table)  # what a process does at start
    assert (in_use.sequence, in_use.version, in_use.label) == (4, digest(files), "Sơn La thử nghiệm")
    assert load_catalogue().get(CHANGED_PROCEDURE).processing_time.value == 5


def test_a_consumer_computes_with_an_announced_set_only_once_its_transaction_commits(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'service.db'}")
    table = reference_sets_table(MetaData())
    table.metadata.create_all(engine)
    files = dict(from_directory(district_set(tmp_path / "set")).files)
    announced = {"sequence": 1, "version": digest(files), "label": None, "files": files,
                 "imported_at": datetime(2026, 12, 7, tzinfo=timezone.utc)}
    with Session(engine) as session:
        with session.begin():
            apply_announcement(session, table, announced)
            assert current().sequence == 0  # not before the commit
            session.rollback()
        assert current().sequence == 0 and newest_sequence(session, table) == 0  # nor after a rollback
    with Session(engine) as session, session.begin():
        apply_announcement(session, table, announced)
    assert (current().sequence, current().version) == (1, digest(files))
    assert load_catalogue().get(NEW_PROCEDURE)


def test_a_consumer_records_a_set_it_refuses_as_handled_and_keeps_its_own(tmp_path, caplog):
    engine = create_engine(f"sqlite:///{tmp_path / 'service.db'}")
    table = reference_sets_table(MetaData())
    table.metadata.create_all(engine)
    files = dict(from_directory(district_set(tmp_path / "set")).files)
    broken = {**files, "units.csv": files["units.csv"].replace(",district,", ",hamlet,", 1)}
    before = current()
    for announced in ({"sequence": 1, "version": "0" * 64, "files": files},  # damaged on the way
                      {"sequence": 2, "version": digest(broken), "files": broken}):  # a rule this release has
        with Session(engine) as session, session.begin():
            apply_announcement(session, table, {**announced, "label": None,
                                                 "imported_at": datetime(2026, 12, 7, tzinfo=timezone.utc)})
        assert newest_sequence(session, table) == 0 and current() is before
    refusals = [record for record in caplog.records if record.getMessage() == "reference_set_refused"]
    assert [record.sequence for record in refusals] == [1, 2]
    assert "content does not match" in refusals[0].problems[0]
    assert any("hamlet" in problem for problem in refusals[1].problems)
