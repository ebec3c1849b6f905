"""The administrator brings past dossiers in, in a real browser on the live system (every worker running,
so intake's worker applies the import in the background while console.js follows it):

1. a file with problems: the report (Dòng, Trường, Lỗi) under the form, nothing imported;
2. the CSV template intake ships (served through the console): the import's page, its progress bar moving by itself
   (console.js polling the console) until it says "Hoàn tất".

Every page passes the WCAG 2.x A/AA check (no serious or critical violation).
"""
from __future__ import annotations

import json
from pathlib import Path

from selenium.webdriver.common.by import By

from browser.chrome import check_accessibility, heading, open_page, path_of, sign_in_by_keyboard, status_of, \
    wait_for_new_page, wait_until
from browser.live import PASSWORD

TEMPLATE = Path(__file__).resolve().parents[2] / "services" / "intake" / "motcua_intake" / "imports" / "templates" / "mau-nhap-ho-so.csv"
URL = "/quan-tri/nhap-ho-so"


def upload(driver, path: Path) -> None:
    """Choose the file (the one thing a keyboard cannot type: the browser's file dialog) and send it."""
    driver.find_element(By.ID, "f-file").send_keys(str(path))
    button = driver.find_element(By.CSS_SELECTOR, "main form[enctype='multipart/form-data'] button[type=submit]")
    before = driver.find_element(By.TAG_NAME, "html")
    button.click()
    wait_for_new_page(driver, before)


def test_an_administrator_imports_past_dossiers_and_follows_the_progress(browser, live, tmp_path):
    assert TEMPLATE.is_file(), f"{TEMPLATE} is missing (scripts/import_templates.py writes it)"
    console = live.console
    console.account("nhap-ho-so", "admin", unit="14", name="Điêu Chính Tới")
    sign_in_by_keyboard(browser, console.url, "nhap-ho-so", PASSWORD)
    open_page(browser, console.url + URL)
    assert status_of(browser) == 200 and heading(browser) == "Nhập hồ sơ lịch sử"
    check_accessibility(browser)

    wrong = tmp_path / "loi.jsonl"
    wrong.write_text(json.dumps({"code": "H52.04222-190315-0009", "procedure_code": "1.999999"},
                                ensure_ascii=False) + "\n{không phải JSON\n", encoding="utf-8")
    upload(browser, wrong)
    assert status_of(browser) == 422
    report = browser.find_element(By.CSS_SELECTOR, "[data-import-report]")
    assert "chưa nhập hồ sơ nào" in report.text
    assert [th.text for th in report.find_elements(By.CSS_SELECTOR, "thead th")] == ["Dòng", "Trường", "Lỗi"]
    assert report.find_elements(By.CSS_SELECTOR, "tbody tr[data-line='2']")
    assert browser.switch_to.active_element.get_attribute("data-error-summary") is not None
    check_accessibility(browser)

    upload(browser, TEMPLATE)
    assert path_of(browser).startswith(URL + "/") and status_of(browser) == 200
    assert heading(browser).startswith("Tiến độ nhập hồ sơ")
    check_accessibility(browser)
    # No reload: console.js moves the bar and says when it is done (a mark left on this document stays).
    browser.execute_script("window.sameDocument = true;")
    wait_until(browser, lambda d: d.find_element(By.CSS_SELECTOR, "[data-progress-status]").text == "Hoàn tất",
               timeout=120, what="the import to be applied")
    assert browser.execute_script("return window.sameDocument === true")
    bar = browser.find_element(By.TAG_NAME, "progress")
    assert bar.get_attribute("value") == bar.get_attribute("max")
    assert "Hoàn tất" in browser.find_element(By.CSS_SELECTOR, "[data-progress-summary]").text
    check_accessibility(browser)
