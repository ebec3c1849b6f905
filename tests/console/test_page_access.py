"""Deny by default: every page of the console declares who may open it, and every address is ASCII
kebab-case; an officer without the role gets the 403 page, a visitor the sign-in page."""
from __future__ import annotations

import re

import pytest

from motcua_console.app import create_app
from motcua_console.permissions import PUBLIC, SIGNED_IN, access_of

from console.support import console_settings

SLUG = re.compile(r"^(/([a-z0-9.]+(-[a-z0-9]+)*|<[a-z_:]+>|\.well-known|jwks\.json))*/?$")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('console')}/console.db"
    return create_app(console_settings(url))


def test_every_endpoint_declares_who_may_open_it(app):
    undeclared = [rule.endpoint for rule in app.url_map.iter_rules()
                  if access_of(app.view_functions[rule.endpoint]) is None]
    assert not undeclared


def test_only_the_sign_in_pages_operations_and_assets_are_public(app):
    public = sorted({rule.endpoint for rule in app.url_map.iter_rules()
                     if access_of(app.view_functions[rule.endpoint]) == PUBLIC})
    allowed = {"static", "ops.healthz", "ops.readyz", "ops.metrics", "ops.jwks", "auth.sign_in", "auth.sign_out",
               "oidc.start", "oidc.callback"}
    assert set(public) <= allowed, set(public) - allowed


def test_addresses_are_ascii_kebab_case(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        assert SLUG.match(rule.rule), rule.rule


def test_every_role_restricted_page_refuses_other_officers_and_sends_visitors_to_sign_in(console):
    app = console.app
    clients = {role: console.signed_in(role, unit="14" if role in ("admin", "auditor") else "04222")
               for role in ("receptionist", "specialist", "leader", "auditor", "admin")}
    visitor = console.client()
    checked = 0
    for rule in app.url_map.iter_rules():
        access = access_of(app.view_functions[rule.endpoint])
        if access in (PUBLIC, SIGNED_IN, None) or "GET" not in rule.methods:
            continue
        url = rule.rule
        for argument in rule.arguments:
            url = re.sub(rf"<[^>]*{argument}>", "H52.04222-260101-0001" if argument == "code" else "x", url)
        assert visitor.get(url).status_code == 303, url
        for role, client in clients.items():
            if role not in access:
                answer = client.get(url)
                assert answer.status_code == 403, (url, role, answer.status_code)
                assert "Không có quyền truy cập" in answer.text
        checked += 1
    assert checked >= 20  # every role-restricted GET page of every area was walked
