"""Routing's inbox pages as every other list does (`page_size`), and still takes and answers 1.0.0's
`per_page` (deprecated) so clients written against 1.0.0 keep working. Field errors are Vietnamese."""
from __future__ import annotations

import pytest

from routing.support import local, officer, receive, received, start_routing, wait_local

pytestmark = pytest.mark.timeout(120)
CODE = "H52.04222-190315-0101"


def test_page_size_is_the_name_and_per_page_a_deprecated_alias(system):
    start_routing(system)
    receive(system, received(CODE, "1.001776", local("2019-03-15T08:30")))
    client = system.client("routing")
    wait_local(system, CODE)
    a = officer(system, "04222", sub="cv-a")

    default = client.get("/api/v1/steps", headers=a).get_json()
    assert (default["page"], default["page_size"], default["per_page"], default["total"]) == (1, 50, 50, 1)
    for query in ("page_size=1", "per_page=1", "page_size=1&per_page=1"):
        answer = client.get(f"/api/v1/steps?{query}", headers=a).get_json()
        assert (answer["page_size"], answer["per_page"], len(answer["items"])) == (1, 1, 1), query
        past = client.get(f"/api/v1/steps?page=2&{query}", headers=a).get_json()
        assert (past["items"], past["total"]) == ([], 1), query

    both = client.get("/api/v1/steps?page_size=10&per_page=20", headers=a)
    assert both.status_code == 422
    assert [(p["name"], p["code"]) for p in both.get_json()["invalid_params"]] == [("per_page", "conflicting_page_size")]
    for name in ("page_size", "per_page"):
        too_big = client.get(f"/api/v1/steps?{name}=201", headers=a)
        assert too_big.status_code == 422 and too_big.get_json()["invalid_params"] == [
            {"name": name, "code": "out_of_range", "reason": "Phải từ 1 đến 200."}]


def test_the_contract_documents_per_page_as_deprecated(system):
    spec = system.client("routing").get("/openapi.json").get_json()
    parameters = {p["name"]: p for p in spec["paths"]["/api/v1/steps"]["get"]["parameters"]}
    assert parameters["page_size"]["schema"]["default"] == 50 and not parameters["page_size"].get("deprecated")
    assert parameters["per_page"]["deprecated"] is True
    page = spec["components"]["schemas"]["StepPage"]
    assert page["properties"]["per_page"]["deprecated"] is True
    assert {"page_size", "per_page"} <= set(page["required"])
