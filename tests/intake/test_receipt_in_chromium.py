"""The receipt (Mẫu 01) as a browser renders it, offline: headless Chromium (Debian package `chromium`,
installed by scripts/install-browser.sh) loads the page from a file with every host unresolvable.

Checked: the dossier code and the appointment as printed, and the QR code: where it is (the top left
corner, before everything else) and what it says. No QR decoder is installed, so the screenshot is read
module by module and compared with the symbol of the dossier code; a QR symbol is fixed by its payload,
error-correction level and mask, so matching every module is reading the code.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from motcua_intake.forms import qr

from intake import png
from intake.support import at, token

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--host-resolver-rules=MAP * ~NOTFOUND", "--force-device-scale-factor=1", "--hide-scrollbars"]
# Measures the page as laid out and writes the numbers into the DOM for --dump-dom to return.
PROBE = """<script>
const box = e => { const r = e.getBoundingClientRect(); return {x: r.left, y: r.top, w: r.width, h: r.height}; };
const found = {qr: box(document.querySelector("svg.qr")), page: box(document.body),
  title: box(document.querySelector("h1")),
  heads: box(document.querySelector(".heads")),
  first: box(document.body.querySelector("header").firstElementChild),
  code: document.getElementById("ma-ho-so").textContent, due: document.getElementById("hen-tra").textContent};
document.body.insertAdjacentHTML("beforeend", "<pre id=probe>" + JSON.stringify(found) + "</pre>");
</script>"""


@pytest.fixture(scope="module")
def chromium():
    if not CHROMIUM.exists():
        message = "Chromium is not installed: run scripts/install-browser.sh"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return CHROMIUM


def run(chromium: Path, tmp_path: Path, *args: str) -> str:
    result = subprocess.run([str(chromium), *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
                            capture_output=True, text=True, timeout=90)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_the_receipt_shows_code_appointment_and_the_qr_code_top_left(desk, chromium, tmp_path):
    code = desk.imported(at("2026-04-23 09:00"))["code"]
    answer = desk.client.get(f"/api/v1/dossiers/{code}/receipt", headers=token("receptionist", unit="04222"))
    assert answer.status_code == 200
    page = tmp_path / "receipt.html"
    page.write_bytes(answer.data)
    probed = tmp_path / "probed.html"
    probed.write_text(answer.get_data(as_text=True).replace("</body>", PROBE + "</body>"), encoding="utf-8")

    dom = run(chromium, tmp_path, "--window-size=820,1200", "--dump-dom", probed.as_uri())
    found = json.loads(re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S).group(1))
    assert found["code"] == code
    assert found["due"] == "09 giờ 00 phút, ngày 05 tháng 05 năm 2026"
    box = found["qr"]
    assert found["first"] == box  # the QR code is the first thing of the page
    # In the corner of the printed area (the page's 8 px padding aside), left of the headings, above the title.
    assert box["x"] - found["page"]["x"] <= 8 and box["y"] - found["page"]["y"] <= 8
    assert box["w"] >= 100 and box["w"] == box["h"]
    assert box["x"] + box["w"] <= found["heads"]["x"] and box["y"] + box["h"] < found["title"]["y"]

    shot = tmp_path / "receipt.png"
    run(chromium, tmp_path, "--window-size=820,420", f"--screenshot={shot}", page.as_uri())
    image = png.read(shot.read_bytes())
    modules = qr.matrix(code)
    size = box["w"] / len(modules)
    seen = [[image.luminance(int(box["x"] + (col + 0.5) * size), int(box["y"] + (row + 0.5) * size)) < 128
             for col in range(len(modules))] for row in range(len(modules))]
    assert seen == [list(row) for row in modules]
    assert seen != [list(row) for row in qr.matrix(code[:-1] + "2")]  # and not another dossier's
