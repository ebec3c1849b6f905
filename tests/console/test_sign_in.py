"""Sign-in, lockout, first-sign-in password change, CSRF, idle expiry, sign-out (docs/contracts.md §7)."""
from __future__ import annotations

import time

from sqlalchemy import func, select

from motcua_console.models import sessions

from console.support import PASSWORD, csrf_of, page, post_form, sign_in


def test_the_sign_in_page_is_a_form_with_username_password_and_csrf_token(console):
    soup = page(console.client().get("/dang-nhap"))
    form = soup.find("form", attrs={"action": "/dang-nhap"})
    assert form.find("input", attrs={"name": "username"}) and form.find("input", attrs={"name": "password"})
    assert form.find("input", attrs={"name": "csrf_token", "type": "hidden"})


def test_sign_in_sets_an_httponly_cookie_and_goes_to_the_start_page(console):
    console.account("mai", "receptionist", unit="04222")
    client = console.client()
    answer = sign_in(client, "mai", PASSWORD)
    assert answer.status_code == 303
    cookie = next(c for c in answer.headers.getlist("Set-Cookie") if c.startswith("motcua_console_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert page(client.get("/tai-khoan")).find(string=lambda s: s and "Lường Thị Mai" in s)


def test_a_wrong_password_answers_the_form_without_saying_which_field(console):
    console.account("mai", "receptionist", unit="04222")
    for username, password in (("mai", "sai mật khẩu rồi"), ("khong-co-ai", PASSWORD)):
        answer = sign_in(console.client(), username, password)
        soup = page(answer, 401)
        message = soup.select_one(".error-summary").get_text()
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in message
        assert soup.find("input", attrs={"name": "username"})["value"] == username  # what was typed is kept
        assert soup.find("input", attrs={"name": "password"})["value"] == ""  # never a password


def test_five_failures_lock_the_account_even_against_the_right_password(console):
    console.account("mai", "receptionist", unit="04222")
    for _ in range(5):
        assert sign_in(console.client(), "mai", "không đúng mật khẩu").status_code == 401
    locked = sign_in(console.client(), "mai", PASSWORD)
    assert locked.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in locked.text
    with console.runtime.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(sessions)).scalar_one() == 0


def test_a_post_without_its_csrf_token_is_refused_and_signs_no_one_in(console):
    console.account("mai", "receptionist", unit="04222")
    client = console.client()
    client.get("/dang-nhap")
    for data in ({"username": "mai", "password": PASSWORD},
                 {"username": "mai", "password": PASSWORD, "csrf_token": "giả"},
                 {"username": "mai", "password": PASSWORD, "csrf_token": "đ" * 64}):
        answer = client.post("/dang-nhap", data=data)
        assert answer.status_code in (400, 403)
    with console.runtime.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(sessions)).scalar_one() == 0


def test_first_sign_in_requires_a_new_password_before_anything_else(console):
    console.account("moi", "receptionist", unit="04222", must_change=True)
    client = console.client()
    assert sign_in(client, "moi", PASSWORD).headers["Location"].endswith("/doi-mat-khau")
    assert client.get("/tai-khoan").headers["Location"].endswith("/doi-mat-khau")
    refused = post_form(client, "/doi-mat-khau", {"current_password": PASSWORD, "new_password": "ngắn",
                                                 "new_password_again": "ngắn"})
    assert page(refused, 400).select_one(".field__error")
    done = post_form(client, "/doi-mat-khau", {"current_password": PASSWORD, "new_password": "Một câu dài dễ nhớ 7",
                                              "new_password_again": "Một câu dài dễ nhớ 7"})
    assert done.status_code == 303
    assert client.get("/tai-khoan").status_code == 200
    assert sign_in(console.client(), "moi", "Một câu dài dễ nhớ 7").status_code == 303


def test_sign_out_ends_the_session(console):
    client = console.signed_in("receptionist", unit="04222")
    assert post_form(client, "/dang-xuat", {}, form_page="/tai-khoan").status_code == 303
    assert client.get("/tai-khoan").status_code == 303


def test_an_idle_session_expires_and_a_form_posted_then_changes_nothing(console_databases, console):
    from console.support import Console

    short = Console.build(console_databases["console"], console.services, CONSOLE_SESSION_IDLE_MINUTES="0.02")
    client = short.signed_in("receptionist", unit="04222")
    token = csrf_of(client.get("/tai-khoan").text)
    time.sleep(1.5)
    answer = client.post("/doi-mat-khau", data={"csrf_token": token, "current_password": PASSWORD,
                                                "new_password": "Một câu dài dễ nhớ 8", "new_password_again": "x"})
    soup = page(answer, 403)
    assert "Phiên làm việc đã hết hạn" in soup.h1.get_text()
    assert client.get("/tai-khoan").status_code == 303  # to the sign-in page


def test_next_is_followed_only_within_the_console(console):
    console.account("mai", "receptionist", unit="04222")
    for target, expected in (("/tai-khoan", "/tai-khoan"), ("//evil.example/x", None), ("https://evil.example", None)):
        answer = sign_in(console.client(), "mai", PASSWORD, next=target)
        location = answer.headers["Location"]
        assert (location.endswith(expected) if expected else "evil" not in location), location
