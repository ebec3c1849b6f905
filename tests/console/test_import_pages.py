"""The administrator's import of a district's past dossiers (/quan-tri/nhap-ho-so): the upload, intake's
report on a file with problems, the check-only mode, and an import's progress until it is done, in front
of the real intake (its import API and its applier, run here in process instead of by its worker)."""
from __future__ import annotations

import io
import json

from motcua_console.web.admin.imports import field_label

from motcua_testing.system import System

from console.support import Console, csrf_of, page
from intake.support import IntakeDesk

URL = "/quan-tri/nhap-ho-so"
ADMIN = {"Authorization": f"Bearer {System.token('admin', unit='14')}"}


def record(code: str, name: str, **overrides) -> dict:
    """A dossier of Chiềng Khương resolved in March 2019 (đăng ký lại khai sinh, at the counter)."""
    body = {
        "code": code, "procedure_code": "1.004884", "channel": "counter", "receiving_unit": "04222",
        "competent_unit": None,
        "applicant": {"full_name": name, "id_number": "014090001234", "phone": "0912345678", "email": None,
                      "address": "Bản Hưng Mai, xã Chiềng Khương"},
        "return_method": "counter", "delivery_address": None,
        "documents": [{"name": "Tờ khai đăng ký lại khai sinh", "copy_type": "original", "count": 1}],
        "received_at": "2019-03-15T08:30:00+07:00", "received_by": "Lò Thị Hoa", "due_at": None,
        "steps": [{"unit": "04222", "agency": None, "action": "process", "assigned_at": "2019-03-15T09:00:00+07:00",
                   "due_at": None, "completed_at": "2019-03-18T09:00:00+07:00", "outcome": "approved",
                   "handled_by": "Cầm Văn Pọm", "note": None}],
        "supplements": [],
        "processed_at": "2019-03-18T09:00:00+07:00", "result": "approved", "result_note": None,
        "returned_at": "2019-03-19T14:00:00+07:00", "returned_by": "counter",
        "withdrawn_at": None, "withdrawal_reason": None,
    }
    body.update(overrides)
    return body


def jsonl(*records: dict) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()


VALID = jsonl(record("H52.04222-190315-0001", "Quàng Văn Sướng"),
              record("H52.04222-190315-0002", "Lò Thị Phượng", received_at="2019-03-15T08:45:00+07:00"))
# Line 2 names an unknown procedure and a reception in the future; line 3 is not JSON at all.
WITH_ERRORS = VALID.split(b"\n")[0] + b"\n" + jsonl(
    record("H52.04222-190316-0003", "Cầm Thị Xuân", procedure_code="1.999999",
           received_at="2099-03-16T08:00:00+07:00")) + b"{not json\n"


def _admin(console):
    return console.signed_in("admin", unit="14", username="quan-tri")


def upload(client, content: bytes, filename: str = "so-mang-2019.jsonl", *, check: bool = False, token=None):
    data = {"file": (io.BytesIO(content), filename)}
    if check:
        data["check"] = "true"
    data["csrf_token"] = token if token is not None else csrf_of(client.get(URL).text)
    return client.post(URL, data=data, content_type="multipart/form-data")


def report_of(answer) -> str:
    """What a refused upload's page says, for a failing assertion."""
    from bs4 import BeautifulSoup

    found = BeautifulSoup(answer.text, "html.parser").select_one("main")
    return f"{answer.status_code}: {found.get_text(' ', strip=True)[-3000:] if found else answer.text[:2000]}"


def intake_imports(console) -> list[dict]:
    answer = console.services["intake"].test_client().get("/api/v1/imports", headers=ADMIN)
    assert answer.status_code == 200, answer.text
    body = answer.get_json()
    return body["items"] if isinstance(body, dict) else body


def intake_has(console, code: str) -> bool:
    answer = console.services["intake"].test_client().get(f"/api/v1/dossiers/{code}", headers=ADMIN)
    return answer.status_code == 200


def apply(console, import_id: str, *, parts: int | None = None):
    """What intake's worker does in the background: apply the staged records, part by part."""
    from motcua_intake.imports.applying import apply_all

    runtime = console.services["intake"].extensions["motcua"]
    return apply_all(runtime.sessions, runtime.extras["desk"], import_id, part_size=1, stop_after=parts)


def test_the_page_is_an_administration_tab_with_the_form_and_the_templates(console):
    soup = page(_admin(console).get(URL))
    assert soup.select_one("nav[aria-label='Các trang quản trị'] a[aria-current='page']").get_text() \
        == "Nhập hồ sơ lịch sử"
    form = soup.find("form", attrs={"enctype": "multipart/form-data"})
    assert form["method"] == "post" and form.find("input", attrs={"name": "csrf_token"})
    assert form.find("input", attrs={"type": "file", "name": "file"})["accept"] == ".csv,.xlsx,.jsonl"
    assert form.find("input", attrs={"type": "checkbox", "name": "check"}).find_next("label").get_text() \
        == "Chỉ kiểm tra"
    links = {a["href"] for a in soup.select("a[download]")}
    assert {f"{URL}/mau/{name}" for name in ("mau-nhap-ho-so.csv", "mau-nhap-ho-so.xlsx")} <= links
    assert "Chưa có lần nhập nào." in soup.get_text()


def test_the_template_files_download(console):
    client = _admin(console)
    answer = client.get(f"{URL}/mau/mau-nhap-ho-so.csv")
    assert answer.status_code == 200  # served by intake, which ships the templates
    assert "Mã hồ sơ" in answer.data.decode("utf-8-sig").splitlines()[0]
    assert "attachment" in answer.headers["Content-Disposition"]
    xlsx = client.get(f"{URL}/mau/mau-nhap-ho-so.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    assert client.get(f"{URL}/mau/..%2Fconsole.md").status_code == 404
    assert client.get(f"{URL}/mau/khong-co.csv").status_code == 404
    assert client.get(f"{URL}/mau/mau-nhap-ho-so.jsonl").status_code == 200


def test_a_valid_file_is_imported_and_its_progress_shown_until_done(console):
    client = _admin(console)
    answer = upload(client, VALID)
    assert answer.status_code == 303, report_of(answer)
    location = answer.headers["Location"]
    [made] = intake_imports(console)
    assert location == f"{URL}/{made['id']}"
    assert made["total"] == 2 and made["filename"] == "so-mang-2019.jsonl"

    soup = page(client.get(location))
    assert "Đã nhận tệp so-mang-2019.jsonl: 2 hồ sơ hợp lệ, đang được nhập." in soup.get_text()
    bar = soup.find("progress")
    assert (bar["value"], bar["max"]) == ("0", "2")
    assert soup.find("label", attrs={"for": bar["id"]})
    assert "Hoàn tất" not in soup.select_one("[data-progress-status]").get_text()
    assert soup.find("noscript")  # without the script, the page reloads itself
    polled = soup.select_one("[data-import-progress]")["data-url"]
    assert client.get(polled).get_json()["done"] is False

    apply(console, made["id"], parts=1)
    status = client.get(polled).get_json()
    assert (status["applied"], status["goal"], status["done"]) == (1, 2, False)
    bar = page(client.get(location)).find("progress")
    assert (bar["value"], bar["max"]) == ("1", "2")

    apply(console, made["id"])
    status = client.get(polled).get_json()
    assert (status["applied"], status["goal"], status["done"], status["status_text"]) == (2, 2, True, "Hoàn tất")
    soup = page(client.get(location))
    assert soup.select_one("[data-progress-status]").get_text() == "Hoàn tất"
    bar = soup.find("progress")
    assert bar["value"] == bar["max"] == "2"
    assert not soup.find("noscript")
    row = page(client.get(URL)).find("tr", attrs={"data-import": made["id"]})
    assert "Hoàn tất" in row.get_text() and "so-mang-2019.jsonl" in row.get_text()

    # The dossiers are intake's now: the console's search finds them by the applicant's name, and the
    # old system's code opens the dossier's page.
    found = page(client.get("/ho-so", query_string={"q": "Quàng Văn Sướng"}))
    assert "H52.04222-190315-0001" in found.select_one("table").get_text()
    opened = client.get("/ho-so", query_string={"q": "H52.04222-190315-0002"})
    assert opened.status_code == 303 and opened.headers["Location"].endswith("/ho-so/H52.04222-190315-0002")
    assert "Lò Thị Phượng" in page(client.get(opened.headers["Location"])).get_text()

    # The same file again is the same import: nothing changes.
    again = upload(client, VALID, "ban-sao.jsonl")
    assert again.status_code == 303 and again.headers["Location"] == location
    assert "đã được nhập trước đây" in page(client.get(location)).get_text()
    assert len(intake_imports(console)) == 1


def test_a_file_with_errors_shows_the_report_keeps_the_form_and_imports_nothing(console):
    client = _admin(console)
    answer = upload(client, WITH_ERRORS, "loi.jsonl", check=False)
    soup = page(answer, 422)
    assert soup.title.get_text().startswith("Lỗi: ")
    report = soup.select_one("[data-import-report]")
    total = int(answer.text.split("Tệp có ")[1].split(" lỗi")[0].replace(".", ""))
    assert total >= 3
    assert f"Tệp có {total} lỗi; chưa nhập hồ sơ nào." in report.get_text()
    assert f"Tệp có {total} lỗi; chưa nhập hồ sơ nào." in soup.select_one(".error-summary").get_text()
    assert [th.get_text() for th in report.select("thead th")] == ["Dòng", "Trường", "Lỗi"]
    rows = {(tr["data-line"], tr.find_all("td")[1].get_text()): tr.find_all("td")[2].get_text()
            for tr in report.select("tbody tr")}
    assert ("2", "Mã thủ tục") in rows and ("2", "Ngày tiếp nhận") in rows and "3" in {line for line, _ in rows}
    assert all(reason.strip() for reason in rows.values())
    assert "1.999999" in rows[("2", "Mã thủ tục")]
    assert soup.find("input", attrs={"type": "file", "name": "file"})  # the form is still there
    assert not intake_imports(console)
    assert not intake_has(console, "H52.04222-190315-0001")


def test_check_only_reports_a_good_file_and_imports_nothing(console):
    client = _admin(console)
    soup = page(upload(client, VALID, check=True))
    assert "Tệp so-mang-2019.jsonl hợp lệ: 2 hồ sơ" in soup.select_one("[data-check-result]").get_text()
    assert soup.find("input", attrs={"name": "check"}).has_attr("checked")  # what was chosen is kept
    assert not intake_imports(console)
    assert not intake_has(console, "H52.04222-190315-0001")

    refused = page(upload(client, WITH_ERRORS, check=True), 422)
    assert refused.select_one("[data-import-report] tbody tr")
    assert not intake_imports(console)


def test_a_file_of_another_kind_is_refused_beside_the_field(console):
    client = _admin(console)
    soup = page(upload(client, b"%PDF-1.7 ...", "ho-so.pdf"), 415)
    assert "không phải CSV, XLSX hay JSON lines" in soup.select_one("#f-file-loi").get_text()
    assert soup.find("input", attrs={"name": "file"})["aria-invalid"] == "true"
    soup = page(upload(client, b"", "trong.csv"), 400)
    assert "không có dữ liệu" in soup.select_one("#f-file-loi").get_text()
    assert not intake_imports(console)


def test_a_file_too_large_is_refused_beside_the_field(console, console_databases):
    small = Console.build(console_databases["console"], console.services, CONSOLE_IMPORT_MAX_BYTES="3000")
    client = small.signed_in("admin", unit="14", username="quan-tri")
    token = csrf_of(client.get(URL).text)
    # Read, then found too large ...
    soup = page(upload(client, VALID * 10, token=token), 413)
    assert "Tệp lớn hơn giới hạn 2,9 KB" in soup.select_one("#f-file-loi").get_text()
    # ... or announced far larger than allowed, and not even read.
    soup = page(upload(client, b"x" * 200_000, "lon.csv", token=token), 413)
    assert "Tệp lớn hơn giới hạn" in soup.select_one("#f-file-loi").get_text()
    assert not intake_imports(console)


def test_a_file_intake_finds_too_large_is_refused_beside_the_field(console, console_databases):
    strict = IntakeDesk.on(console_databases["intake"], INTAKE_IMPORT_MAX_BYTES="1000").app
    behind = Console.build(console_databases["console"], {**console.services, "intake": strict})
    client = behind.signed_in("admin", unit="14", username="quan-tri")
    soup = page(upload(client, VALID), 413)
    assert "Tệp lớn hơn giới hạn" in soup.select_one("#f-file-loi").get_text()
    assert not intake_imports(console)


def test_an_upload_without_the_forms_token_imports_nothing(console):
    client = _admin(console)
    answer = upload(client, VALID, token="")
    assert answer.status_code == 400 and "Biểu mẫu không còn hiệu lực" in answer.text
    assert not intake_imports(console)


def test_only_administrators_may_import(console):
    receptionist = console.signed_in("receptionist", unit="04222")
    assert receptionist.get(URL).status_code == 403
    answer = upload(receptionist, VALID, token=csrf_of(receptionist.get("/quay").text))
    assert answer.status_code == 403 and "Không có quyền truy cập" in answer.text
    # Nor may anyone else send a large body: it is refused at the ordinary limit, before it is read.
    assert upload(receptionist, b"x" * 2_000_000, "lon.csv", token="").status_code == 413
    assert receptionist.get(f"{URL}/mau/mau-nhap-ho-so.csv").status_code == 403
    assert console.client().get(URL).status_code == 303
    assert "Nhập hồ sơ lịch sử" not in receptionist.get("/quay").text
    assert not intake_imports(console)


def test_a_communes_administrator_is_told_that_importing_is_the_provinces(console):
    client = console.signed_in("admin", unit="04222", username="quan-tri-xa")
    soup = page(client.get(URL), 403)
    assert "Chỉ quản trị viên cấp tỉnh" in soup.select_one(".error-summary").get_text()
    assert not soup.find("input", attrs={"type": "file"})
    token = csrf_of(client.get("/quan-tri/tai-khoan").text)
    soup = page(upload(client, VALID, token=token), 403)
    assert "Chỉ quản trị viên cấp tỉnh" in soup.select_one(".error-summary").get_text()
    assert not intake_imports(console)


def test_an_unknown_import_is_not_found(console):
    client = _admin(console)
    assert client.get(f"{URL}/00000000-0000-4000-8000-000000000000").status_code == 404
    assert client.get(f"{URL}/00000000-0000-4000-8000-000000000000/tien-do").status_code == 404


def test_every_import_page_is_for_administrators_alone():
    from motcua_console.app import create_app
    from motcua_console.permissions import access_of

    from console.support import console_settings

    app = create_app(console_settings("sqlite://"))
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.rule.startswith(URL)}
    assert endpoints == {"admin.imports", "admin.import_status", "admin.import_progress", "admin.import_template"}
    assert {access_of(app.view_functions[endpoint]) for endpoint in endpoints} == {frozenset({"admin"})}


def test_the_reports_fields_read_as_the_templates_columns():
    assert field_label("received_at") == "Ngày tiếp nhận"
    assert field_label("applicant.id_number") == "Số CCCD/CMND"
    assert field_label("steps.2.completed_at") == "Bước 2 - Ngày hoàn thành"
    assert field_label("supplements.1.note") == "Bổ sung 1 - Nội dung"
    assert field_label("Cột lạ") == "Cột lạ"
    assert field_label("") == "—"
