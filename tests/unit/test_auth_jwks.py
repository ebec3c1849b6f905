"""RS256 against a provincial single sign-on's JWKS, served by a real HTTP server started here."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from motcua_shared.web.auth import TokenVerifier
from motcua_shared.web.errors import Unauthenticated


@pytest.fixture(scope="module")
def sso():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    jwk.update(kid="province-key-1", use="sig", alg="RS256")
    body = json.dumps({"keys": [jwk]}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield key, f"http://127.0.0.1:{server.server_address[1]}/jwks.json"
    server.shutdown()


def sign(key, claims, kid="province-key-1"):
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


def test_tokens_signed_by_the_province_are_accepted(sso):
    key, url = sso
    verifier = TokenVerifier(algorithm="RS256", secret="", jwks_url=url, issuer="https://sso.sonla.gov.vn",
                             audience="motcua")
    now = int(time.time())
    claims = {"sub": "sso-42", "roles": ["leader"], "unit": "14", "iat": now, "exp": now + 60,
              "iss": "https://sso.sonla.gov.vn", "aud": "motcua"}
    assert verifier.verify(sign(key, claims)).unit == "14"
    for other in ({"iss": "https://sso.hanoi.gov.vn"}, {"aud": "another-system"}):  # minted for someone else
        with pytest.raises(Unauthenticated):
            verifier.verify(sign(key, {**claims, **other}))


def test_other_keys_and_hs256_tokens_are_refused_under_rs256(sso):
    key, url = sso
    verifier = TokenVerifier(algorithm="RS256", secret="", jwks_url=url)
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(Unauthenticated):
        verifier.verify(sign(other, {"sub": "x", "roles": ["admin"], "exp": int(time.time()) + 60}))
    with pytest.raises(Unauthenticated):  # algorithm confusion: an HS256 token must not pass as RS256
        verifier.verify(jwt.encode({"sub": "x", "roles": ["admin"], "exp": int(time.time()) + 60}, "secret-key-0123456789abcdef-xyz0",
                                   algorithm="HS256", headers={"kid": "province-key-1"}))
