"""The production token setup: the console signs officers' tokens RS256 with its own key and serves the
public half at /.well-known/jwks.json; a service built with MOTCUA_JWT_ALGORITHM=RS256 and MOTCUA_JWKS_URL
fetches that document over real HTTP and accepts the console's tokens, and only those."""
from __future__ import annotations

import threading
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from werkzeug.serving import make_server

from motcua_console.auth.tokens import TokenMinter

from motcua_testing.system import System, spec_of

from console.support import Console, console_settings
from intake.support import dossier


def write_key(path):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return key


@pytest.fixture
def rs256(database_factory, tmp_path):
    """The console (RS256, its key in a file) serving its JWKS on a real port, and intake verifying
    against that address."""
    console_db, intake_db = (database_factory.create(spec_of(name)) for name in ("console", "intake"))
    key_file = tmp_path / "console-jwt.pem"
    write_key(key_file)
    console = Console.build(database_factory.url(console_db), {}, MOTCUA_JWT_ALGORITHM="RS256",
                            CONSOLE_JWT_PRIVATE_KEY_FILE=str(key_file))
    server = make_server("127.0.0.1", 0, console.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    jwks_url = f"http://127.0.0.1:{server.server_port}/.well-known/jwks.json"
    sut = System(amqp_url="amqp://guest:guest@127.0.0.1:1/%2F", vhost="",
                 database_urls={"intake": database_factory.url(intake_db)}, var_dir=tmp_path,
                 env={"MOTCUA_JWT_ALGORITHM": "RS256", "MOTCUA_JWKS_URL": jwks_url})
    console.intake = sut.client("intake")
    console.key_file = key_file
    yield console
    sut.close()
    server.shutdown()
    thread.join(timeout=10)
    console.runtime.close()
    database_factory.drop(console_db)
    database_factory.drop(intake_db)


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_the_console_publishes_its_public_key_and_signs_with_it(rs256):
    keys = rs256.client().get("/.well-known/jwks.json").get_json()["keys"]
    assert len(keys) == 1 and keys[0]["kty"] == "RSA" and keys[0]["alg"] == "RS256" and "d" not in keys[0]
    minter = rs256.app.extensions["console_tokens"]
    officer = rs256.account("tiep-nhan", "receptionist", unit="04222")
    token = minter.token(officer, "phien-1")
    assert jwt.get_unverified_header(token) == {"alg": "RS256", "typ": "JWT", "kid": keys[0]["kid"]}


def test_intake_accepts_the_console_s_tokens_through_its_jwks(rs256):
    minter = rs256.app.extensions["console_tokens"]
    officer = rs256.account("tiep-nhan", "receptionist", unit="04222")
    headers = bearer(minter.token(officer, "phien-1"))
    received = rs256.intake.post("/api/v1/dossiers", json=dossier(), headers=headers)
    assert received.status_code == 201, received.get_json()
    listing = rs256.intake.get("/api/v1/dossiers", headers=headers)
    assert listing.status_code == 200
    assert received.get_json()["code"] in [item["code"] for item in listing.get_json()["items"]]


def test_intake_refuses_tokens_the_console_did_not_sign(rs256, tmp_path):
    officer = rs256.account("tiep-nhan", "receptionist", unit="04222")
    console_kid = rs256.app.extensions["console_tokens"].kid

    # Another RSA key, its own minter: a kid the console's JWKS does not list.
    other_file = tmp_path / "other.pem"
    other_key = write_key(other_file)
    other = TokenMinter(console_settings("postgresql://unused/x", MOTCUA_JWT_ALGORITHM="RS256",
                                         CONSOLE_JWT_PRIVATE_KEY_FILE=str(other_file)))
    # The same other key pretending to be the console's (its kid): the signature does not verify.
    claims = {"sub": officer.id, "name": officer.full_name, "roles": ["receptionist"], "unit": "04222",
              "exp": int(time.time()) + 300}
    impostor = jwt.encode(claims, other_key, algorithm="RS256", headers={"kid": console_kid})
    # An HS256 token with the services' old shared secret: the algorithm is no longer accepted.
    shared_secret = System.token("receptionist", unit="04222")

    for token in (other.token(officer, "phien-2"), impostor, shared_secret):
        answer = rs256.intake.get("/api/v1/dossiers", headers=bearer(token))
        assert answer.status_code == 401, (token, answer.get_json())
