"""The console's test harness: the console app on its own database, with the five services' real apps
mounted in process (httpx.WSGITransport: real validation, scope and problem+json, no ports), officers
signed in through the real sign-in form, and a page checker every render goes through."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx
from bs4 import BeautifulSoup

from motcua_shared.settings import load

from motcua_console.app import create_app
from motcua_console.auth import accounts
from motcua_console.config import BACKENDS, SETTINGS

from motcua_testing.system import TEST_SECRET

PASSWORD = "mật khẩu thử nghiệm 2026"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
# English defaults of form libraries that must never reach an officer.
ENGLISH = ("There is a problem", "Skip to main content", "Missing data for required field", "Not a valid",
           "Internal Server Error", "Traceback")


def console_settings(database_url: str, **env):
    return load("console", SETTINGS, environ={"CONSOLE_DATABASE_URL": database_url, "MOTCUA_JWT_SECRET": TEST_SECRET,
                                              **env})


@dataclass
class Console:
    """The console and the services behind it, for one test."""
    app: object
    services: dict = field(default_factory=dict)  # name -> the service's Flask app

    @classmethod
    def build(cls, console_database_url: str, service_apps: dict, **env) -> "Console":
        transports = {name: httpx.WSGITransport(app=service_apps[name]) for name in BACKENDS if name in service_apps}
        app = create_app(console_settings(console_database_url, **env), transports=transports)
        app.testing = True
        return cls(app=app, services=service_apps)

    @property
    def runtime(self):
        return self.app.extensions["console"]

    def account(self, username: str, *roles: str, unit: str | None = None, name: str = "Lường Thị Mai",
                password: str = PASSWORD, must_change: bool = False):
        existing = accounts.by_username(self.runtime, username)
        if existing:
            return existing
        return accounts.create(self.runtime, username=username, full_name=name, roles=roles, unit=unit,
                               password=password, must_change_password=must_change)

    def client(self):
        return self.app.test_client()

    def signed_in(self, *roles: str, unit: str | None = None, username: str | None = None, **kwargs):
        """A browser-like client signed in through the real form as a new officer with `roles`."""
        username = username or f"{'-'.join(roles)}-{unit or 'tinh'}"
        self.account(username, *roles, unit=unit, **kwargs)
        client = self.client()
        answer = sign_in(client, username, kwargs.get("password", PASSWORD))
        assert answer.status_code == 303, answer.text
        return client


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has no form with a csrf_token"
    return found.group(1)


def sign_in(client, username: str, password: str, **extra):
    token = csrf_of(client.get("/dang-nhap").text)
    return client.post("/dang-nhap", data={"username": username, "password": password, "csrf_token": token, **extra})


def post_form(client, url: str, data: dict, *, form_page: str | None = None):
    """POST as the browser would: with the csrf_token of the page the form is on (`form_page`, or `url`)."""
    token = csrf_of(client.get(form_page or url).text)
    return client.post(url, data={**data, "csrf_token": token})


def page(response, status: int = 200) -> BeautifulSoup:
    """Parse a page and check what every page must be: Vietnamese, one <h1>, the title starting with
    it, unique ids, every input labelled, every POST form with its csrf_token, nothing from another
    host, no English defaults."""
    assert response.status_code == status, (response.status_code, response.text[:2000])
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.html.get("lang") == "vi"
    h1s = soup.find_all("h1")
    assert len(h1s) == 1, [h.get_text() for h in h1s]
    title = soup.title.get_text().strip()
    heading = " ".join(h1s[0].get_text().split())
    assert title.removeprefix("Lỗi: ").startswith(heading[:40]), (title, heading)
    ids = [tag["id"] for tag in soup.find_all(id=True)]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    for control in soup.select("input, select, textarea"):
        if control.get("type") in ("hidden", "submit", "button"):
            continue
        cid = control.get("id")
        assert cid and (soup.find("label", attrs={"for": cid}) or control.get("aria-label")), control
    for form in soup.find_all("form"):
        if (form.get("method") or "get").lower() == "post":
            assert form.find("input", attrs={"name": "csrf_token"}), form
    for tag in soup.find_all(["script", "link", "img", "iframe", "source"]):
        for attr in ("src", "href"):
            value = tag.get(attr)
            if value:
                assert not urlsplit(value).netloc, f"{tag.name} loads {value} from another host"
    text = soup.get_text()
    for english in ENGLISH:
        assert english not in text, english
    return soup
