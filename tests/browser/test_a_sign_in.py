"""Signing in with the keyboard alone, in a real browser: Tab to each field, type, Enter. A wrong password
brings back the page with the Vietnamese error summary, and the summary has focus (so a screen reader
announces it first). Both pages, and the start page, pass the WCAG 2.x A/AA check."""
from __future__ import annotations

from flask import url_for
from selenium.webdriver.common.by import By

from motcua_console.permissions import start_page

from browser.chrome import (active, check_accessibility, heading, open_page, path_of, submit_sign_in)
from browser.live import PASSWORD


def expected_start(console, account) -> str:
    with console.app.test_request_context():
        return url_for(start_page(account))


def test_an_officer_signs_in_with_the_keyboard_only(browser, live):
    console = live.console
    account = console.account("kb-tiepnhan-04222", "receptionist", unit="04222", name="Lường Thị Mai")
    open_page(browser, console.url + "/dang-nhap")
    assert heading(browser) == "Đăng nhập"
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "vi"
    check_accessibility(browser)

    submit_sign_in(browser, account.username, "không phải mật khẩu này")
    assert path_of(browser) == "/dang-nhap"
    assert browser.title.startswith("Lỗi: Đăng nhập")
    focused = active(browser)
    assert focused.get_attribute("data-error-summary") is not None, focused.get_attribute("outerHTML")[:300]
    assert "Có lỗi cần sửa" in focused.text
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in focused.text
    check_accessibility(browser)

    submit_sign_in(browser, account.username, PASSWORD)
    assert path_of(browser) == expected_start(console, account)
    assert "Lường Thị Mai" in browser.find_element(By.CSS_SELECTOR, ".header__who").text
    check_accessibility(browser)


def test_the_accessibility_check_finds_a_violation_when_there_is_one(browser, live):
    """The check is not vacuous: the sign-in page passes, the same page with an unlabelled field does not."""
    from browser.chrome import axe_violations

    open_page(browser, live.console.url + "/dang-nhap")
    assert not [v for v in axe_violations(browser) if v["impact"] in ("serious", "critical")]
    browser.execute_script("const i = document.createElement('input'); i.type = 'text';"
                           "document.querySelector('main').appendChild(i);")
    assert "label" in {v["id"] for v in axe_violations(browser)}
