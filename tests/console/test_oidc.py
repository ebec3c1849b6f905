"""Single sign-on through a real OpenID Connect provider (node's oidc-provider): the whole code flow
with PKCE and nonce, the roles and unit taken from the provider's claims, and the refusals."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from sqlalchemy import func, select

from motcua_console.auth import accounts
from motcua_console.auth.oidc import Profile, profile
from motcua_console.models import sessions

from motcua_testing.system import spec_of

from console.oidc_support import Provider, callback_path, node_or_skip, through_provider
from console.support import Console, console_settings, page


@pytest.fixture(scope="module")
def oidc_provider(tmp_path_factory):
    provider = Provider(node_or_skip(), tmp_path_factory.mktemp("oidc") / "provider.log")
    yield provider
    provider.stop()


@pytest.fixture
def console_database(database_factory):
    name = database_factory.create(spec_of("console"))
    yield database_factory.url(name)
    database_factory.drop(name)


@pytest.fixture
def sso_console(console_database, oidc_provider):
    """The console alone (no page here calls a service), with single sign-on at the test provider."""
    return Console.build(console_database, {}, **oidc_provider.settings())


def session_count(console) -> int:
    with console.runtime.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(sessions)).scalar_one()


def test_the_code_flow_signs_in_an_officer_with_the_provider_s_roles_and_unit(sso_console, oidc_provider):
    client = sso_console.client()
    assert "Đăng nhập bằng tài khoản định danh của tỉnh" in page(client.get("/dang-nhap")).get_text()

    start = client.get("/dang-nhap/oidc?next=/tai-khoan")
    assert start.status_code == 302
    asked = urlsplit(start.headers["Location"])
    query = {k: v[0] for k, v in parse_qs(asked.query).items()}
    assert f"{asked.scheme}://{asked.netloc}" == oidc_provider.issuer
    assert query["response_type"] == "code" and query["code_challenge_method"] == "S256"
    assert query["nonce"] and query["state"] and "openid" in query["scope"].split()
    assert query["redirect_uri"] == "http://localhost/dang-nhap/oidc/ve"

    back = client.get(callback_path(through_provider(start.headers["Location"], "son")))
    assert back.status_code == 303, back.text[:2000]
    assert back.headers["Location"].endswith("/tai-khoan")  # the `next` page survived the round trip
    text = page(client.get("/tai-khoan")).get_text()
    assert "Quàng Văn Sơn" in text and "Xã Chiềng Khương" in text and "Chuyên viên" in text

    mirror = accounts.by_username(sso_console.runtime, "oidc:son")
    assert (mirror.source, mirror.roles, mirror.unit) == ("oidc", ("specialist",), "04222")
    # The officer's service tokens carry what the province said.
    token = sso_console.app.extensions["console_tokens"].token(mirror, "k")
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["roles"] == ["specialist"] and claims["unit"] == "04222"


def test_a_provider_account_with_no_officer_role_is_refused_with_no_session(sso_console):
    client = sso_console.client()
    start = client.get("/dang-nhap/oidc")
    refused = client.get(callback_path(through_provider(start.headers["Location"], "dan")))
    text = page(refused, 403).get_text()
    assert "chưa được giao vai trò" in text
    assert session_count(sso_console) == 0
    assert accounts.by_username(sso_console.runtime, "oidc:dan") is None
    assert client.get("/tai-khoan").status_code == 303  # still signed out: sent to the sign-in page


def test_a_forged_callback_is_refused(sso_console):
    client = sso_console.client()
    start = client.get("/dang-nhap/oidc")
    location = through_provider(start.headers["Location"], "son")
    code = parse_qs(urlsplit(location).query)["code"][0]
    # A real code from the provider, but a state this browser never started with.
    forged = client.get(f"/dang-nhap/oidc/ve?code={code}&state=khong-phai-cua-toi")
    assert "Không hoàn tất được đăng nhập" in page(forged, 403).get_text()
    # Another browser (no state at all) replaying the genuine answer fares no better.
    stranger = sso_console.client().get(callback_path(location))
    page(stranger, 403)
    assert session_count(sso_console) == 0


def test_sign_ins_started_again_and_again_keep_the_cookie_small_and_the_last_one_works(sso_console):
    client = sso_console.client()
    for _ in range(10):
        start = client.get("/dang-nhap/oidc?next=/tai-khoan")
        cookie = next(c for c in start.headers.getlist("Set-Cookie") if c.startswith("motcua_console_banner="))
        assert len(cookie) < 3000, len(cookie)
    back = client.get(callback_path(through_provider(start.headers["Location"], "son")))
    assert back.status_code == 303 and back.headers["Location"].endswith("/tai-khoan")


def test_without_an_issuer_both_pages_are_not_found(console_database):
    console = Console.build(console_database, {})
    client = console.client()
    assert "định danh" not in client.get("/dang-nhap").text
    page(client.get("/dang-nhap/oidc"), 404)
    page(client.get("/dang-nhap/oidc/ve?code=x&state=y"), 404)


def test_the_claims_mapping_keeps_only_officer_roles_and_prefers_the_id_token():
    settings = console_settings("postgresql://unused/x", CONSOLE_OIDC_ROLES_CLAIM="realm_access.roles")
    id_token = {"sub": "abc", "name": "Quàng Văn Sơn", "realm_access": {"roles": ["leader", "offline_access"]}}
    userinfo = {"sub": "abc", "name": "Tên khác", "unit": "04222"}
    assert profile(settings, id_token, userinfo) == Profile("abc", "Quàng Văn Sơn", ("leader",), "04222")
    # Userinfo about someone else adds nothing; roles may come as one string.
    flat = {"sub": "abc", "realm_access.roles": "specialist, citizen receptionist"}
    assert profile(settings, flat, {"sub": "xyz", "unit": "04222"}) == \
        Profile("abc", "abc", ("receptionist", "specialist"), None)
