"""Bearer-token identity and role checks (docs/contracts.md §2).

Tokens are JWTs: HS256 with MOTCUA_JWT_SECRET by default, RS256 against a provincial JWKS as the
option for single sign-on. Only the algorithm configured is accepted (`alg: none` and algorithm
confusion are refused); `sub`, `exp` and `iat` are required, `iss` and `aud` must be the configured
issuer and audience (a token minted for another system is not ours), and a token may not live longer
than MOTCUA_JWT_MAX_LIFETIME (a stolen long-lived token is not a permanent key). A token naming an
unknown role is refused whole rather than trusted in part. Unit scope (an officer sees their unit and
the units below, motcua_shared.web.scope) is decided by the service that owns the data, with
`Principal.unit`; every officer's token carries a unit code, the province's administrator the
province's ("14"): a token with an officer role and no unit is refused here, in every service alike.

Rotation (HS256): every token names its key in the header (`kid`, a fingerprint of the secret, which
says nothing about it). After a new MOTCUA_JWT_SECRET is set, the old one goes into
MOTCUA_JWT_PREVIOUS_SECRETS: tokens it signed stay valid until they expire, new ones are signed with
the new secret, and nobody is signed out. RS256 keys are named by the JWKS's own `kid`.
"""
from __future__ import annotations

import argparse
import functools
import hashlib
import re
import time
from dataclasses import dataclass
from typing import Callable, Iterable

import jwt
from flask import current_app, g, request

from .errors import Forbidden, Unauthenticated

ROLES = frozenset({"receptionist", "specialist", "leader", "admin", "auditor", "citizen", "postal_partner",
                   "province_system"})
OFFICER_ROLES = frozenset({"receptionist", "specialist", "leader", "admin", "auditor"})
# Named role sets, for `require(*...)`: who does what is spelled once, here.
OFFICERS = tuple(sorted(OFFICER_ROLES))  # every officer: what they may read, their unit decides (scope.py)
DESK = ("admin", "receptionist")  # the reception desk's acts
HANDLERS = ("leader", "specialist")  # who claims and completes a processing step
AGENCY = ("admin", "leader", "receptionist", "specialist")  # the competent agency's decisions on a dossier
REPORT_READERS = ("admin", "auditor", "leader")  # statistics and reports
# An administrative unit code: province 2 digits, district 3, commune 5 (Decision 124/2004/QĐ-TTg).
UNIT_CODE = re.compile(r"[0-9]{2}|[0-9]{3}|[0-9]{5}")  # ASCII digits only: \d admits other scripts
ISSUER = "motcua"        # the defaults of MOTCUA_JWT_ISSUER and MOTCUA_JWT_AUDIENCE
AUDIENCE = "motcua"
MAX_LIFETIME = 12 * 3600  # seconds, the default of MOTCUA_JWT_MAX_LIFETIME: a working day with room
LEEWAY = 30  # seconds of clock difference tolerated between the token's issuer and us
# A verified token is remembered (per process) and not verified again on each request of an officer's
# session: at most this many tokens, each for at most VERIFIED_FOR seconds and never past its expiry.
# The bound on the age keeps a key withdrawn from the provincial JWKS from working much longer than the
# JWKS client's own cache of it (300 s) would.
VERIFIED_TOKENS = 1024
VERIFIED_FOR = 300


def key_id(secret: str) -> str:
    """The `kid` naming an HS256 secret: a fingerprint, from which the secret cannot be recovered."""
    return hashlib.sha256(b"motcua-jwt-kid:" + secret.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Principal:
    sub: str
    name: str
    roles: frozenset[str]
    unit: str | None

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


class TokenVerifier:
    def __init__(self, *, algorithm: str, secret: str, jwks_url: str = "", audience: str = AUDIENCE,
                 issuer: str = ISSUER, max_lifetime: int = MAX_LIFETIME, previous_secrets: Iterable[str] = ()):
        if algorithm not in ("HS256", "RS256"):
            raise ValueError(f"unsupported MOTCUA_JWT_ALGORITHM {algorithm}")
        self.algorithm = algorithm
        self.secret = secret
        # Every HS256 key still accepted, by kid: the current one first.
        self.secrets = {key_id(key): key for key in (secret, *previous_secrets) if key}
        self.audience = audience or None
        self.issuer = issuer or None
        self.max_lifetime = max_lifetime
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=300) if algorithm == "RS256" else None
        self._verified: dict[str, tuple[Principal, float]] = {}  # token -> (its principal, valid until)
        self._clock = time.time

    def _key(self, token: str):
        if self._jwks:
            return self._jwks.get_signing_key_from_jwt(token).key
        kid = jwt.get_unverified_header(token).get("kid")
        if kid is None:
            return self.secret  # a token from a tool that names no key: only the current one
        if kid not in self.secrets:
            raise jwt.InvalidKeyError("unknown kid")
        return self.secrets[kid]

    def verify(self, token: str) -> Principal:
        """The token's principal; Unauthenticated for a token we do not accept. Only an accepted token is
        remembered: one refused now (not yet valid, unknown key) is checked afresh every time."""
        now = self._clock()
        known = self._verified.get(token)
        if known is not None and now < known[1]:
            return known[0]
        principal, expires = self._check(token)
        if len(self._verified) >= VERIFIED_TOKENS:
            self._verified.clear()  # simpler than an LRU, and a full cache is a rare, cheap event
        # PyJWT refuses a token once exp <= now - leeway: remembered no longer than that.
        self._verified[token] = (principal, min(expires + LEEWAY, now + VERIFIED_FOR))
        return principal

    def _check(self, token: str) -> tuple[Principal, float]:
        try:
            claims = jwt.decode(token, self._key(token), algorithms=[self.algorithm], audience=self.audience,
                                issuer=self.issuer, options={"require": ["exp", "iat", "sub"]}, leeway=LEEWAY)
        except jwt.PyJWTError as exc:
            raise Unauthenticated(f"Mã truy cập không hợp lệ ({type(exc).__name__}).", code="invalid_token") from None
        lifetime = claims["exp"] - claims["iat"]
        if not isinstance(lifetime, (int, float)) or lifetime > self.max_lifetime:
            raise Unauthenticated(f"Mã truy cập có thời hạn quá dài (tối đa {self.max_lifetime} giây).",
                                  code="invalid_token")
        roles = claims.get("roles")
        if not isinstance(roles, list) or not roles or not all(isinstance(r, str) for r in roles):
            raise Unauthenticated("Mã truy cập thiếu vai trò.", code="invalid_token")
        unknown = set(roles) - ROLES
        if unknown:
            raise Unauthenticated("Mã truy cập có vai trò không xác định.", code="invalid_token")
        unit = claims.get("unit")
        if unit is not None and not isinstance(unit, str):
            raise Unauthenticated("Mã truy cập có đơn vị không hợp lệ.", code="invalid_token")
        if OFFICER_ROLES.intersection(roles) and not (unit and UNIT_CODE.fullmatch(unit)):
            # An officer's scope is their unit, in every service alike: the province's administrator
            # carries the province's code. A token without one is refused whole rather than read as
            # "no limit", and a unit that is no unit code (a LIKE wildcard, a path) names nothing.
            raise Unauthenticated("Mã truy cập của cán bộ phải gắn với mã một đơn vị hành chính.",
                                  code="invalid_token")
        principal = Principal(sub=str(claims["sub"]), name=str(claims.get("name", "")), roles=frozenset(roles),
                              unit=unit)
        return principal, claims["exp"]


def current_principal(optional: bool = False) -> Principal | None:
    if "principal" not in g:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            if optional:
                return None
            raise Unauthenticated("Cần mã truy cập (Authorization: Bearer ...).")
        g.principal = current_app.extensions["motcua_verifier"].verify(token.strip())
    return g.principal


def require(*roles: str) -> Callable:
    """Decorator: the caller must present a valid token holding one of `roles`."""
    allowed = frozenset(roles)
    unknown = allowed - ROLES
    if unknown:
        raise ValueError(f"unknown roles {unknown}")

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            principal = current_principal()
            if not principal.roles & allowed:
                raise Forbidden("Vai trò của bạn không được thực hiện thao tác này.", code="forbidden_role")
            return view(*args, **kwargs)
        wrapped._motcua_roles = allowed  # read by the OpenAPI security annotations and the auth matrix test
        return wrapped
    return decorate


def issue_token(*, secret: str, roles: Iterable[str], unit: str | None, sub: str = "dev-user",
                name: str = "Cán bộ thử nghiệm", ttl_seconds: int = 8 * 3600, algorithm: str = "HS256",
                issuer: str = ISSUER, audience: str = AUDIENCE) -> str:
    """A development or test token; production tokens come from the province's identity provider."""
    now = int(time.time())
    claims = {"sub": sub, "name": name, "roles": list(roles), "iat": now, "exp": now + ttl_seconds}
    if issuer:
        claims["iss"] = issuer
    if audience:
        claims["aud"] = audience
    if unit:
        claims["unit"] = unit
    return jwt.encode(claims, secret, algorithm=algorithm, headers={"kid": key_id(secret)})


def main() -> None:
    """`make token ROLE=receptionist UNIT=04222` prints a development token."""
    import os

    from ..settings import COMMON

    def setting(name: str):
        return next(s for s in COMMON if s.name == name).read(os.environ)

    parser = argparse.ArgumentParser(description="Print a development JWT")
    parser.add_argument("--role", required=True, help="comma-separated roles")
    parser.add_argument("--unit", default="")
    parser.add_argument("--sub", default="dev-user")
    parser.add_argument("--name", default="Cán bộ thử nghiệm")
    parser.add_argument("--ttl", type=int, default=8 * 3600)
    args = parser.parse_args()
    roles = [r.strip() for r in args.role.split(",") if r.strip()]
    unknown = set(roles) - ROLES
    if unknown:
        raise SystemExit(f"unknown role(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(ROLES))}")
    if OFFICER_ROLES.intersection(roles) and not UNIT_CODE.fullmatch(args.unit):
        raise SystemExit("an officer's token needs UNIT, a unit code (the province's officers: 14)")
    print(issue_token(secret=setting("MOTCUA_JWT_SECRET"), roles=roles, unit=args.unit or None, sub=args.sub,
                      name=args.name, ttl_seconds=args.ttl, issuer=setting("MOTCUA_JWT_ISSUER"),
                      audience=setting("MOTCUA_JWT_AUDIENCE")))


if __name__ == "__main__":
    main()
