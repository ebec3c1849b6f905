"""Headless Chromium driven through WebDriver, and what the browser tests do with it: the accessibility
check (axe-core), keyboard-only typing, signing in. Shared by tests/browser and scripts/console_screenshots.py.

Debian's chromium and chromedriver (scripts/install-browser.sh): chromedriver's path is given so Selenium
Manager never downloads a driver, and every host but 127.0.0.1 is unresolvable, so a page that tried to
load anything from elsewhere would show it broken rather than quietly fetch it.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
HERE = Path(__file__).resolve().parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
WIDTH, HEIGHT = 1366, 768
# The WCAG levels the console promises (docs/console.md, "Fit for a district office"): A and AA of 2.0,
# 2.1 and 2.2.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = ("serious", "critical")


def missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    for path, hint in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not path.exists():
            return f"{path} is not installed (Debian package {hint}: run scripts/install-browser.sh)"
    if not AXE.exists() and not shutil.which("npm"):
        return "npm is not installed (it installs axe-core, pinned in tests/browser/package-lock.json)"
    return None


def install_axe() -> None:
    """axe-core as pinned by package-lock.json: `npm ci` once per clean clone."""
    if AXE.exists():
        return
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True, capture_output=True, text=True,
                   timeout=300)
    assert AXE.exists(), f"npm ci did not install {AXE}"


def start_chrome() -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--lang=vi",
                 f"--window-size={WIDTH},{HEIGHT}", "--force-device-scale-factor=1", "--hide-scrollbars",
                 "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-quic", "--no-first-run", "--disable-features=Translate,OptimizationHints",
                 "--password-store=basic"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": "vi,vi-VN",
                                              "credentials_enable_service": False,
                                              "profile.password_manager_enabled": False})
    # --lang=vi sets navigator.language and Accept-Language; date fields take their dd/mm/yyyy order from
    # the process's locale (LANGUAGE) and Debian's chromium-l10n (the vi.pak locale), as on a desk's PC.
    service = Service(executable_path=str(CHROMEDRIVER), env={**os.environ, "LANGUAGE": "vi", "LANG": "vi_VN.UTF-8"})
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(30)
    fit_viewport(driver)
    return driver


def fit_viewport(driver, width: int = WIDTH, height: int = HEIGHT) -> None:
    """Make the page's viewport (not the window around it) width x height, as on a 1366x768 screen."""
    driver.set_window_size(width, height)
    inner = driver.execute_script("return [window.innerWidth, window.innerHeight]")
    driver.set_window_size(2 * width - inner[0], 2 * height - inner[1])


# -- accessibility -------------------------------------------------------------------------------------
def axe_violations(driver) -> list[dict]:
    """axe-core's WCAG 2.x A/AA violations on the page now shown. The script is injected by WebDriver,
    which the page's CSP (`script-src 'self'`, nothing inline) does not govern."""
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
        ".then(r => done(JSON.stringify(r.violations)), e => done(JSON.stringify({error: String(e)})));", AXE_TAGS)
    found = json.loads(result)
    assert not isinstance(found, dict), f"axe-core failed on {driver.current_url}: {found}"
    return found


def check_accessibility(driver) -> list[dict]:
    """Print every violation axe finds on the page; fail on any serious or critical one."""
    violations = axe_violations(driver)
    for v in violations:
        targets = "; ".join(" ".join(node["target"]) if isinstance(node["target"], list) else str(node["target"])
                            for node in v["nodes"][:5])
        print(f"axe {v['impact']}: {v['id']} on {driver.current_url} ({v['help']}): {targets}")
    blocking = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
                for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"{driver.current_url}: {blocking}"
    return violations


# -- keyboard ------------------------------------------------------------------------------------------
def active(driver):
    return driver.switch_to.active_element


def press(driver, *keys) -> None:
    ActionChains(driver).send_keys(*keys).perform()


def tab_to(driver, element_id: str, *, limit: int = 60):
    """Press Tab until the element with this id has focus (as an officer would), and return it."""
    for _ in range(limit):
        press(driver, Keys.TAB)
        if active(driver).get_attribute("id") == element_id:
            return active(driver)
    raise AssertionError(f"Tab never reached #{element_id} on {driver.current_url}")


def type_into(driver, element_id: str, text: str) -> None:
    """Tab to a field and type, keys only."""
    tab_to(driver, element_id)
    if text:
        press(driver, text)


def wait_until(driver, predicate, timeout: float = 15, what: str = "the page"):
    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(lambda d: predicate(d), message=what)


def heading(driver) -> str:
    return " ".join(driver.find_element(By.TAG_NAME, "h1").text.split())


def status_of(driver) -> int:
    """The HTTP status the page now shown was served with (Navigation Timing's responseStatus)."""
    return driver.execute_script("return performance.getEntriesByType('navigation')[0].responseStatus")


def path_of(driver) -> str:
    from urllib.parse import urlsplit

    return urlsplit(driver.current_url).path


def open_page(driver, url: str) -> None:
    driver.get(url)
    wait_until(driver, lambda d: d.execute_script("return document.readyState") == "complete", what=url)


def sign_in_by_keyboard(driver, base_url: str, username: str, password: str, *, path: str = "/dang-nhap") -> None:
    """Open the sign-in page and sign in with keys only: Tab to each field, type, Enter."""
    open_page(driver, base_url + path)
    submit_sign_in(driver, username, password)


def submit_sign_in(driver, username: str, password: str) -> None:
    driver.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    type_into(driver, "f-username", username)
    type_into(driver, "f-password", password)
    before = driver.find_element(By.TAG_NAME, "html")
    press(driver, Keys.ENTER)
    wait_for_new_page(driver, before)


def wait_for_new_page(driver, old_html, timeout: float = 20) -> None:
    """After a submit: wait until the old document is gone and the new one has loaded."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException

    def replaced(d):
        try:
            _ = old_html.tag_name  # raises once the page has been replaced
            return False
        except StaleElementReferenceException:
            pass
        except WebDriverException as exc:
            # Caught mid-navigation, chromedriver may report the old node as "unknown error: unhandled
            # inspector error: Node with given id does not belong to the document" instead of stale.
            if "does not belong to the document" not in str(exc):
                raise
        return d.execute_script("return document.readyState") == "complete"

    wait_until(driver, replaced, timeout, what="the next page")
    time.sleep(0.05)  # console.js moves focus on DOMContentLoaded; let it run


def screenshot(driver, path: Path, *, full: bool = False) -> None:
    """A PNG of the viewport (1366 wide); `full` makes the window as tall as the page first."""
    if full:
        height = driver.execute_script("return Math.max(document.documentElement.scrollHeight, 768)")
        fit_viewport(driver, WIDTH, min(int(height), 4000))
    driver.save_screenshot(str(path))
    if full:
        fit_viewport(driver)


def ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"
