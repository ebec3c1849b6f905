"""/quan-tri/tai-khoan: an administrator creates, edits, disables accounts and resets passwords."""
from __future__ import annotations

from sqlalchemy import func, select

from motcua_console.auth import accounts
from motcua_console.models import sessions

from console.support import PASSWORD, page, post_form, sign_in

NEW_PASSWORD = "mật khẩu tạm thời 2026"


def _admin(console):
    return console.signed_in("admin", unit="14", username="quan-tri")


def _open_sessions(console, account_id: str) -> int:
    with console.runtime.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(sessions)
                            .where(sessions.c.account_id == account_id)).scalar_one()


def _create(client, **overrides):
    data = {"username": "lan.tiepnhan", "full_name": "Cầm Thị Lan", "unit": "04222", "roles": ["receptionist"],
            "password": NEW_PASSWORD, **overrides}
    return post_form(client, "/quan-tri/tai-khoan/moi", data)


def test_the_accounts_list_shows_every_account_with_role_names(console):
    console.account("mai", "receptionist", unit="04222")
    soup = page(_admin(console).get("/quan-tri/tai-khoan"))
    row = soup.find("tr", attrs={"data-account": "mai"})
    assert "Cán bộ tiếp nhận" in row.get_text() and "Xã Chiềng Khương" in row.get_text()
    assert soup.find("a", href="/quan-tri/tai-khoan/moi")


def test_an_administrator_creates_an_account_that_must_change_its_password(console):
    client = _admin(console)
    form = page(client.get("/quan-tri/tai-khoan/moi"))
    labels = [label.get_text(strip=True) for label in form.select("#f-roles label")]
    assert labels == ["Cán bộ tiếp nhận", "Chuyên viên", "Lãnh đạo", "Thanh tra, kiểm tra", "Quản trị"]
    assert form.find("select", attrs={"name": "unit"}).find("option", attrs={"value": "04222"})
    answer = _create(client)
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/quan-tri/tai-khoan")
    assert "lan.tiepnhan" in page(client.get("/quan-tri/tai-khoan")).get_text()
    created = accounts.by_username(console.runtime, "lan.tiepnhan")
    assert created.roles == ("receptionist",) and created.unit == "04222" and created.must_change_password

    officer = console.client()
    signed = sign_in(officer, "lan.tiepnhan", NEW_PASSWORD)
    assert signed.status_code == 303
    assert officer.get("/bao-cao").headers.get("Location", "").endswith("/doi-mat-khau")


def test_refusals_sit_beside_their_field_with_what_was_typed(console):
    client = _admin(console)
    soup = page(_create(client, username="lan", roles=["specialist"], unit=""), 400)
    assert soup.select_one("#f-unit-loi")  # a specialist must belong to a unit
    assert soup.find("input", attrs={"name": "full_name"})["value"] == "Cầm Thị Lan"
    assert soup.find("input", attrs={"name": "roles", "value": "specialist"}).has_attr("checked")
    assert soup.find("input", attrs={"name": "password"})["value"] == ""  # never a password

    soup = page(_create(client, username="Lan Cầm"), 400)
    assert soup.select_one("#f-username-loi")
    assert soup.find("input", attrs={"name": "username"})["value"] == "Lan Cầm"

    soup = page(_create(client, roles=[]), 400)
    assert soup.select_one("#f-roles-loi")

    soup = page(_create(client, password="ngan"), 400)
    assert soup.select_one("#f-password-loi")

    console.account("lan.tiepnhan", "receptionist", unit="04222")
    soup = page(_create(client), 400)
    assert "đã có" in soup.select_one("#f-username-loi").get_text()
    assert accounts.by_username(console.runtime, "lan") is None


def test_editing_roles_ends_the_accounts_sessions(console):
    client = _admin(console)
    officer = console.signed_in("receptionist", unit="04222", username="mai")
    mai = accounts.by_username(console.runtime, "mai")
    assert _open_sessions(console, mai.id) == 1
    url = f"/quan-tri/tai-khoan/{mai.id}"
    soup = page(client.get(url))
    assert soup.find("input", attrs={"name": "roles", "value": "receptionist"}).has_attr("checked")
    answer = post_form(client, url, {"full_name": "Lường Thị Mai", "unit": "04222",
                                     "roles": ["receptionist", "leader"], "active": "1"})
    assert answer.status_code == 303
    assert accounts.get(console.runtime, mai.id).roles == ("leader", "receptionist")
    assert _open_sessions(console, mai.id) == 0
    assert officer.get("/tai-khoan").status_code == 303  # sent to sign in again


def test_a_disabled_account_can_no_longer_sign_in(console):
    client = _admin(console)
    mai = console.account("mai", "receptionist", unit="04222")
    answer = post_form(client, f"/quan-tri/tai-khoan/{mai.id}", {"full_name": "Lường Thị Mai", "unit": "04222",
                                                                 "roles": ["receptionist"]})
    assert answer.status_code == 303
    assert not accounts.get(console.runtime, mai.id).active
    assert sign_in(console.client(), "mai", PASSWORD).status_code == 401
    assert "Đã khoá" in page(client.get("/quan-tri/tai-khoan")).find("tr", attrs={"data-account": "mai"}).get_text()


def test_an_edit_refusal_keeps_what_was_typed(console):
    client = _admin(console)
    mai = console.account("mai", "receptionist", unit="04222")
    soup = page(post_form(client, f"/quan-tri/tai-khoan/{mai.id}", {"full_name": "Lường Thị Mai Anh", "unit": "",
                                                                   "roles": ["receptionist"], "active": "1"}), 400)
    assert soup.select_one("#f-unit-loi")
    assert soup.find("input", attrs={"name": "full_name"})["value"] == "Lường Thị Mai Anh"
    assert accounts.get(console.runtime, mai.id).full_name == "Lường Thị Mai"


def test_an_administrator_may_not_lock_themself_out(console):
    client = _admin(console)
    me = accounts.by_username(console.runtime, "quan-tri")
    soup = page(post_form(client, f"/quan-tri/tai-khoan/{me.id}", {"full_name": "Quản trị", "roles": ["admin"]}), 400)
    assert soup.select_one("#f-active-loi")
    assert accounts.get(console.runtime, me.id).active


def test_a_reset_password_must_be_changed_at_the_next_sign_in(console):
    client = _admin(console)
    mai = console.account("mai", "receptionist", unit="04222")
    url = f"/quan-tri/tai-khoan/{mai.id}/dat-lai-mat-khau"
    soup = page(post_form(client, url, {"new_password": "ngan"}, form_page=f"/quan-tri/tai-khoan/{mai.id}"), 400)
    assert soup.select_one("#f-new-password-loi")
    answer = post_form(client, url, {"new_password": NEW_PASSWORD}, form_page=f"/quan-tri/tai-khoan/{mai.id}")
    assert answer.status_code == 303
    assert sign_in(console.client(), "mai", PASSWORD).status_code == 401
    officer = console.client()
    assert sign_in(officer, "mai", NEW_PASSWORD).status_code == 303
    assert officer.get("/tai-khoan").headers.get("Location", "").endswith("/doi-mat-khau")
    assert "password_reset" in [td["data-action"] for td in
                                page(client.get("/quan-tri/nhat-ky")).select("td[data-action]")]


def test_only_administrators_open_administration(console):
    client = console.signed_in("receptionist", unit="04222")
    mai = accounts.by_username(console.runtime, "receptionist-04222")
    for url in ("/quan-tri/tai-khoan", "/quan-tri/tai-khoan/moi", f"/quan-tri/tai-khoan/{mai.id}",
                "/quan-tri/nhat-ky", "/quan-tri/phien", "/quan-tri/lich", "/quan-tri/thu-tuc", "/quan-tri/he-thong"):
        page(client.get(url), 403)
    answer = post_form(client, f"/quan-tri/tai-khoan/{mai.id}/dat-lai-mat-khau", {"new_password": NEW_PASSWORD},
                       form_page="/tai-khoan")
    page(answer, 403)
    assert sign_in(console.client(), "receptionist-04222", PASSWORD).status_code == 303  # unchanged


def test_every_officer_account_belongs_to_a_unit_administrators_and_auditors_too(console):
    """The services refuse an officer's token without a unit (issue 15): an account without one could not
    work, and "no unit" no longer means "the whole province". The province's officers have unit 14."""
    client = _admin(console)
    for role in ("admin", "auditor"):
        soup = page(_create(client, username=f"tinh.{role}", roles=[role], unit=""), 400)
        assert soup.select_one("#f-unit-loi"), role
        assert accounts.by_username(console.runtime, f"tinh.{role}") is None
        try:
            accounts.create(console.runtime, username=f"tinh.{role}", full_name="Cầm Thị Lan", roles=[role], unit=None,
                            password=NEW_PASSWORD)
        except accounts.AccountError as refused:
            assert refused.field == "unit"
        else:
            raise AssertionError(f"an {role} account without a unit was created")
    assert _create(client, username="tinh.kiemtra", roles=["auditor"], unit="14").status_code == 303
    assert accounts.by_username(console.runtime, "tinh.kiemtra").unit == "14"


def test_the_first_administrator_is_the_province_s(console):
    with console.runtime.engine.begin() as conn:
        conn.execute(accounts.accounts.delete())
    assert accounts.ensure_first_admin(console.runtime)  # the generated password
    first = accounts.by_username(console.runtime, accounts.ADMIN_USERNAME)
    assert (first.roles, first.unit) == (("admin",), "14")
