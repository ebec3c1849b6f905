"""Bearer tokens: only the configured algorithm, a valid signature, an expiry and known roles pass."""
import time

import jwt
import pytest

from motcua_shared.web.auth import TokenVerifier, issue_token
from motcua_shared.web.errors import Unauthenticated

SECRET = "unit-test-secret-0123456789abcdef0123"
verifier = TokenVerifier(algorithm="HS256", secret=SECRET)


def test_a_valid_token_gives_the_principal():
    principal = verifier.verify(issue_token(secret=SECRET, roles=["receptionist"], unit="04222", sub="u1", name="A"))
    assert (principal.sub, principal.unit, principal.roles) == ("u1", "04222", frozenset({"receptionist"}))



@pytest.mark.parametrize("roles,unit", [(["citizen"], None), (["postal_partner"], None), (["province_system"], None),
                                        (["admin"], "14"), (["auditor"], "126"), (["leader"], "04222")])
def test_callers_who_are_not_officers_need_no_unit_and_officers_carry_a_unit_code(roles, unit):
    assert verifier.verify(issue_token(secret=SECRET, roles=roles, unit=unit)).unit == unit


@pytest.mark.parametrize("token", [
    pytest.param(jwt.encode({"sub": "u", "roles": ["admin"], "exp": int(time.time()) + 60}, None, algorithm="none"),
                 id="alg-none"),
    pytest.param(issue_token(secret="another-secret-0123456789abcdef012", roles=["admin"], unit="14"), id="wrong-signature"),
    pytest.param(issue_token(secret=SECRET, roles=["admin"], unit="14", ttl_seconds=-120), id="expired"),
    pytest.param(jwt.encode({"sub": "u", "roles": ["admin"]}, SECRET, algorithm="HS256"), id="no-expiry"),
    pytest.param(issue_token(secret=SECRET, roles=["superuser"], unit="14"), id="unknown-role"),
    pytest.param(issue_token(secret=SECRET, roles=["admin", "root"], unit="14"), id="one-unknown-role"),
    pytest.param(jwt.encode({"sub": "u", "roles": "admin", "exp": int(time.time()) + 60}, SECRET, algorithm="HS256"),
                 id="roles-not-a-list"),
    pytest.param(jwt.encode({"sub": "u", "roles": ["admin"], "exp": int(time.time()) + 60}, SECRET, algorithm="HS512"),
                 id="other-algorithm"),
    pytest.param("not-a-jwt", id="garbage"),
    # An officer's scope is their unit: a token naming none (or no unit code) is not "the whole province".
    *(pytest.param(issue_token(secret=SECRET, roles=[role], unit=None), id=f"{role}-without-unit")
      for role in ("receptionist", "specialist", "leader", "admin", "auditor")),
    pytest.param(issue_token(secret=SECRET, roles=["citizen", "admin"], unit=None), id="citizen-and-admin-without-unit"),
    *(pytest.param(issue_token(secret=SECRET, roles=["admin"], unit=unit), id=f"unit-{name}")
      for name, unit in (("wildcard", "%"), ("path", "14.126"), ("letters", "abc"), ("four-digits", "1422"),
                         ("spaces", " 14"), ("other-digits", "\u0661\u0664"))),
    pytest.param(issue_token(secret=SECRET, roles=["admin"], unit="14", issuer="https://elsewhere"), id="other-issuer"),
    pytest.param(issue_token(secret=SECRET, roles=["admin"], unit="14", issuer=""), id="no-issuer"),
    pytest.param(issue_token(secret=SECRET, roles=["admin"], unit="14", audience="other-app"), id="other-audience"),
    pytest.param(issue_token(secret=SECRET, roles=["admin"], unit="14", audience=""), id="no-audience"),
    pytest.param(issue_token(secret=SECRET, roles=["admin"], unit="14", ttl_seconds=30 * 24 * 3600),
                 id="lives-a-month"),
    pytest.param(jwt.encode({"sub": "u", "roles": ["admin"], "exp": int(time.time()) + 60, "iss": "motcua",
                             "aud": "motcua"}, SECRET, algorithm="HS256"), id="no-issued-at"),
    pytest.param(jwt.encode({"sub": "u", "roles": ["admin"], "iat": int(time.time()), "exp": int(time.time()) + 60,
                             "iss": "motcua", "aud": "motcua"}, SECRET, algorithm="HS256",
                            headers={"kid": "0123456789abcdef"}), id="unknown-key-id"),
])
def test_bad_tokens_are_refused(token):
    with pytest.raises(Unauthenticated) as caught:
        verifier.verify(token)
    assert caught.value.code == "invalid_token" and caught.value.status == 401


def test_unsupported_algorithm_setting_is_refused_at_start():
    with pytest.raises(ValueError):
        TokenVerifier(algorithm="none", secret=SECRET)


def test_a_rotated_secret_signs_no_one_out_and_a_retired_one_is_refused():
    """Rotation: the new secret signs, the previous one still verifies the tokens it signed; once it
    is dropped from MOTCUA_JWT_PREVIOUS_SECRETS, so are they."""
    old, new = SECRET, "rotated-secret-abcdef0123456789abcdef"
    before = issue_token(secret=old, roles=["leader"], unit="126", sub="u-old")
    rotating = TokenVerifier(algorithm="HS256", secret=new, previous_secrets=[old])
    assert rotating.verify(before).sub == "u-old"
    assert rotating.verify(issue_token(secret=new, roles=["leader"], unit="126", sub="u-new")).sub == "u-new"
    assert jwt.get_unverified_header(before)["kid"] != jwt.get_unverified_header(
        issue_token(secret=new, roles=["leader"], unit="126"))["kid"]
    with pytest.raises(Unauthenticated):
        TokenVerifier(algorithm="HS256", secret=new).verify(before)


def test_the_key_id_does_not_reveal_the_secret():
    token = issue_token(secret=SECRET, roles=["leader"], unit="126")
    kid = jwt.get_unverified_header(token)["kid"]
    assert len(kid) == 16 and kid not in SECRET and SECRET not in token


def test_a_remembered_token_is_checked_again_once_it_would_have_expired(monkeypatch):
    """Verified tokens are remembered, but never past `exp` plus the leeway PyJWT itself allows: from then
    on the full check runs again (here it refuses, as PyJWT would at that hour)."""
    from motcua_shared.web import auth

    remembering = TokenVerifier(algorithm="HS256", secret=SECRET)
    token = issue_token(secret=SECRET, roles=["leader"], unit="126", sub="u-cached", ttl_seconds=60)
    expires = jwt.decode(token, options={"verify_signature": False})["exp"]
    assert remembering.verify(token).sub == "u-cached"

    def refused(*_args, **_kwargs):
        raise jwt.ExpiredSignatureError("expired")

    monkeypatch.setattr(auth.jwt, "decode", refused)  # what PyJWT answers once the token has expired
    remembering._clock = lambda: expires + auth.LEEWAY - 1
    assert remembering.verify(token).sub == "u-cached"  # still within exp + leeway: the remembered answer
    remembering._clock = lambda: expires + auth.LEEWAY
    with pytest.raises(Unauthenticated):
        remembering.verify(token)


def test_a_token_is_remembered_for_a_few_minutes_at_most(monkeypatch):
    """However long the token lives, it is checked in full again after VERIFIED_FOR seconds (a key
    withdrawn from the JWKS stops working then)."""
    from motcua_shared.web import auth

    remembering = TokenVerifier(algorithm="HS256", secret=SECRET)
    token = issue_token(secret=SECRET, roles=["leader"], unit="126", ttl_seconds=8 * 3600)
    now = time.time()
    remembering._clock = lambda: now
    remembering.verify(token)
    monkeypatch.setattr(auth.jwt, "decode", lambda *_a, **_k: (_ for _ in ()).throw(jwt.InvalidKeyError("withdrawn")))
    remembering._clock = lambda: now + auth.VERIFIED_FOR
    with pytest.raises(Unauthenticated):
        remembering.verify(token)
