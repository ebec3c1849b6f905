"""marshmallow's English field errors answer in Vietnamese, with the machine codes partners branch on."""
from __future__ import annotations

import unicodedata

import pytest
from marshmallow import RAISE, Schema, fields, validate

from motcua_shared.web.errors import field_code, flatten
from motcua_shared.web.field_messages import MESSAGES, _PLACEHOLDER, translate


@pytest.mark.parametrize("entry", MESSAGES, ids=lambda m: m.english)
def test_each_message_keeps_the_code_it_always_had_and_its_placeholders(entry):
    # field_code reads the English text as before this table existed: the code must not move.
    assert entry.code == field_code(entry.english), entry.source
    assert _PLACEHOLDER.findall(entry.vietnamese) == _PLACEHOLDER.findall(entry.english)
    assert entry.vietnamese == unicodedata.normalize("NFC", entry.vietnamese) and entry.vietnamese != entry.english


class Everything(Schema):
    class Meta:
        unknown = RAISE

    name = fields.String(required=True)
    count = fields.Integer()
    size = fields.Integer(validate=validate.Range(min=1, max=200))
    above = fields.Float(validate=validate.Range(min=0, min_inclusive=False))
    code = fields.String(validate=validate.Length(min=2, max=5))
    exact = fields.String(validate=validate.Length(equal=3))
    short = fields.String(validate=validate.Length(min=4))
    kind = fields.String(validate=validate.OneOf(("a", "b")))
    phone = fields.String(validate=validate.Regexp(r"^\d+$"))
    on = fields.Boolean()
    when = fields.AwareDateTime()
    day = fields.Date()
    mail = fields.Email()
    tags = fields.List(fields.String())
    child = fields.Nested(lambda: Child())
    nothing = fields.String(allow_none=False)


class Child(Schema):
    n = fields.Integer(required=True)


BAD = {"count": "x", "size": 201, "above": 0, "code": "abcdefg", "exact": "ab", "short": "ab", "kind": "c",
       "phone": "12a", "on": "maybe", "when": "2026-01-01T08:00", "day": "hôm qua", "mail": "a@", "tags": "x",
       "child": {}, "nothing": None, "extra": 1}
EXPECTED = {
    "name": ("required", "Trường này là bắt buộc."),
    "count": ("invalid_type", "Không phải số nguyên hợp lệ."),
    "size": ("out_of_range", "Phải từ 1 đến 200."),
    "above": ("out_of_range", "Phải lớn hơn 0."),
    "code": ("invalid_length", "Độ dài phải từ 2 đến 5."),
    "exact": ("invalid_length", "Độ dài phải bằng 3."),
    "short": ("invalid_length", "Độ dài tối thiểu là 4."),
    "kind": ("invalid_choice", "Phải là một trong: a, b."),
    "phone": ("invalid_format", "Không đúng định dạng."),
    "on": ("invalid_type", "Không phải giá trị đúng/sai (boolean) hợp lệ."),
    "when": ("invalid_type", "Không phải ngày giờ hợp lệ có múi giờ."),
    "day": ("invalid_type", "Không phải ngày hợp lệ."),
    "mail": ("invalid_type", "Không phải địa chỉ email hợp lệ."),
    "tags": ("invalid_type", "Không phải danh sách hợp lệ."),
    "child.n": ("required", "Trường này là bắt buộc."),
    "nothing": ("null_not_allowed", "Trường này không được để rỗng (null)."),
    "extra": ("unknown_field", "Trường không được hỗ trợ."),
}


def test_a_schema_s_default_errors_flatten_to_vietnamese_reasons_with_their_codes():
    messages = Everything().validate(BAD)
    params = {p["name"]: (p["code"], p["reason"]) for p in flatten(messages)}
    assert params == EXPECTED
    # And each is what the English message gave before, code for code.
    english = {p: m for p, m in _flat_english(messages)}
    assert {name: field_code(text) for name, text in english.items()} == {n: c for n, (c, _) in EXPECTED.items()}


def _flat_english(messages, prefix=""):
    for key, value in messages.items():
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            yield from _flat_english(value, name)
        else:
            yield name, value[0]


def test_messages_a_service_wrote_pass_unchanged():
    assert translate("Không phải số di động.") is None
    assert translate("code=not_mobile: Không phải số di động.") is None
    assert list(flatten({"day": ["Not a valid date (YYYY-MM-DD)."]})) == [
        {"name": "day", "code": "invalid_type", "reason": "Not a valid date (YYYY-MM-DD)."}]


def test_values_in_messages_are_kept_and_the_longest_template_wins():
    assert translate("Length must be between 1 and 200.") == ("invalid_length", "Độ dài phải từ 1 đến 200.")
    assert translate("Length must be 10.") == ("invalid_length", "Độ dài phải bằng 10.")
    assert translate("Must be one of: open, mine, {x}.") == ("invalid_choice", "Phải là một trong: open, mine, {x}.")
    assert translate("Must be greater than or equal to 1 and less than 5.") == (
        "out_of_range", "Phải lớn hơn hoặc bằng 1 và nhỏ hơn 5.")
