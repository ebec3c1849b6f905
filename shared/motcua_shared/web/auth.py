"""Bearer-token identity and role checks (contracts.md §2).

Tokens are JWTs: HS256 with MOTCUA_JWT_SECRET by default, RS256 against a provincial JWKS as the
option for single sign-on. Only the algorithm configured is accepted (`alg: none` and algorithm
confusion are refused), `exp` and `sub` are required, and a token naming an unknown role is refused
whole rather than trusted in part. Unit scope (an officer sees their unit and the units below) is
decided by the service that owns the data, with `Principal.unit`.
"""
from __future__ import annotations

import argparse
import functools
import time
from dataclasses import dataclass
from typing import Callable, Iterable

import jwt
from flask import current_app, g, request

from .errors import Forbidden, Unauthenticated

ROLES = frozenset({"receptionist", "specialist", "leader", "admin", "auditor", "citizen", "postal_partner",
                   "province_system"})
OFFICER_ROLES = frozenset({"receptionist", "specialist", "leader", "admin", "auditor"})


@dataclass(frozen=True)
class Principal:
    sub: str
    name: str
    roles: frozenset[str]
    unit: str | None

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


class TokenVerifier:
    def __init__(self, *, algorithm: str, secret: str, jwks_url: str = "", audience: str = ""):
        if algorithm not in ("HS256", "RS256"):
            raise ValueError(f"unsupported MOTCUA_JWT_ALGORITHM {algorithm}")
        self.algorithm = algorithm
        self.secret = secret
        self.audience = audience or None
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=300) if algorithm == "RS256" else None

    def verify(self, token: str) -> Principal:
        try:
            key = self._jwks.get_signing_key_from_jwt(token).key if self._jwks else self.secret
            claims = jwt.decode(token, key, algorithms=[self.algorithm], audience=self.audience,
                                options={"require": ["exp", "sub"]}, leeway=30)
        except jwt.PyJWTError as exc:
            raise Unauthenticated(f"Mã truy cập không hợp lệ ({type(exc).__name__}).", code="invalid_token") from None
        roles = claims.get("roles")
        if not isinstance(roles, list) or not roles or not all(isinstance(r, str) for r in roles):
            raise Unauthenticated("Mã truy cập thiếu vai trò.", code="invalid_token")
        unknown = set(roles) - ROLES
        if unknown:
            raise Unauthenticated("Mã truy cập có vai trò không xác định.", code="invalid_token")
        unit = claims.get("unit")
        if unit is not None and not isinstance(unit, str):
            raise Unauthenticated("Mã truy cập có đơn vị không hợp lệ.", code="invalid_token")
        return Principal(sub=str(claims["sub"]), name=str(claims.get("name", "")), roles=frozenset(roles), unit=unit)


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
                name: str = "Cán bộ thử nghiệm", ttl_seconds: int = 8 * 3600, algorithm: str = "HS256") -> str:
    """A development or test token; production tokens come from the province's identity provider."""
    claims = {"sub": sub, "name": name, "roles": list(roles), "exp": int(time.time()) + ttl_seconds}
    if unit:
        claims["unit"] = unit
    return jwt.encode(claims, secret, algorithm=algorithm)


def main() -> None:
    """`make token ROLE=receptionist UNIT=04222` prints a development token."""
    from ..settings import COMMON
    secret_setting = next(s for s in COMMON if s.name == "MOTCUA_JWT_SECRET")
    import os

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
    print(issue_token(secret=secret_setting.read(os.environ), roles=roles, unit=args.unit or None, sub=args.sub,
                      name=args.name, ttl_seconds=args.ttl))


if __name__ == "__main__":
    main()
