"""Every main page of the console, opened in the browser by the officer it is for, answers 200 and passes
the WCAG 2.x A/AA check (no serious or critical violation): the pages the journeys do not visit, with the
data the journeys left (reports, logbook, search, administration)."""
from __future__ import annotations

from selenium.webdriver.common.by import By

from browser.chrome import check_accessibility, open_page, path_of, sign_in_by_keyboard, status_of
from browser.live import PASSWORD

PAGES = {
    ("leader", "04222"): ["/bao-cao", "/so-theo-doi", "/ho-so", "/ho-so?q=Hùng", "/cong-viec?tab=closed",
                          "/tai-khoan"],
    ("receptionist", "04222"): ["/quay", "/quay?tab=cho-bo-sung", "/tiep-nhan", "/so-theo-doi"],
    ("admin", "14"): ["/quan-tri/tai-khoan", "/quan-tri/tai-khoan/moi", "/quan-tri/nhat-ky", "/quan-tri/phien",
                      "/quan-tri/lich", "/quan-tri/thu-tuc", "/quan-tri/he-thong"],
}


def test_every_main_page_opens_and_passes_the_accessibility_check(browser, live):
    console = live.console
    for (role, unit), paths in PAGES.items():
        username = f"trang-{role}"
        console.account(username, role, unit=unit, name="Điêu Thị Xuân")
        open_page(browser, console.url + "/dang-nhap")
        browser.delete_all_cookies()
        sign_in_by_keyboard(browser, console.url, username, PASSWORD)
        assert path_of(browser) != "/dang-nhap", browser.find_element(By.TAG_NAME, "main").text
        for path in paths:
            open_page(browser, console.url + path)
            assert status_of(browser) == 200, (path, browser.find_element(By.TAG_NAME, "main").text[:500])
            check_accessibility(browser)
        if role == "leader":  # from a figure of Biểu 06 to the list of its dossiers
            open_page(browser, console.url + "/bao-cao")
            browser.find_element(By.CSS_SELECTOR, "main table a[href*='/bao-cao/ho-so']").click()
            assert path_of(browser) == "/bao-cao/ho-so" and status_of(browser) == 200
            check_accessibility(browser)
