"""The console in a real browser: headless Chromium over WebDriver against a live system (real broker,
real PostgreSQL, every worker running, every API and the console served over HTTP on loopback).

The system and the browser are started once for the folder (package scope: tests/browser/__init__.py
makes the folder a package, so both stop when its last test ends rather than idling through the rest
of the suite); each test starts from a browser with no cookies and creates its own officers and
dossiers, so tests do not lean on each other. Without Chromium (or npm, the first time, for axe-core)
the tests skip, except under CI=true where they fail.
"""
from __future__ import annotations

import pytest

from browser import chrome
from browser.live import LiveSystem


@pytest.fixture(scope="package")
def live(broker, database_factory, tmp_path_factory):
    system = LiveSystem(broker, database_factory, tmp_path_factory.mktemp("live")).start()
    yield system
    system.close()


@pytest.fixture(scope="package")
def driver():
    reason = chrome.missing()
    if reason:
        if chrome.ci():
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    chrome.install_axe()
    browser = chrome.start_chrome()
    yield browser
    browser.quit()


@pytest.fixture
def browser(driver, live):
    """The session's browser, signed out of every console (cookies are per host, whatever the port)."""
    chrome.open_page(driver, live.console.url + "/dang-nhap")
    driver.delete_all_cookies()
    chrome.fit_viewport(driver)
    yield driver
    chrome.open_page(driver, live.console.url + "/dang-nhap")
    driver.delete_all_cookies()
