"""The dashboard in headless Chromium, served by a real HTTP server over the known history: the
screenshot shows the charts painted, the page's DOM holds the headline figures and the charts, an
officer outside the unit sees a refusal and no figures, and nothing is fetched from elsewhere."""
from __future__ import annotations

import re
import shutil
import subprocess
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from motcua_testing.infra import unavailable
from motcua_testing.system import System

from reporting import history
from reporting.png import colours

CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--window-size=1280,2000",
                  # Lets the page's requests and drawing finish before the capture.
                  "--virtual-time-budget=20000")
MARCH = "unit=126&from=2019-03-01&to=2019-03-31"
GREEN, BLUE, RED = (0x2E, 0x7D, 0x32), (0x15, 0x65, 0xC0), (0xB3, 0x26, 0x1E)  # dashboard.js / .css colours


def chromium_binary() -> str:
    found = next((shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome")
                  if shutil.which(name)), None)
    if found is None:
        unavailable("Chromium (Debian package chromium; scripts/install-browser.sh installs it)")
    return found


@contextmanager
def served(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def chromium(tmp_path: Path, *args: str) -> str:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    done = subprocess.run([chromium_binary(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture
def dashboard(reporting):
    reporting.feed(history.events())
    with served(reporting.app) as base:
        yield base


def page(base: str, query: str, officer: str | None = "126") -> str:
    fragment = f"#token={System.token('leader', unit=officer)}" if officer else ""
    return f"{base}/dashboard?{query}{fragment}"


def test_the_dashboard_draws_the_headline_and_the_charts(dashboard, tmp_path):
    shot = tmp_path / "dashboard.png"
    chromium(tmp_path, f"--screenshot={shot}", page(dashboard, MARCH))
    assert shot.stat().st_size > 50_000
    width, height, painted = colours(shot)
    assert (width, height) == (1280, 2000)
    # The banner, and the bars of the charts in their own colours: the charts were painted.
    assert {RED, GREEN, BLUE} <= painted and len(painted) > 200

    dom = chromium(tmp_path, "--dump-dom", page(dashboard, MARCH))
    assert 'data-state="ready"' in dom
    for chart in ("trend-chart", "units-chart", "channels-chart"):
        canvas = re.search(rf'<canvas id="{chart}"[^>]*>', dom).group(0)
        assert int(re.search(r'data-points="(\d+)"', canvas).group(1)) > 0, chart
        assert int(re.search(r' width="(\d+)"', canvas).group(1)) > 300, chart
    headline = re.search(r'id="headline"[^>]*>(.*?)</p>', dom, re.S).group(1)
    # As the 2019 article puts it: received, of which one-stop and inter-agency; resolved early or on time.
    assert "tiếp nhận <strong>15</strong> hồ sơ (một cửa 13; liên thông 2)" in headline
    assert "<strong>7</strong> hồ sơ giải quyết trước và đúng hạn, 2 quá hạn, 4 đang giải quyết" in headline
    assert "Liên thông: 1 đã giải quyết, 1 đang giải quyết" in headline
    assert "66,67 %" in dom and "3,68 ngày" in dom  # the 766 indicators, written the Vietnamese way
    for commune in ("Thị trấn Sông Mã", "Xã Chiềng Khoong", "Xã Chiềng Khương"):
        assert commune in dom
    assert "Huyện Sông Mã · Kỳ báo cáo từ 01/03/2019 đến 31/03/2019" in dom


def test_an_officer_outside_the_unit_sees_a_refusal_and_no_figures(dashboard, tmp_path):
    dom = chromium(tmp_path, "--dump-dom", page(dashboard, MARCH.replace("unit=126", "unit=04204"), officer="04222"))
    assert 'data-state="error"' in dom
    assert "ngoài phạm vi" in dom
    assert re.search(r'<section id="report" hidden', dom)
    assert "<strong>" not in re.search(r'id="headline"[^>]*>(.*?)</p>', dom, re.S).group(1)


def test_without_a_token_the_page_asks_to_sign_in(dashboard, tmp_path, reporting):
    dom = chromium(tmp_path, "--dump-dom", page(dashboard, MARCH, officer=None))
    assert 'data-state="signed-out"' in dom
    assert re.search(r'<section id="login" class="panel" aria-labelledby', dom)  # shown: no hidden attribute
    answer = reporting.app.test_client().get("/dashboard")
    policy = answer.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "connect-src 'self'" in policy
    html = answer.get_data(as_text=True)
    assert not re.search(r'(src|href)="(https?:)?//', html), "the page must load nothing from another origin"
    assert reporting.app.test_client().get("/dashboard/static/vendor/chart.js/chart.umd.min.js").status_code == 200
    assert "MIT" in reporting.app.test_client().get("/dashboard/static/vendor/chart.js/LICENSE.md").get_data(as_text=True)
