"""Screenshots of the console's main pages, for docs/screenshots/ (run: `make screenshots`).

Starts a live system as the browser tests do (tests/browser/live.py: real broker and PostgreSQL, every
worker, every API and the console over HTTP), creates officers and a few dossiers of commune 04222 (one
of them carried through its whole route and returned, so the inbox and Biểu 06 have something to show),
then saves a 1366x768 PNG of each page with headless Chromium. A page the console does not have (yet)
is skipped with a message.

    .venv/bin/python scripts/console_screenshots.py [--out docs/screenshots]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser import chrome  # noqa: E402
from browser.live import PASSWORD, LiveSystem  # noqa: E402
from intake.support import dossier  # noqa: E402

UNIT = "04222"
APPLICANTS = (("Lò Văn Hùng", "014090001234"), ("Cầm Thị Lan", "014185002345"), ("Quàng Văn Dũng", "014092003456"),
              ("Lường Thị Xuân", "014190004567"))
OFFICERS = {  # username -> (roles, unit, full name)
    "tiepnhan-04222": (("receptionist",), UNIT, "Lường Thị Mai"),
    "chuyenvien-04222": (("specialist",), UNIT, "Cầm Văn Khánh"),
    "lanhdao-04222": (("leader",), UNIT, "Quàng Văn Thắng"),
    "quantri": (("admin",), "14", "Hà Minh Tuấn"),  # the province's administrator
}


def wait(probe, what: str, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while not (found := probe()):
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.3)
    return found


def seed(live: LiveSystem) -> list[str]:
    """A few dossiers received at the commune; the first processed, signed and returned."""
    codes = []
    for name, id_number in APPLICANTS:
        body = dossier()
        body["applicant"].update(full_name=name, id_number=id_number)
        body["applicant"].pop("email")  # the helper's address belongs to its own applicant
        answer = live.call("intake", "POST", "/api/v1/dossiers", "receptionist", unit=UNIT, json=body)
        assert answer.status_code == 201, answer.text
        codes.append(answer.json()["code"])

    # A citizen's online submission waiting at the desk, so the queue shows what a morning looks like.
    online = dossier(procedure_code="1.005461", channel="online")
    online["applicant"].update(full_name="Hà Thị Nguyệt", id_number="014190004321")
    online["applicant"].pop("email")
    answer = live.call("intake", "POST", "/api/v1/dossiers", "citizen", unit=None, sub="014190004321", json=online)
    assert answer.status_code == 201, answer.text

    def open_step(code: str):
        answer = live.call("routing", "GET", "/api/v1/steps?status=open", "specialist", unit=UNIT)
        return next((s for s in answer.json()["items"] if s["dossier_code"] == code), None)

    first = codes[0]
    for roles in (("specialist",), ("leader",)):
        step = wait(lambda: open_step(first), f"a step of {first}")
        for action, body in (("claim", None), ("complete", {"outcome": "approved"})):
            answer = live.call("routing", "POST", f"/api/v1/steps/{step['step_id']}/{action}", *roles, unit=UNIT,
                               sub="seed-officer", json=body)
            assert answer.status_code == 200, answer.text
        wait(lambda: (open_step(first) or {}).get("step_id") != step["step_id"], "the step to close")
    def status() -> str:
        return live.call("intake", "GET", f"/api/v1/dossiers/{first}", "receptionist", unit=UNIT).json()["status"]

    wait(lambda: status() == "processed", f"{first} to be processed")
    answer = live.call("intake", "POST", f"/api/v1/dossiers/{first}/return", "receptionist", unit=UNIT,
                       json={"method": "counter"})
    assert answer.status_code == 200, answer.text
    wait(lambda: all(open_step(code) for code in codes[1:]), "the other dossiers' steps in the inbox")
    return codes


class Camera:
    def __init__(self, driver, live: LiveSystem, out: Path):
        self.driver, self.live, self.out = driver, live, out
        self.endpoints = set(live.console.app.view_functions)
        self.made: list[str] = []

    def has(self, endpoint: str, name: str) -> bool:
        if endpoint not in self.endpoints:
            print(f"skipped {name}: the console has no page {endpoint} yet")
            return False
        return True

    def sign_in(self, username: str) -> None:
        chrome.open_page(self.driver, self.live.console.url + "/dang-nhap")
        self.driver.delete_all_cookies()
        chrome.sign_in_by_keyboard(self.driver, self.live.console.url, username, PASSWORD)

    def shoot(self, name: str, path: str | None = None) -> None:
        if path is not None:
            chrome.open_page(self.driver, self.live.console.url + path)
        self.driver.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
        target = self.out / f"{name}.png"
        chrome.screenshot(self.driver, target)
        self.made.append(name)
        print(f"saved {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target} "
              f"({self.driver.title})")


def take(camera: Camera, codes: list[str]) -> None:
    driver = camera.driver
    chrome.open_page(driver, camera.live.console.url + "/dang-nhap")
    driver.delete_all_cookies()
    camera.shoot("dang-nhap", "/dang-nhap")

    camera.sign_in("tiepnhan-04222")
    if camera.has("desk.queue", "quay"):
        camera.shoot("quay", "/quay")
    if camera.has("desk.reception", "tiep-nhan"):
        camera.shoot("tiep-nhan", "/tiep-nhan?procedure=1.004884")
        # Sent without the applicant: the same form back, with the error summary and the fields marked.
        from selenium.webdriver.common.by import By

        button = driver.find_element(By.CSS_SELECTOR, "main form[method=post] button.button[value=submit]")
        html = driver.find_element(By.TAG_NAME, "html")
        button.click()
        chrome.wait_for_new_page(driver, html)
        camera.shoot("tiep-nhan-loi")
    if camera.has("dossiers.detail", "ho-so"):
        camera.shoot("ho-so", f"/ho-so/{codes[1]}")
    if camera.has("dossiers.print_form", "giay-tiep-nhan"):
        camera.shoot("giay-tiep-nhan", f"/ho-so/{codes[1]}/in/giay-tiep-nhan")
    if camera.has("dossiers.search", "tim-ho-so"):
        camera.shoot("tim-ho-so", "/ho-so?q=L%C3%B2")

    camera.sign_in("chuyenvien-04222")
    if camera.has("inbox.steps", "cong-viec"):
        camera.shoot("cong-viec", "/cong-viec")

    camera.sign_in("lanhdao-04222")
    if camera.has("reports.dashboard", "bao-cao-bieu-06"):
        camera.shoot("bao-cao-bieu-06", "/bao-cao")

    camera.sign_in("quantri")
    if camera.has("admin.accounts", "quan-tri-tai-khoan"):
        camera.shoot("quan-tri-tai-khoan", "/quan-tri/tai-khoan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    reason = chrome.missing()
    if reason:
        print(f"console_screenshots: {reason}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)

    from motcua_testing.databases import DatabaseFactory
    from motcua_testing.infra import find_broker, find_postgres

    broker = find_broker()
    postgres_url, postgres_container = find_postgres()
    factory = DatabaseFactory(postgres_url)
    driver = None
    with tempfile.TemporaryDirectory(prefix="motcua-shots-") as var_dir:
        live = LiveSystem(broker, factory, Path(var_dir))
        try:
            live.start()
            for username, (roles, unit, name) in OFFICERS.items():
                live.console.account(username, *roles, unit=unit, name=name)
            codes = seed(live)
            driver = chrome.start_chrome()
            camera = Camera(driver, live, args.out)
            take(camera, codes)
            print(f"{len(camera.made)} screenshots in {args.out}")
        finally:
            if driver is not None:
                driver.quit()
            live.close()
            factory.close()
            for container in (broker.container, postgres_container):
                if container is not None:
                    container.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
