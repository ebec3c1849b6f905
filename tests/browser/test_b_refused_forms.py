"""Forms the console must refuse, seen from a real browser.

- A form posted without its CSRF token (the hidden input removed from the page, as a forged cross-site
  form would lack it) is refused with the "form no longer valid" page and nothing changes.
- A session that ended while the officer was filling a form: the next post shows "Phiên làm việc đã hết
  hạn", nothing changes, and the officer signs in again from that same page and is taken back to the form.
"""
from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from motcua_console.auth import accounts
from motcua_console.auth.accounts import SignInRefused

from browser.chrome import (check_accessibility, heading, open_page, path_of, press, sign_in_by_keyboard,
                            status_of, submit_sign_in, type_into, wait_for_new_page)
from browser.live import PASSWORD

NEW_PASSWORD = "một câu mật khẩu mới rất dài 2027"
IDLE_SECONDS = 4  # short, yet longer than any gap between two requests of a loaded CI machine


def fill_change_password(driver) -> None:
    type_into(driver, "f-current-password", PASSWORD)
    type_into(driver, "f-new-password", NEW_PASSWORD)
    type_into(driver, "f-new-password-again", NEW_PASSWORD)


def submit(driver) -> None:
    before = driver.find_element(By.TAG_NAME, "html")
    press(driver, Keys.ENTER)
    wait_for_new_page(driver, before)


def password_is(console, username: str, password: str) -> bool:
    try:
        accounts.sign_in(console.runtime, username, password)
        return True
    except SignInRefused:
        return False


def test_a_form_without_its_csrf_token_changes_nothing(browser, live):
    console = live.console
    account = console.account("csrf-chuyenvien-04222", "specialist", unit="04222")
    sign_in_by_keyboard(browser, console.url, account.username, PASSWORD)
    open_page(browser, console.url + "/doi-mat-khau")
    assert heading(browser) == "Đổi mật khẩu"
    check_accessibility(browser)
    removed = browser.execute_script(
        "const f = document.querySelector('main form[method=post]');"
        "f.querySelector('input[name=csrf_token]').remove(); return !f.querySelector('[name=csrf_token]');")
    assert removed
    fill_change_password(browser)
    submit(browser)

    assert heading(browser) == "Biểu mẫu không còn hiệu lực" and status_of(browser) == 400
    assert "không có gì thay đổi" in browser.find_element(By.TAG_NAME, "main").text
    check_accessibility(browser)
    assert password_is(console, account.username, PASSWORD)
    assert not password_is(console, account.username, NEW_PASSWORD)
    # Still signed in: the refusal ended nothing either.
    open_page(browser, console.url + "/tai-khoan")
    assert path_of(browser) == "/tai-khoan"


@pytest.fixture(scope="module")
def hasty_console(live):
    """A second console in front of the same system whose sessions end after 4 s without a request."""
    return live.new_console(CONSOLE_SESSION_IDLE_MINUTES=str(IDLE_SECONDS / 60))


def test_an_expired_session_is_told_and_the_officer_signs_in_again(browser, hasty_console):
    console = hasty_console
    account = console.account("het-phien-lanhdao-04222", "leader", unit="04222")
    sign_in_by_keyboard(browser, console.url, account.username, PASSWORD)
    open_page(browser, console.url + "/doi-mat-khau")
    assert heading(browser) == "Đổi mật khẩu"
    fill_change_password(browser)
    time.sleep(IDLE_SECONDS + 1.5)  # the officer was called away
    submit(browser)

    assert heading(browser) == "Phiên làm việc đã hết hạn" and status_of(browser) == 403
    assert "không có gì thay đổi" in browser.find_element(By.TAG_NAME, "main").text
    check_accessibility(browser)
    assert password_is(console, account.username, PASSWORD)

    # Sign in again right there: back on the form's page (passwords are never carried over, and this
    # form holds nothing else, so there is nothing to give back).
    submit_sign_in(browser, account.username, PASSWORD)
    assert path_of(browser) == "/doi-mat-khau" and heading(browser) == "Đổi mật khẩu"
    check_accessibility(browser)
    open_page(browser, console.url + "/tai-khoan")
    assert path_of(browser) == "/tai-khoan"  # signed in again
    assert not password_is(console, account.username, NEW_PASSWORD)
