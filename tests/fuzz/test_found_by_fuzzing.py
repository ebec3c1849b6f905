"""What the fuzz tests found, pinned by plain tests so that each stays fixed even if a later run's
generated data no longer happens to hit it. None of these answers reaches the database (the document,
argument parsing, a token check), so the apps run without one."""
from __future__ import annotations

import importlib

import pytest

from motcua_shared.settings import SERVICES, load
from motcua_shared.web.auth import issue_token

from motcua_testing.system import TEST_SECRET, spec_of


class Apps:
    def __init__(self):
        self.apps = {}

    def client(self, service: str):
        if service not in self.apps:
            module = importlib.import_module(f"motcua_{service}.app")
            settings = load(service, spec_of(service).settings, environ={"MOTCUA_JWT_SECRET": TEST_SECRET})
            self.apps[service] = module.create_app(settings)
        return self.apps[service].test_client()

    @staticmethod
    def auth(role: str, unit: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {issue_token(secret=TEST_SECRET, roles=[role], unit=unit)}"}

    def close(self):
        for app in self.apps.values():
            app.extensions["motcua"].close()


@pytest.fixture(scope="module")
def apps():
    apps = Apps()
    yield apps
    apps.close()


@pytest.mark.parametrize("service", SERVICES)
def test_error_responses_are_documented_as_the_problem_json_they_are(apps, service):
    document = apps.client(service).get("/openapi.json").get_json()
    for name in ("DEFAULT_ERROR", "UNPROCESSABLE_ENTITY"):
        content = document["components"]["responses"][name]["content"]
        assert list(content) == ["application/problem+json"]
        assert content["application/problem+json"]["schema"] == {"$ref": "#/components/schemas/Problem"}
    problem = document["components"]["schemas"]["Problem"]
    assert problem["properties"]["code"]["type"] == "string" and problem["properties"]["status"]["type"] == "integer"
    assert set(problem["required"]) == {"type", "title", "status", "code"}


@pytest.mark.parametrize("service, path, role", [
    ("intake", "/api/v1/dossiers?status=received&status=returned", "receptionist"),
    ("routing", "/api/v1/steps?q=a&q=b", "specialist"),
    ("postal", "/api/v1/shipments?direction=outbound&direction=inbound", "receptionist"),
])
def test_a_one_value_query_parameter_sent_twice_is_refused(apps, service, path, role):
    answer = apps.client(service).get(path, headers=apps.auth(role, unit="04222"))
    assert answer.status_code == 422, answer.get_json()
    assert answer.content_type == "application/problem+json"
    assert answer.get_json()["invalid_params"][0]["code"] == "repeated_parameter"


def test_the_pages_people_open_document_their_html_errors(apps):
    lookup = apps.client("intake").get("/openapi.json").get_json()["paths"]["/tra-cuu"]["post"]["responses"]
    unsubscribe = apps.client("notification").get("/openapi.json").get_json()["paths"]["/api/v1/unsubscribe"]
    assert set(lookup["404"]["content"]) == set(lookup["422"]["content"]) == {"text/html"}
    for method in ("get", "post"):
        assert set(unsubscribe[method]["responses"]["404"]["content"]) == {"text/html"}
    answer = apps.client("notification").get("/api/v1/unsubscribe?t=not-a-token")
    assert answer.status_code == 404 and answer.mimetype == "text/html"
