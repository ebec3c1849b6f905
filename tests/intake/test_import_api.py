"""The bulk import's two doors (issue 17): `POST /api/v1/imports` for a province's administrator, applied
in the background by the intake worker, and `python -m motcua_intake import FILE` run as an operator
runs it, against a test database."""
from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from motcua_intake.imports import applying

from motcua_testing.waiting import wait_for

from intake.import_support import jsonl, part_events, raw
from intake.support import IntakeDesk, token

ROOT = Path(__file__).resolve().parents[2]
PROVINCE_ADMIN = token("admin", unit="14", sub="admin-province")


def upload(desk, data: bytes, filename: str = "ho-so-2019.jsonl", *, headers=None, check: bool = False):
    return desk.client.post("/api/v1/imports", query_string={"check": "true"} if check else None,
                            headers=headers or token("admin", unit="14"), content_type="multipart/form-data",
                            data={"file": (io.BytesIO(data), filename)})


def good_file(count: int = 5) -> bytes:
    kinds = ("returned", "processed", "in_progress", "received")
    return jsonl([raw(n, kind=kinds[n % len(kinds)]) for n in range(1, count + 1)])


def bad_file() -> bytes:
    items = [raw(1), raw(2), raw(3)]
    items[0]["received_at"] = "32/13/2019"
    items[2]["procedure_code"] = "9.999999"
    return jsonl(items)


def nothing_stored(desk) -> bool:
    return (desk.count("imports"), desk.count("import_records"), desk.count("dossiers"), desk.count("outbox")) == (
        0, 0, 0, 0)


def test_an_administrator_uploads_a_file_and_follows_it_to_the_end(desk):
    answer = upload(desk, good_file(5))
    assert answer.status_code == 201, answer.get_json()
    created = answer.get_json()
    assert set(created) == {"id", "status", "filename", "sha256", "total", "applied", "already", "created_at",
                            "finished_at"}
    assert (created["status"], created["total"], created["applied"], created["filename"]) == (
        "pending", 5, 0, "ho-so-2019.jsonl")
    listed = desk.client.get("/api/v1/imports", headers=PROVINCE_ADMIN)
    assert listed.status_code == 200 and [item["id"] for item in listed.get_json()["items"]] == [created["id"]]
    desk_ = desk.app.extensions["motcua"].extras["desk"]
    applying.apply_pending(desk.runtime.sessions, desk_, part_size=2, budget_seconds=60)  # the worker's job
    progress = desk.client.get(f"/api/v1/imports/{created['id']}", headers=PROVINCE_ADMIN).get_json()
    assert (progress["status"], progress["applied"]) == ("done", 5) and progress["finished_at"]
    assert len(part_events(desk.runtime)) == 3
    again = upload(desk, good_file(5), filename="lan-2.jsonl")
    assert again.status_code == 200 and again.get_json()["id"] == created["id"]  # the same file: the same import
    assert desk.count("imports") == 1 and len(part_events(desk.runtime)) == 3
    unknown = desk.client.get("/api/v1/imports/00000000-0000-0000-0000-000000000000", headers=PROVINCE_ADMIN)
    assert unknown.status_code == 404 and unknown.get_json()["code"] == "import_not_found"


def test_only_a_province_administrator_may_import_or_read_imports(desk):
    for headers in (token("receptionist", unit="04222"), token("leader", unit="126"), token("auditor", unit="14")):
        answer = upload(desk, good_file(2), headers=headers)
        assert answer.status_code == 403 and answer.get_json()["code"] == "forbidden_role"
        assert desk.client.get("/api/v1/imports", headers=headers).status_code == 403
    district_admin = token("admin", unit="126")
    refused = upload(desk, good_file(2), headers=district_admin)
    assert refused.status_code == 403 and refused.get_json()["code"] == "province_admin_only"
    assert desk.client.get("/api/v1/imports", headers=district_admin).get_json()["code"] == "province_admin_only"
    assert desk.client.post("/api/v1/imports").status_code == 401
    assert nothing_stored(desk)
    assert upload(desk, good_file(2), headers=PROVINCE_ADMIN).status_code == 201


def test_a_file_with_errors_answers_the_report_and_stores_nothing(desk):
    answer = upload(desk, bad_file())
    assert answer.status_code == 422 and answer.content_type == "application/problem+json"
    body = answer.get_json()
    assert body["code"] == "import_invalid" and body["errors_total"] == 2
    assert [(p["name"], p["line"]) for p in body["invalid_params"]] == [("received_at", 1), ("procedure_code", 3)]
    assert all(p["code"] and p["reason"] for p in body["invalid_params"])
    assert "Ngày" not in body["invalid_params"][0]["name"]  # the machine name; the reason is for people
    assert nothing_stored(desk)


def test_check_mode_says_what_would_be_imported_and_stores_nothing(desk):
    answer = upload(desk, good_file(4), check=True)
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["total"] == 4 and answer.get_json()["to_apply"] == 4
    assert nothing_stored(desk)
    assert upload(desk, bad_file(), check=True).status_code == 422
    assert nothing_stored(desk)


def test_a_file_too_large_or_of_another_kind_is_refused(intake_database):
    small = IntakeDesk.on(intake_database, INTAKE_IMPORT_MAX_BYTES="3000")
    try:
        big = good_file(10)
        assert len(big) > 3000
        answer = upload(small, big)
        assert answer.status_code == 413 and answer.get_json()["code"] == "file_too_large"
        huge = good_file(100)  # beyond the limit and the multipart allowance: refused before it is read
        assert len(huge) > 3000 + 65_536
        answer = upload(small, huge)
        assert answer.status_code == 413 and answer.get_json()["code"] == "file_too_large"
        assert upload(small, good_file(2)).status_code == 201
    finally:
        small.close()
    desk = IntakeDesk.on(intake_database)
    try:
        plain = upload(desk, b"just some words\n", filename="ghi-chu.txt")
        assert plain.status_code == 415 and plain.get_json()["code"] == "unsupported_file"
        as_json = desk.client.post("/api/v1/imports", json={"file": "x"}, headers=token("admin", unit="14"))
        assert as_json.status_code == 415 and as_json.get_json()["code"] == "unsupported_file"
        no_file = desk.client.post("/api/v1/imports", headers=token("admin", unit="14"), content_type="multipart/form-data",
                                   data={"other": "x"})
        assert no_file.status_code == 422 and no_file.get_json()["invalid_params"][0]["name"] == "file"
        # Beyond the ordinary 1 MiB request body, within the import's limit: accepted for an administrator only.
        large = good_file(1600)
        assert len(large) > 1_048_576 + 65_536
        refused = upload(desk, large, headers=token("receptionist", unit="04222"))
        assert refused.status_code == 413 and refused.get_json()["code"] != "file_too_large"
        accepted = upload(desk, large)
        assert accepted.status_code == 201, accepted.get_json()
        assert accepted.get_json()["total"] == 1600
    finally:
        desk.close()


def test_the_worker_applies_an_upload_in_the_background(intake_system):
    sut = intake_system
    client = sut.client("intake")
    answer = client.post("/api/v1/imports", headers=sut.auth("admin", unit="14"), content_type="multipart/form-data",
                         data={"file": (io.BytesIO(good_file(7)), "ho-so.jsonl")})
    assert answer.status_code == 201, answer.get_json()
    sut.start_workers("intake", extra_env={"INTAKE_IMPORT_PART_SIZE": "3"})
    import_id = answer.get_json()["id"]

    def finished():
        body = client.get(f"/api/v1/imports/{import_id}", headers=sut.auth("admin", unit="14")).get_json()
        return body if body["status"] == "done" else None

    assert wait_for(finished, what="the worker to apply the import")["applied"] == 7
    outbox = sut.runtime("intake").spec.outbox_table
    runtime = sut.runtime("intake")

    def published():
        with runtime.engine.connect() as conn:
            rows = conn.execute(select(outbox.c.event_type, outbox.c.sent_at)).all()
        return rows if rows and all(sent for _type, sent in rows) else None

    rows = wait_for(published, what="the relay to publish the parts")
    assert [event_type for event_type, _ in rows] == ["vn.motcua.history.imported"] * 3
    assert sut.count("intake", "dossiers") == 7


# -- the command line --------------------------------------------------------------------------------------
def command(database_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "INTAKE_DATABASE_URL": database_url, "LOG_LEVEL": "INFO"}
    return subprocess.run([sys.executable, "-m", "motcua_intake", "import", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_the_command_imports_reports_and_says_when_a_file_is_in_already(intake_database, tmp_path):
    desk = IntakeDesk.on(intake_database)
    try:
        bad = tmp_path / "loi.jsonl"
        bad.write_bytes(bad_file())
        failed = command(intake_database, str(bad))
        assert failed.returncode == 1
        assert "Dòng 1, Ngày tiếp nhận: " in failed.stdout and "Dòng 3, Mã thủ tục: " in failed.stdout
        assert nothing_stored(desk)

        good = tmp_path / "ho-so.jsonl"
        good.write_bytes(good_file(6))
        checked = command(intake_database, str(good), "--check")
        assert checked.returncode == 0 and "6 hồ sơ" in checked.stdout and nothing_stored(desk)

        done = command(intake_database, str(good), "--by", "admin-tinh")
        assert done.returncode == 0, done.stderr
        assert "Đã nhập 6 hồ sơ" in done.stdout and "100%" in done.stderr  # plain progress lines: not a terminal
        assert '"level"' not in done.stderr  # no JSON log lines among them
        assert desk.count("dossiers") == 6
        with desk.runtime.engine.connect() as conn:
            creators = set(conn.execute(select(desk.runtime.spec.metadata.tables["dossiers"].c.created_by)).scalars())
        assert creators == {"admin-tinh"}

        again = command(intake_database, str(good))
        assert again.returncode == 0 and "đã được nhập" in again.stdout and desk.count("dossiers") == 6

        missing = command(intake_database, str(tmp_path / "khong-co.csv"))
        assert missing.returncode == 2 and "Không đọc được tệp" in missing.stderr
    finally:
        desk.close()


def test_the_command_reports_at_most_200_problems(intake_database, tmp_path):
    items = [raw(n) for n in range(1, 251)]
    for item in items:
        item["procedure_code"] = "9.999999"
    bad = tmp_path / "nhieu-loi.jsonl"
    bad.write_bytes(jsonl(items))
    failed = command(intake_database, str(bad))
    assert failed.returncode == 1
    lines = failed.stdout.splitlines()
    assert lines[0] == "Tệp có 250 lỗi; chưa nhập hồ sơ nào:"
    assert len(lines) == 1 + 200 + 1 and lines[-1] == "và 50 lỗi khác"


def test_an_interrupted_command_continues_where_it_stopped(intake_database, tmp_path):
    desk = IntakeDesk.on(intake_database, INTAKE_IMPORT_PART_SIZE="2")
    try:
        good = tmp_path / "ho-so.jsonl"
        good.write_bytes(good_file(7))
        # Staged and one part applied, then the process died: what the upload plus a killed worker leave.
        assert upload(desk, good.read_bytes(), filename="ho-so.jsonl").status_code == 201
        import_id = desk.client.get("/api/v1/imports", headers=token("admin", unit="14")).get_json()["items"][0]["id"]
        applying.apply_all(desk.runtime.sessions, desk.app.extensions["motcua"].extras["desk"], import_id,
                           part_size=2, stop_after=1)
        assert desk.count("dossiers") == 2
        resumed = command(intake_database, str(good))
        assert resumed.returncode == 0, resumed.stderr
        assert "tiếp tục nhập" in resumed.stderr and desk.count("dossiers") == 7
        assert desk.client.get(f"/api/v1/imports/{import_id}", headers=token("admin", unit="14")).get_json()["status"] == "done"
    finally:
        desk.close()


def test_the_templates_are_served_to_an_administrator_and_import_clean(desk):
    """Intake ships the three templates (an installation from the image has no docs/): an administrator
    downloads them, nobody else, and each one is a file intake itself accepts whole."""
    for name, start in (("mau-nhap-ho-so.csv", "\ufeffMã hồ sơ".encode()), ("mau-nhap-ho-so.xlsx", b"PK"),
                        ("mau-nhap-ho-so.jsonl", b'{"')):
        answer = desk.client.get(f"/api/v1/imports/templates/{name}", headers=PROVINCE_ADMIN)
        assert answer.status_code == 200 and answer.data.startswith(start), name
        assert f'filename="{name}"' in answer.headers["Content-Disposition"]
        checked = upload(desk, answer.data, name, headers=PROVINCE_ADMIN, check=True)
        assert checked.status_code == 200, checked.get_json()
    assert desk.client.get("/api/v1/imports/templates/mau-nhap-ho-so.csv",
                           headers=token("receptionist", unit="04222")).status_code == 403
    missing = desk.client.get("/api/v1/imports/templates/applying.py", headers=PROVINCE_ADMIN)
    assert missing.status_code == 404 and missing.get_json()["code"] == "template_not_found"
    assert nothing_stored(desk)


def test_a_form_part_without_a_name_is_no_500(desk):
    """Found by the OpenAPI fuzzer: werkzeug keys a multipart part that has no name as None, and the NUL
    guard every request passes then failed on it with a 500. The upload is judged on its file."""
    boundary = b"7d6ddadbc2872c83379cde0bdbc7124c"
    body = (b"--" + boundary + b'\r\nContent-Disposition: form-data\r\n\r\n{"a": 1}\r\n'
            b"--" + boundary + b'\r\nContent-Disposition: form-data; name="file"; filename="file.png"\r\n\r\n'
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\r\n--" + boundary + b"--\r\n")
    answer = desk.client.post("/api/v1/imports", data=body, headers={
        **PROVINCE_ADMIN, "Content-Type": f"multipart/form-data; boundary={boundary.decode()}"})
    assert answer.status_code == 415 and answer.get_json()["code"] == "unsupported_file"
    assert nothing_stored(desk)
