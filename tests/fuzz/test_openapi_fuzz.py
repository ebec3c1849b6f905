"""Hostile input against every service's API (issue #9): schemathesis reads the OpenAPI document the
running app serves and sends each operation generated requests, valid by the schema and invalid, with
bearer tokens of roles the operation allows so that the requests reach the handlers rather than stop
at 401/403. Every answer must be: no 5xx, a documented status code and content type, a body that
matches the documented schema, and problem+json on every error.

The budget is bounded for CI: a few examples per operation and mode, derandomized so a failure
reproduces with the same data, then schemathesis' deterministic coverage cases (boundary values, wrong
types, other methods). MOTCUA_FUZZ_EXAMPLES raises the examples for a longer local run.
"""
from __future__ import annotations

import os
import re
import traceback

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (content_type_conformance, negative_data_rejection,
                                               response_headers_conformance, response_schema_conformance,
                                               status_code_conformance)

from motcua_shared.settings import SERVICES
from motcua_shared.web.errors import PROBLEM_CONTENT_TYPE

from fuzz.seed import SEEDS
from fuzz.totals import FAILURES, REQUESTS, STATUSES

EXAMPLES = int(os.environ.get("MOTCUA_FUZZ_EXAMPLES", "25"))
# The province and two communes: an officer token without a unit code is refused before any endpoint runs.
UNITS = ("14", "04222", "04225")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]


def roles_by_operation(app) -> dict[tuple[str, str], frozenset[str]]:
    """(METHOD, /openapi/{path}) → the roles `require` lets in, read from the views themselves."""
    found = {}
    for rule in app.url_map.iter_rules():
        view_class = getattr(app.view_functions[rule.endpoint], "view_class", None)
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            view = getattr(view_class, method.lower(), None) if view_class else app.view_functions[rule.endpoint]
            found[(method, path)] = getattr(view, "_motcua_roles", frozenset())
    return found


def problem_on_errors(ctx, response, case):
    """Every 4xx/5xx of our API is RFC 9457 problem+json with a machine `code` (docs/contracts.md §2), except
    where the operation documents an HTML page for that status: pages people open in a browser (the
    public lookup form, the unsubscribe link) answer their errors as a page, and say so in the document."""
    documented = case.operation.definition.raw.get("responses", {}).get(str(response.status_code), {})
    if set(documented.get("content", {})) == {"text/html"}:
        return
    if response.status_code >= 400:
        content_type = response.headers.get("content-type", [""])[0]
        assert content_type.split(";")[0].strip() == PROBLEM_CONTENT_TYPE, \
            f"{response.status_code} answered {content_type!r}, not problem+json"
        body = response.json()
        assert isinstance(body.get("code"), str) and body["code"], f"problem without a code: {body}"
        assert body.get("status") == response.status_code, f"problem status differs: {body}"


def holder(case, tokens) -> str:
    """Which role and unit the failing case's token was for, to reproduce it."""
    sent = (case.headers or {}).get("Authorization", "").removeprefix("Bearer ")
    return next((f"{role}/{unit}" for (role, unit), token in tokens.items() if token == sent), "no token")


def fuzz_operation(system, service, schema, operation, roles, mode: GenerationMode) -> list[str]:
    """Run one operation in one generation mode; return the failures found (empty when all passed)."""
    roles = sorted(roles)
    tokens = {(role, unit): system.token(role, unit=unit, sub=f"fuzz-{role}") for role in roles or ["receptionist"]
              for unit in UNITS}
    seeds = SEEDS.get(service, {})
    path_params = {name: value for name, value in seeds.items() if name in operation.path_parameters}
    query = {name: value for name, value in seeds.items() if name in operation.query}
    # The token is a fixed header, so that schemathesis knows it is sent: in negative mode it must not
    # count "Authorization missing" as the invalid part of a request that then carries a valid token.
    strategies = [operation.as_strategy(generation_mode=mode, headers={"Authorization": f"Bearer {token}"})
                  for token in tokens.values()]
    if (path_params or query) and mode is GenerationMode.POSITIVE:
        # Random codes, ids and units only ever meet 404 or 422: as many cases again address the records
        # and the unit seeded up front (all at Chiềng Khương, 04222, so with tokens of that unit), the other
        # parameters still generated.
        strategies += [operation.as_strategy(generation_mode=mode, path_parameters=path_params or None,
                                             query=query or None, headers={"Authorization": f"Bearer {token}"})
                       for (_, unit), token in tokens.items() if unit == "04222"]
    checks = CHECKS + ([negative_data_rejection] if mode is GenerationMode.NEGATIVE else []) + [problem_on_errors]
    failures: list[str] = []

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, print_blob=False,
              phases=[Phase.explicit, Phase.generate],  # no shrinking: the budget is for finding, not minimising
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large,
                                     HealthCheck.large_base_example, HealthCheck.function_scoped_fixture])
    @given(case=st.one_of(strategies))
    def run(case):
        REQUESTS[(service, mode.value)] += 1
        try:
            response = case.call()
            STATUSES[service][response.status_code] += 1
            case.validate_response(response, checks=checks)
        except (FailureGroup, Exception) as exc:  # FailureGroup is a BaseExceptionGroup
            if len(failures) < 3:
                failures.append(f"{operation.label} [{mode.value}, {holder(case, tokens)}]: "
                                f"{type(exc).__name__}: {str(exc)[:1500]}")
            raise

    try:
        run()
    except hypothesis.errors.Unsatisfiable:
        assert mode is GenerationMode.NEGATIVE, f"{operation.label}: no valid request can be generated"
        # An operation with no parameter and no body (a page, a dashboard) has nothing to make invalid.
    except (FailureGroup, Exception):  # recorded above with the case that failed
        if not failures:
            failures.append(f"{operation.label} [{mode.value}]: {traceback.format_exc()[-1500:]}")
    return failures


def cover_operation(system, service, schema, operation, roles) -> list[str]:
    """schemathesis' coverage phase: a fixed, deterministic set of boundary and wrong-type values for
    every parameter and body field (empty, too long, wrong type, out of range, other methods)."""
    token = system.token(min(roles) if roles else "receptionist", unit="04222", sub="fuzz-coverage")
    checks = CHECKS + [negative_data_rejection, problem_on_errors]
    failures = []
    cases = schema.iter_coverage_cases(operation, generation_modes=list(GenerationMode),
                                       generation_config=schema.config.generation_for(operation=operation))
    for case in cases:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
        REQUESTS[(service, "coverage")] += 1
        response = case.call()
        STATUSES[service][response.status_code] += 1
        try:
            case.validate_response(response, checks=checks)
        except (FailureGroup, Exception) as exc:  # FailureGroup is a BaseExceptionGroup
            failures.append(f"{operation.label} [coverage]: {type(exc).__name__}: {str(exc)[:1500]}")
            if len(failures) == 3:
                break
    return failures


@pytest.mark.parametrize("service", SERVICES)
def test_generated_requests_get_documented_answers(system, service):
    app = system.app(service)
    SEEDS.prepare(system, service)
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    roles = roles_by_operation(app)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        allowed = roles.get((operation.method.upper(), operation.path), frozenset())
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failures += fuzz_operation(system, service, schema, operation, allowed, mode)
        failures += cover_operation(system, service, schema, operation, allowed)
    FAILURES[service] = failures
    assert not failures, f"{len(failures)} failing cases in {service}:\n\n" + "\n\n".join(failures)
