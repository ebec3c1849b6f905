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


@pytest.mark.parametrize("token", [
    pytest.param(jwt.encode({"sub": "u", "roles": ["admin"], "exp": int(time.time()) + 60}, None, algorithm="none"),
                 id="alg-none"),
    pytest.param(issue_token(secret="another-secret-0123456789abcdef012", roles=["admin"], unit=None), id="wrong-signature"),
    pytest.param(issue_token(secret=SECRET, roles=["admin"], unit=None, ttl_seconds=-120), id="expired"),
    pytest.param(jwt.encode({"sub": "u", "roles": ["admin"]}, SECRET, algorithm="HS256"), id="no-expiry"),
    pytest.param(issue_token(secret=SECRET, roles=["superuser"], unit=None), id="unknown-role"),
    pytest.param(issue_token(secret=SECRET, roles=["admin", "root"], unit=None), id="one-unknown-role"),
    pytest.param(jwt.encode({"sub": "u", "roles": "admin", "exp": int(time.time()) + 60}, SECRET, algorithm="HS256"),
                 id="roles-not-a-list"),
    pytest.param(jwt.encode({"sub": "u", "roles": ["admin"], "exp": int(time.time()) + 60}, SECRET, algorithm="HS512"),
                 id="other-algorithm"),
    pytest.param("not-a-jwt", id="garbage"),
])
def test_bad_tokens_are_refused(token):
    with pytest.raises(Unauthenticated) as caught:
        verifier.verify(token)
    assert caught.value.code == "invalid_token" and caught.value.status == 401


def test_unsupported_algorithm_setting_is_refused_at_start():
    with pytest.raises(ValueError):
        TokenVerifier(algorithm="none", secret=SECRET)
