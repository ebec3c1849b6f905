"""A real OpenID Connect provider for the console's single sign-on tests (node's oidc-provider, see
oidc_provider/provider.js), and a browser stand-in that signs in through its pages over HTTP."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from bs4 import BeautifulSoup

from motcua_testing.ports import free_port
from motcua_testing.waiting import wait_for

FOLDER = Path(__file__).parent / "oidc_provider"
# The Flask test client is "http://localhost": the console builds its callback address from it.
REDIRECT_URI = "http://localhost/dang-nhap/oidc/ve"
CLIENT_ID, CLIENT_SECRET = "motcua-console", "bi-mat-thu-nghiem"


def node_or_skip() -> str:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node and npm:
        return node
    if os.environ.get("CI") == "true":
        pytest.fail("node and npm are needed for the OpenID Connect tests (they run a real provider)")
    pytest.skip("node and npm are not installed")


class Provider:
    """The provider process: installed with `npm ci` when its node_modules is missing, ready once its
    discovery document answers. `redirect_uri` is the one callback it accepts (the Flask test client's by
    default); `port` lets a caller that must name the issuer first (a console served over HTTP, whose
    callback address is only known once it is served) pick it beforehand."""

    def __init__(self, node: str, log_path: Path, *, redirect_uri: str = REDIRECT_URI, port: int | None = None):
        if not (FOLDER / "node_modules" / "oidc-provider").is_dir():
            subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=FOLDER, check=True, timeout=300,
                           stdout=subprocess.DEVNULL)
        self.port = port or free_port()
        self.redirect_uri = redirect_uri
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        with open(log_path, "ab") as log:
            self.popen = subprocess.Popen([node, "provider.js", str(self.port), redirect_uri], cwd=FOLDER,
                                          stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for(self._ready, timeout=30, what="the OpenID provider's discovery document")
        except AssertionError:
            self.stop()
            raise AssertionError(log_path.read_text(errors="replace")) from None

    def _ready(self) -> bool:
        if self.popen.poll() is not None:
            raise AssertionError(f"the provider exited: {self.log_path.read_text(errors='replace')}")
        try:
            return httpx.get(f"{self.issuer}/.well-known/openid-configuration", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()

    def settings(self) -> dict[str, str]:
        return {"CONSOLE_OIDC_ISSUER": self.issuer, "CONSOLE_OIDC_CLIENT_ID": CLIENT_ID,
                "CONSOLE_OIDC_CLIENT_SECRET": CLIENT_SECRET}


def through_provider(authorization_url: str, login: str) -> str:
    """Sign in at the provider as a person would (login form, then consent) and answer the address
    it sends the browser back to: the console's callback with the code and state."""
    with httpx.Client(timeout=10) as browser:
        answer = browser.get(authorization_url)
        for _ in range(12):
            if answer.is_redirect:
                location = urljoin(str(answer.url), answer.headers["Location"])
                if location.startswith(REDIRECT_URI):
                    return location
                answer = browser.get(location)
                continue
            assert answer.status_code == 200, answer.text[:2000]
            form = BeautifulSoup(answer.text, "html.parser").find("form")
            prompt = form.find("input", attrs={"name": "prompt"})["value"]
            data = {"prompt": prompt}
            if prompt == "login":
                data.update(login=login, password="bất kỳ")
            answer = browser.post(urljoin(str(answer.url), form["action"]), data=data)
    raise AssertionError("the provider never sent the browser back to the console")


def callback_path(location: str) -> str:
    parts = urlsplit(location)
    return f"{parts.path}?{parts.query}"
