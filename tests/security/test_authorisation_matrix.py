"""Least privilege, endpoint by endpoint (docs/contracts.md §2): the matrix role × unit × endpoint of every
service, on real objects of commune A (04222) made through the services' APIs and event handlers.

- every route of every service has an entry in the matrix (security/matrix.py), and the roles a view
  admits are exactly the matrix's;
- without a valid token (none, expired, `alg: none`, another key's signature, another algorithm, no
  expiry or subject, an unknown role, malformed roles or unit) every non-public endpoint answers 401
  problem+json and changes nothing; a role the endpoint does not name, 403 `forbidden_role`;
- an officer acts only within their unit's subtree: the commune itself, the district above it in
  the three-level world (2019) but not in the two-level one (now), the province (its administrator
  included: an admin's scope is their unit like anyone's); the sibling commune B (04171) and a unit
  claim that names no unit get the "hidden" answer (404 for objects, 403 for a unit parameter) and
  change nothing; an officer's token without a unit, or with one a SQL LIKE would read as a wildcard,
  is refused whole (401) by every protected endpoint;
- a citizen sees and acts on their own dossiers only.
"""
from __future__ import annotations

import base64
import json
import time
import warnings
from datetime import datetime
from typing import Callable

import jwt
import pytest

from motcua_shared.web.auth import ROLES, issue_token

from motcua_testing.system import TEST_SECRET

from security.matrix import ENDPOINTS, Endpoint, Request, Target, infrastructure, period, visible
from security.world import (A, ADMIN, APPLICANT_ID, B, DISTRICT, OTHER_CITIZEN, PROVINCE, UNITS, VN, bearer, sub_of,
                            token)

SCOPED = ("object", "unit", "list", "province", "global")


def call(world, endpoint: Endpoint, request, headers: dict | None):
    client = world[endpoint.service].client
    return client.open(request.path, method=endpoint.method, query_string=request.query, json=request.body,
                       headers=headers or {})


def problem(answer) -> dict:
    assert answer.content_type == "application/problem+json", (answer.status_code, answer.get_data(as_text=True)[:300])
    return answer.get_json()


# -- the matrix covers every route, with the roles the code declares --------------------------------------
def routes(app) -> set[tuple[str, str]]:
    return {(method, rule.rule) for rule in app.url_map.iter_rules() if not infrastructure(rule.rule)
            for method in rule.methods - {"HEAD", "OPTIONS"}}


def test_every_route_of_every_service_is_in_the_matrix(world):
    exposed = {(service, method, rule) for service, svc in world.items() for method, rule in routes(svc.app)}
    declared = {endpoint.key for endpoint in ENDPOINTS}
    assert exposed - declared == set(), "routes without an entry in tests/security/matrix.py"
    assert declared - exposed == set(), "matrix entries for routes that no longer exist"


def view_roles(app, method: str, rule: str) -> frozenset[str] | None:
    found = next(r for r in app.url_map.iter_rules() if r.rule == rule and method in r.methods)
    view = app.view_functions[found.endpoint]
    handler = getattr(view.view_class, method.lower()) if hasattr(view, "view_class") else view
    return getattr(handler, "_motcua_roles", None)


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if not e.variant], ids=lambda e: e.id)
def test_the_roles_a_view_admits_are_the_matrix_roles(world, endpoint):
    roles = view_roles(world[endpoint.service].app, endpoint.method, endpoint.rule)
    if endpoint.scope == "public":
        assert roles is None and endpoint.why, "a public endpoint says why it needs no token"
    else:
        assert roles == frozenset(endpoint.roles)
        assert endpoint.scope != "global" or endpoint.why, "a unit-independent endpoint says why"


# -- tokens -------------------------------------------------------------------------------------------------
def _b64(part: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()


def _claims() -> dict:
    """Everything a valid token of the province's admin carries but its signature."""
    now = int(time.time())
    return {"sub": "admin-1", "roles": ["admin"], "unit": PROVINCE, "iat": now, "exp": now + 3600, "iss": "motcua",
            "aud": "motcua"}


def _unsigned() -> str:
    claims = _claims()
    return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."


def _signed(claims: dict, algorithm: str = "HS256") -> Callable[[], str]:
    """Claims signed with the right secret: refused for what they say, not for the signature."""
    def make() -> str:
        with warnings.catch_warnings():  # the test secret is short for HS512, which is the point: it is refused
            warnings.simplefilter("ignore", jwt.warnings.InsecureKeyLengthWarning)
            return jwt.encode({**_claims(), **claims}, TEST_SECRET, algorithm=algorithm)
    return make


def _without(claim: str) -> Callable[[], str]:
    def make() -> str:
        claims = _claims()
        claims.pop(claim)
        return jwt.encode(claims, TEST_SECRET, algorithm="HS256")
    return make


BAD_TOKENS = {
    "missing": None,
    "expired": lambda: issue_token(secret=TEST_SECRET, roles=["admin"], unit=PROVINCE, ttl_seconds=-3600),  # beyond leeway
    "alg-none": _unsigned,
    "wrong-signature": lambda: issue_token(secret="another-secret-of-someone-else-0123456789", roles=["admin"],
                                           unit=PROVINCE),
    "other-algorithm": _signed({}, algorithm="HS512"),  # only the configured algorithm is accepted
    "no-expiry": _without("exp"),
    "no-subject": _without("sub"),
    "unknown-role": lambda: issue_token(secret=TEST_SECRET, roles=["admin", "superuser"], unit=PROVINCE),
    "roles-not-a-list": _signed({"roles": "admin"}),
    "no-roles": _without("roles"),
    "unit-not-a-string": _signed({"unit": 4222}),
    # An officer's scope is their unit: an admin naming none is not "the whole province" (the province's
    # administrator carries the province's code), and a unit that is not a unit code names nothing.
    "officer-without-unit": _without("unit"),
    "unit-not-a-code": _signed({"unit": "%"}),
    "no-issued-at": _without("iat"),
    "other-issuer": _signed({"iss": "https://sso.elsewhere.gov.vn"}),
    "no-audience": _without("aud"),
    "other-audience": _signed({"aud": "another-system"}),
    "lives-a-month": _signed({"exp": int(time.time()) + 30 * 24 * 3600}),
    "not-bearer": "basic",
}
PROTECTED = [e for e in ENDPOINTS if e.scope != "public" and not e.variant]


@pytest.mark.parametrize("kind", BAD_TOKENS)
@pytest.mark.parametrize("endpoint", PROTECTED, ids=lambda e: e.id)
def test_without_a_valid_token_every_protected_endpoint_answers_401(world, endpoint, kind):
    make = BAD_TOKENS[kind]
    if make is None:
        headers = {}
    elif make == "basic":
        headers = {"Authorization": "Basic YWRtaW46YWRtaW4="}
    else:
        headers = {"Authorization": f"Bearer {make()}"}
    request = endpoint.build(world, Target(endpoint.worlds[-1], "admin", "province", "admin-province"))
    before = snapshot(world, endpoint, request) if endpoint.mutates else None
    answer = call(world, endpoint, request, headers)
    assert answer.status_code == 401, answer.get_data(as_text=True)[:300]
    assert problem(answer)["code"] == ("unauthenticated" if kind in ("missing", "not-bearer") else "invalid_token")
    assert before is None or snapshot(world, endpoint, request) == before


@pytest.mark.parametrize("endpoint,role", [(e, r) for e in PROTECTED for r in sorted(ROLES - set(e.roles))],
                         ids=lambda v: v.id if isinstance(v, Endpoint) else v)
def test_a_role_the_endpoint_does_not_name_is_forbidden(world, endpoint, role):
    request = endpoint.build(world, Target(endpoint.worlds[-1], role, "commune", sub_of(role, A)))
    answer = call(world, endpoint, request, {"Authorization": f"Bearer {token(role, unit=A)}"})
    assert answer.status_code == 403 and problem(answer)["code"] == "forbidden_role"


# -- unit confinement ---------------------------------------------------------------------------------------
def snapshot(world, endpoint: Endpoint, request) -> object:
    """What a refused request must leave as it was, read by a province-wide administrator."""
    parts = request.path.strip("/").split("/")
    if endpoint.service == "intake" and parts[2] == "dossiers" and len(parts) > 3:
        path = f"/api/v1/dossiers/{parts[3]}"
    elif endpoint.service == "intake" and parts[2] == "dossiers":
        path = "/api/v1/dossiers?page_size=1"
    elif endpoint.service == "intake" and parts[2] == "reference":  # the reference set in use
        path = "/api/v1/reference"
    elif endpoint.service == "intake":  # a day of the calendar
        path = f"/api/v1/calendar/overrides?year={parts[4][:4]}"
    elif endpoint.service == "routing" and parts[2] == "steps":
        path = f"/api/v1/routes/{world['routing'].step(parts[3])['dossier_code']}"
    elif endpoint.service == "routing":
        path = f"/api/v1/routes/{parts[3]}"
    elif endpoint.service == "postal":
        path = f"/api/v1/shipments/{parts[3]}"
    else:
        return None
    answer = world[endpoint.service].client.get(path, headers=ADMIN)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def officer_cases():
    for endpoint in ENDPOINTS:
        if endpoint.scope not in SCOPED:
            continue
        worlds = endpoint.worlds if endpoint.scope in ("object", "unit", "list") and not endpoint.any_world \
            else endpoint.worlds[-1:]
        for world in worlds:
            for role in (r for r in endpoint.roles if r != "citizen"):
                for unit in UNITS:
                    yield pytest.param(endpoint, world, role, unit, id=f"{endpoint.id}-{world}-{role}@{unit}")


@pytest.mark.parametrize("endpoint,world_name,role,unit", list(officer_cases()))
def test_an_officer_acts_only_within_their_unit_subtree(world, endpoint, world_name, role, unit):
    target = Target(world_name, role, unit, sub_of(role, UNITS[unit]), fresh=endpoint.mutates)
    # No unit, or no unit code: the token itself is refused, before any scope is worked out.
    refused_outright = unit in ("none", "wildcard")
    expected = not refused_outright and (endpoint.scope == "global" or visible(endpoint, target))
    request = endpoint.build(world, target)
    before = snapshot(world, endpoint, request) if endpoint.mutates and not expected else None
    headers = {"Authorization": f"Bearer {token(role, unit=UNITS[unit], sub=target.sub)}"}
    answer = call(world, endpoint, request, headers)
    assert answer.status_code != 500
    if expected:
        assert answer.status_code in endpoint.ok, (answer.status_code, answer.get_data(as_text=True)[:400])
    elif endpoint.scope == "list" and not refused_outright:
        assert answer.status_code == 200, answer.get_data(as_text=True)[:400]  # the object is just not listed
    else:
        status, code = (401, "invalid_token") if refused_outright else endpoint.hidden
        assert (answer.status_code, problem(answer)["code"]) == (status, code)
        # Exactly what an unknown one answers (an object named in the body, an opt-out's address: in
        # tests/security/test_smaller_holes.py).
        if endpoint.scope == "object" and status == 404 and len(request.path.split("/")) > 4:
            parts = request.path.split("/")
            parts[4] = parts[4][:-4] + ("9999" if parts[4][-4:].isdigit() else "zzzz")
            unknown = call(world, endpoint, Request("/".join(parts), request.query, request.body), headers)
            assert (unknown.status_code, unknown.get_json()) == (answer.status_code, answer.get_json())
        if before is not None:
            assert snapshot(world, endpoint, request) == before, "a refused request changed something"
    if endpoint.check and answer.status_code == 200:
        endpoint.check(world, target, answer, expected)


# -- citizens -----------------------------------------------------------------------------------------------
CITIZEN_OBJECTS = [e for e in ENDPOINTS if "citizen" in e.roles and e.scope == "object"]


@pytest.mark.parametrize("whose", ("own", "someone-elses"))
@pytest.mark.parametrize("endpoint,world_name", [(e, w) for e in CITIZEN_OBJECTS for w in e.worlds],
                         ids=lambda v: v.id if isinstance(v, Endpoint) else v)
def test_a_citizen_sees_and_acts_on_their_own_dossiers_only(world, endpoint, world_name, whose):
    sub = APPLICANT_ID if whose == "own" else OTHER_CITIZEN
    target = Target(world_name, "citizen", "none", sub, fresh=endpoint.mutates)
    request = endpoint.build(world, target)
    before = snapshot(world, endpoint, request)
    answer = call(world, endpoint, request, {"Authorization": f"Bearer {token('citizen', sub=sub)}"})
    if whose == "own":
        assert answer.status_code in endpoint.ok, (answer.status_code, answer.get_data(as_text=True)[:400])
    else:
        assert (answer.status_code, problem(answer)["code"]) == (404, "dossier_not_found")
        assert snapshot(world, endpoint, request) == before


def test_a_citizen_lists_and_submits_only_their_own_dossiers(world):
    intake = world["intake"]
    me, other = ({"Authorization": f"Bearer {token('citizen', sub=s)}"} for s in (APPLICANT_ID, OTHER_CITIZEN))
    answer = intake.client.post("/api/v1/dossiers", headers=me, json={
        "procedure_code": "1.005461", "channel": "online", "receiving_unit": A, "return_method": "online",
        "applicant": {"full_name": "Lò Văn Hùng", "id_number": APPLICANT_ID, "phone": "0912345678", "email": None,
                      "address": "Bản Hưng Mai"}, "documents": []})
    assert answer.status_code == 201, answer.get_json()
    mine = answer.get_json()["code"]
    desk_made = intake.dossier("2L", A, "received")  # keyed in at the desk for the same applicant

    def listed(headers, code: str) -> set[str]:
        found = intake.client.get("/api/v1/dossiers", query_string={"q": code}, headers=headers)
        assert found.status_code == 200, found.get_json()
        return {item["code"] for item in found.get_json()["items"]}

    for code in (mine, desk_made):
        assert listed(me, code) == {code}
        assert listed(other, code) == set()
    assert intake.client.get(f"/api/v1/dossiers/{mine}", headers=other).status_code == 404


# -- public endpoints ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.scope == "public"], ids=lambda e: e.id)
def test_public_endpoints_answer_without_a_token(world, endpoint):
    answer = call(world, endpoint, endpoint.build(world, Target("2L", "citizen", "none", "anyone")), None)
    assert answer.status_code in endpoint.ok, answer.get_data(as_text=True)[:300]


# -- communes merged in the 2025 reform -----------------------------------------------------------------
MERGED = "04213"  # Mường Sai, merged into Chiềng Khương (04222) on 01/07/2025


def test_a_merged_communes_history_stays_with_its_own_lineage(world):
    """Mường Sai's 2019 dossiers (14.126.04213) belong to Mường Sai and Sông Mã: the commune it merged
    into does not act on them (they were never below it), while its report for a period after the
    reform counts them as its territory's (reporting follows the territory, read-only)."""
    intake, routing, reporting = world["intake"], world["routing"], world["reporting"]
    dossier = intake.dossier("3L", MERGED, "received")
    route, _step = routing.route("3L", MERGED)
    for unit, status in ((MERGED, 200), (DISTRICT, 200), (PROVINCE, 200), (A, 404), (B, 404)):
        headers = bearer("leader", unit=unit)
        assert intake.client.get(f"/api/v1/dossiers/{dossier}", headers=headers).status_code == status, unit
        assert routing.client.get(f"/api/v1/routes/{route}", headers=headers).status_code == status, unit

    year = {"from": "2025-01-01", "to": "2025-12-31"}

    def summary(officer: str, unit: str):
        return reporting.client.get("/api/v1/reports/summary", query_string={"unit": unit, **year},
                                    headers=bearer("leader", unit=officer))

    def received(officer: str) -> int:
        answer = summary(officer, A)
        assert answer.status_code == 200, answer.get_json()
        return answer.get_json()["received"]["total"]

    before = received(A), received(PROVINCE)
    reporting.received(MERGED, "3L", datetime(2025, 3, 10, 8, 0, tzinfo=VN))
    assert (received(A), received(PROVINCE)) == (before[0] + 1, before[1] + 1)  # the merged commune's dossier
    assert summary(B, A).status_code == 403 and summary(B, A).get_json()["code"] == "unit_out_of_scope"
    assert summary(MERGED, A).status_code == 403  # the old commune does not see its successor's territory


# -- an administrator's scope is their unit ---------------------------------------------------------------
def test_an_administrator_of_a_commune_sees_nothing_of_another_commune_in_any_service(world):
    """An admin is confined to their unit like any officer (issue 15): commune B's administrator finds
    none of commune A's objects in any service (404, as if unknown) and may not report on A (403), while
    A's administrator and the province's (unit 14, the only "province-wide" there is) do."""
    intake, routing, notification, postal, reporting = (
        world[name] for name in ("intake", "routing", "notification", "postal", "reporting"))
    objects = {
        "intake": f"/api/v1/dossiers/{intake.dossier('2L', A, 'received')}",
        "routing": f"/api/v1/routes/{routing.route('2L', A)[0]}",
        "notification": f"/api/v1/dossiers/{notification.dossier('2L', A)}/messages",
        "postal": f"/api/v1/shipments/{postal.shipment('2L', A)}",
    }
    for service, path in objects.items():
        client = world[service].client
        for unit in (A, PROVINCE):
            assert client.get(path, headers=bearer("admin", unit=unit)).status_code == 200, (service, unit)
        answer = client.get(path, headers=bearer("admin", unit=B))
        assert answer.status_code == 404 and problem(answer)["code"].endswith("_not_found"), service

    def summary(unit: str):
        return reporting.client.get("/api/v1/reports/summary", query_string={"unit": A, **period("2L")},
                                    headers=bearer("admin", unit=unit))

    assert summary(A).status_code == 200 and summary(PROVINCE).status_code == 200
    assert (summary(B).status_code, problem(summary(B))["code"]) == (403, "unit_out_of_scope")
