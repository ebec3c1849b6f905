"""A dossier's whole journey through the console's pages, in a real browser, on the live system (real
broker, every worker running, so routing opens the steps and intake hears the result):

1. the receptionist of commune 04222 (Chiềng Khương) receives a dossier of 1.004884 (đăng ký lại khai
   sinh) at /tiep-nhan with the keyboard only, lands on the dossier's page and opens the receipt (Mẫu 01)
   from the banner's link, still with keys;
2. the commune's specialist claims and completes step 1 (xử lý) from /cong-viec and the dossier page;
3. the commune's leader claims and signs step 2 (ký);
4. the receptionist returns the result (/ho-so/<code>/tra-ket-qua), and intake's public lookup page
   (/tra-cuu, the citizen's own page, by keyboard) and its API, as the citizen's portal uses it, say it
   was returned;
5. an officer of another commune (04168, Sông Mã) opening the dossier gets the very page an unknown code gets.

Every page the journey visits, intake's lookup page included, passes the WCAG 2.x A/AA check (no serious or
critical violation).
"""
from __future__ import annotations

import time
from urllib.parse import unquote

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from browser.chrome import (active, check_accessibility, heading, open_page, path_of, press, sign_in_by_keyboard,
                            status_of, tab_to, type_into, wait_for_new_page)
from browser.live import PASSWORD

UNIT = "04222"
APPLICANT = {"name": "Lò Văn Hùng", "id_number": "014090001234", "phone": "0912345678",
             "address": "Bản Hưng Mai, xã Chiềng Khương"}


def enter(driver) -> None:
    """Press Enter on what has focus and wait for the page it leads to."""
    before = driver.find_element(By.TAG_NAME, "html")
    press(driver, Keys.ENTER)
    wait_for_new_page(driver, before)


def follow(driver, link_text: str) -> None:
    link = driver.find_element(By.PARTIAL_LINK_TEXT, link_text)
    before = driver.find_element(By.TAG_NAME, "html")
    link.click()
    wait_for_new_page(driver, before)


def press_main_button(driver) -> None:
    button = driver.find_element(By.CSS_SELECTOR, "main form[method=post] button[type=submit]")
    before = driver.find_element(By.TAG_NAME, "html")
    button.click()
    wait_for_new_page(driver, before)


def sign_in_as(browser, live, username: str, *roles: str, unit: str, name: str) -> None:
    console = live.console
    console.account(username, *roles, unit=unit, name=name)
    open_page(browser, console.url + "/dang-nhap")
    browser.delete_all_cookies()
    sign_in_by_keyboard(browser, console.url, username, PASSWORD)
    assert path_of(browser) != "/dang-nhap", browser.find_element(By.TAG_NAME, "main").text


def wait_in_inbox(browser, live, code: str, timeout: float = 60) -> None:
    """Reload the inbox until routing (through the broker) has put the dossier's next step there."""
    deadline = time.monotonic() + timeout
    while True:
        open_page(browser, live.console.url + "/cong-viec")
        if browser.find_elements(By.LINK_TEXT, code):
            return
        assert time.monotonic() < deadline, f"{code} never reached the inbox"
        time.sleep(0.5)


def work_the_step(browser, live, code: str, sequence: int, action: str) -> None:
    """From the inbox: open the dossier, claim step `sequence`, complete it approved."""
    wait_in_inbox(browser, live, code)
    assert heading(browser) == "Công việc của tôi"
    check_accessibility(browser)
    follow(browser, code)
    assert heading(browser) == f"Hồ sơ {code}"
    follow(browser, f"Nhận xử lý bước {sequence} ({action})")
    assert heading(browser).startswith(f"Nhận xử lý bước {sequence}")
    check_accessibility(browser)
    press_main_button(browser)
    assert path_of(browser) == f"/ho-so/{code}"
    assert f"Đã nhận xử lý bước {sequence}" in browser.find_element(By.TAG_NAME, "main").text
    follow(browser, f"Hoàn thành bước {sequence} ({action})")
    check_accessibility(browser)
    browser.find_element(By.CSS_SELECTOR, "input[name=outcome][value=approved]").click()
    press_main_button(browser)
    assert path_of(browser) == f"/ho-so/{code}"
    assert f"Đã hoàn thành bước {sequence}" in browser.find_element(By.TAG_NAME, "main").text
    check_accessibility(browser)


def dossier_status(live, code: str) -> str:
    answer = live.call("intake", "GET", f"/api/v1/dossiers/{code}", "receptionist", unit=UNIT)
    assert answer.status_code == 200, answer.text
    return answer.json()["status"]


def look_up_on_intake_s_page(browser, live, code: str) -> None:
    """The citizen's side: intake's public lookup page (/tra-cuu, as linked from the SMS with `?ma=`,
    so the code is filled in), the identity number typed, Enter: the dossier is shown as returned."""
    open_page(browser, f"{live.api_url('intake')}/tra-cuu?ma={code}")
    assert heading(browser) == "Tra cứu tình trạng hồ sơ"
    assert browser.find_element(By.ID, "code").get_attribute("value") == code
    check_accessibility(browser)
    type_into(browser, "id_number", APPLICANT["id_number"])
    enter(browser)
    assert status_of(browser) == 200
    result = browser.find_element(By.CSS_SELECTOR, ".box").text
    assert code in result, result
    assert browser.find_element(By.CSS_SELECTOR, ".box .st").text == "Đã trả kết quả", result
    check_accessibility(browser)


def receive_at_the_desk_by_keyboard(browser, live) -> str:
    open_page(browser, live.console.url + "/tiep-nhan")
    assert heading(browser) == "Tiếp nhận hồ sơ"
    check_accessibility(browser)
    # Find the procedure by its code, choose it, and have its papers listed: keys only.
    type_into(browser, "tim-thu-tuc", "1.004884")
    enter(browser)
    tab_to(browser, "f-procedure")
    press(browser, Keys.ARROW_DOWN)
    assert active(browser).get_attribute("value") == "1.004884"
    press(browser, Keys.TAB)
    assert active(browser).text == "Cập nhật danh sách giấy tờ"
    enter(browser)
    assert browser.find_element(By.ID, "f-doc-0-name").get_attribute("value").startswith("Tờ khai đăng ký lại")
    check_accessibility(browser)
    # First without the citizen's identity number: refused on the same page, what was typed kept.
    type_into(browser, "f-applicant-full-name", APPLICANT["name"])
    enter(browser)
    assert heading(browser) == "Tiếp nhận hồ sơ" and browser.title.startswith("Lỗi: ") and status_of(browser) == 400
    assert active(browser).get_attribute("data-error-summary") is not None
    assert browser.find_element(By.ID, "f-applicant-full-name").get_attribute("value") == APPLICANT["name"]
    check_accessibility(browser)
    type_into(browser, "f-applicant-id-number", APPLICANT["id_number"])
    type_into(browser, "f-applicant-phone", APPLICANT["phone"])
    type_into(browser, "f-applicant-address", APPLICANT["address"])
    enter(browser)
    assert path_of(browser).startswith("/ho-so/"), browser.find_element(By.TAG_NAME, "main").text[:500]
    return unquote(path_of(browser).split("/")[2])


def test_a_dossier_from_the_counter_to_its_return_through_the_pages(browser, live):
    # 1. Reception, keyboard only.
    sign_in_as(browser, live, "tiepnhan-04222", "receptionist", unit=UNIT, name="Lường Thị Mai")
    code = receive_at_the_desk_by_keyboard(browser, live)
    assert heading(browser) == f"Hồ sơ {code}"
    assert APPLICANT["name"] in browser.find_element(By.TAG_NAME, "main").text
    check_accessibility(browser)
    # The success banner has focus; its link to the receipt is the next stop of Tab.
    assert active(browser).get_attribute("data-banner") is not None
    press(browser, Keys.TAB)
    assert "In giấy tiếp nhận" in active(browser).text
    enter(browser)
    assert path_of(browser) == f"/ho-so/{code}/in/giay-tiep-nhan"
    assert code in browser.find_element(By.TAG_NAME, "body").text
    check_accessibility(browser)

    # 2. and 3. The commune's route: the specialist processes, the chairman signs.
    sign_in_as(browser, live, "chuyenvien-04222", "specialist", unit=UNIT, name="Cầm Văn Khánh")
    work_the_step(browser, live, code, 1, "Xử lý")
    sign_in_as(browser, live, "lanhdao-04222", "leader", unit=UNIT, name="Quàng Văn Thắng")
    work_the_step(browser, live, code, 2, "Ký")

    # 4. The result reaches the desk (routing's route.completed, through the broker) and is returned.
    sign_in_as(browser, live, "tiepnhan-04222", "receptionist", unit=UNIT, name="Lường Thị Mai")
    deadline = time.monotonic() + 60
    while dossier_status(live, code) != "processed":
        assert time.monotonic() < deadline, f"{code} never came back processed: {dossier_status(live, code)}"
        time.sleep(0.3)
    open_page(browser, f"{live.console.url}/ho-so/{code}")
    check_accessibility(browser)
    follow(browser, "Trả kết quả")
    check_accessibility(browser)
    press_main_button(browser)
    assert path_of(browser) == f"/ho-so/{code}"
    assert f"Đã trả kết quả hồ sơ {code}" in browser.find_element(By.TAG_NAME, "main").text
    look_up_on_intake_s_page(browser, live, code)
    looked_up = live.call("intake", "GET", f"/api/v1/public/dossiers/{code}",
                          params={"id_number": APPLICANT["id_number"]})
    assert looked_up.status_code == 200, looked_up.text
    assert looked_up.json()["status"] == "returned", looked_up.json()

    # 5. Another commune's officer: the same "not found" page as a code that does not exist.
    sign_in_as(browser, live, "tiepnhan-04168", "receptionist", unit="04168", name="Lò Thị Hoa")
    open_page(browser, f"{live.console.url}/ho-so/{code}")
    theirs = (status_of(browser), browser.title, browser.find_element(By.TAG_NAME, "main").text)
    check_accessibility(browser)
    unknown = code[:-4] + ("0000" if not code.endswith("0000") else "9999")
    open_page(browser, f"{live.console.url}/ho-so/{unknown}")
    assert (status_of(browser), browser.title, browser.find_element(By.TAG_NAME, "main").text) == theirs
    assert theirs[0] == 404
    assert heading(browser) == "Không tìm thấy"
    assert code not in browser.page_source
