"""Single sign-on in a real browser: the console's OpenID Connect sign-in against a real provider
(node's oidc-provider, tests/console/oidc_provider), both served over HTTP on loopback.

From the console's sign-in page the officer follows "Đăng nhập bằng tài khoản định danh của tỉnh" with
the keyboard, signs in on the provider's own (development) pages, consents, and comes back to the
console signed in, with the name, role and unit the province released. Someone the province knows but
who holds no officer role ends on the console's refusal page, not signed in. The console's pages pass
the WCAG 2.x A/AA check; the provider's pages are its own and are not checked.
"""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from browser.chrome import (active, check_accessibility, heading, open_page, path_of, press, status_of,
                            wait_for_new_page, wait_until)
from console.oidc_support import CLIENT_ID, CLIENT_SECRET, Provider, node_or_skip

from motcua_testing.ports import free_port

SSO_LINK = "Đăng nhập bằng tài khoản định danh của tỉnh"


@pytest.fixture(scope="module")
def sso(live, tmp_path_factory):
    """A console of the live system with single sign-on at a provider of its own. The issuer is named
    before the console is served and the callback only known after: the provider's port is picked first."""
    node = node_or_skip()
    port = free_port()
    console = live.new_console(CONSOLE_OIDC_ISSUER=f"http://127.0.0.1:{port}",
                               CONSOLE_OIDC_CLIENT_ID=CLIENT_ID, CONSOLE_OIDC_CLIENT_SECRET=CLIENT_SECRET)
    provider = Provider(node, tmp_path_factory.mktemp("oidc") / "provider.log", port=port,
                        redirect_uri=console.url + "/dang-nhap/oidc/ve")
    yield console
    provider.stop()


def leave_for_the_provider_by_keyboard(browser, console) -> None:
    """On the console's sign-in page: Tab to the single sign-on link and press Enter."""
    open_page(browser, console.url + "/dang-nhap")
    assert heading(browser) == "Đăng nhập"
    check_accessibility(browser)
    browser.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    for _ in range(40):
        press(browser, Keys.TAB)
        if active(browser).text.strip() == SSO_LINK:
            break
    else:
        raise AssertionError(f"Tab never reached the link {SSO_LINK!r}")
    before = browser.find_element(By.TAG_NAME, "html")
    press(browser, Keys.ENTER)
    wait_for_new_page(browser, before)


def sign_in_at_the_provider(browser, console, login: str) -> None:
    """The provider's development pages: its login form (any password), then its consent page; the
    browser ends back on the console."""
    for _ in range(4):
        if browser.current_url.startswith(console.url):
            return
        forms = browser.find_elements(By.CSS_SELECTOR, "form[method=post]")
        assert forms, f"no form on the provider's page {browser.current_url}: {browser.page_source[:1000]}"
        form = forms[0]
        prompt = form.find_element(By.NAME, "prompt").get_attribute("value")
        if prompt == "login":
            form.find_element(By.NAME, "login").send_keys(login)
            form.find_element(By.NAME, "password").send_keys("bất kỳ")
        before = browser.find_element(By.TAG_NAME, "html")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait_for_new_page(browser, before)
    raise AssertionError(f"the provider never sent the browser back to the console: {browser.current_url}")


def test_an_officer_signs_in_through_the_province_s_provider(browser, sso):
    leave_for_the_provider_by_keyboard(browser, sso)
    assert browser.current_url.startswith("http://127.0.0.1:") and not browser.current_url.startswith(sso.url)
    assert browser.find_element(By.NAME, "login")  # the provider's own login form

    sign_in_at_the_provider(browser, sso, "son")
    assert path_of(browser) == "/cong-viec", browser.find_element(By.TAG_NAME, "main").text[:500]
    assert heading(browser) == "Công việc của tôi"
    assert "Quàng Văn Sơn" in browser.find_element(By.CSS_SELECTOR, ".header__who").text
    check_accessibility(browser)

    open_page(browser, sso.url + "/tai-khoan")
    assert path_of(browser) == "/tai-khoan"
    text = browser.find_element(By.TAG_NAME, "main").text
    assert "Quàng Văn Sơn" in text and "Xã Chiềng Khương" in text and "Chuyên viên" in text
    check_accessibility(browser)


def test_a_person_with_no_officer_role_is_refused_and_not_signed_in(browser, sso):
    leave_for_the_provider_by_keyboard(browser, sso)
    sign_in_at_the_provider(browser, sso, "dan")
    assert path_of(browser) == "/dang-nhap/oidc/ve"
    assert status_of(browser) == 403
    assert heading(browser) == "Không đăng nhập được"
    assert "chưa được giao vai trò" in browser.find_element(By.TAG_NAME, "main").text
    assert not browser.find_elements(By.CSS_SELECTOR, ".header__who")
    check_accessibility(browser)

    open_page(browser, sso.url + "/tai-khoan")
    wait_until(browser, lambda d: path_of(d) == "/dang-nhap", what="the sign-in page")
    assert heading(browser) == "Đăng nhập"
