"""Each service's OpenAPI document is generated from its marshmallow schemas, committed under
docs/openapi/, and compared here: a change to a pinned HTTP contract shows up in review and CI."""
from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest
from openapi_spec_validator import validate

from motcua_shared.settings import SERVICES, load

ROOT = Path(__file__).resolve().parents[2]


def generated(service: str) -> dict:
    module = importlib.import_module(f"motcua_{service}.app")
    spec_module = importlib.import_module(f"motcua_{service}.service")
    app = module.create_app(load(service, spec_module.SPEC.settings, environ={}))
    return json.loads(json.dumps(app.extensions["motcua_api"].spec.to_dict(), ensure_ascii=False, sort_keys=True))


@pytest.mark.parametrize("service", SERVICES)
def test_committed_openapi_matches_the_code(service):
    document = generated(service)
    validate(document)
    committed = json.loads((ROOT / "docs" / "openapi" / f"{service}.json").read_text(encoding="utf-8"))
    assert committed == document, f"docs/openapi/{service}.json is stale: run `make docs` and review the diff"


def test_the_pinned_intake_paths_are_documented():
    paths = generated("intake")["paths"]
    assert "post" in paths["/api/v1/dossiers"]
