"""Validation messages become stable machine codes."""
from motcua_shared.web.errors import flatten


def test_nested_messages_are_flattened_with_codes():
    params = list(flatten({"applicant": {"phone": ["String does not match expected pattern."]},
                           "priority": ["Unknown field."], "documents": {0: {"count": ["Not a valid integer."]}}}))
    assert {(p["name"], p["code"]) for p in params} == {
        ("applicant.phone", "invalid_format"), ("priority", "unknown_field"), ("documents.0.count", "invalid_type")}


def test_a_validator_can_name_its_own_code():
    params = list(flatten({"phone": ["code=not_mobile: Không phải số di động."]}))
    assert params == [{"name": "phone", "code": "not_mobile", "reason": "code=not_mobile: Không phải số di động."}]
