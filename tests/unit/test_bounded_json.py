"""bounded_json checks each string of a decoded body only when the text holds a `\\u` escape that can
make a NUL or a lone surrogate (the only ways one gets in): whichever way either is written, it is
refused; what only looks like one is accepted; the depth is checked either way."""
import pytest

from motcua_shared import bounded_json


@pytest.mark.parametrize("body", [
    rb'{"a": "x\u0000y"}',
    rb'{"x\u0000": 1}',                # in a key
    rb'["ok", {"b": ["\uDBFF"]}]',     # upper-case hex, deep in the value
    rb'"\udc00"',                      # a low surrogate alone
    rb'"\ud83d"',                      # a high surrogate without its pair
])
def test_an_escaped_nul_or_lone_surrogate_is_refused_wherever_it_is(body):
    with pytest.raises(bounded_json.RefusedJson) as caught:
        bounded_json.loads(body)
    assert caught.value.code == "invalid_character"


@pytest.mark.parametrize("body,value", [
    (rb'"\\u0000"', "\\u0000"),             # an escaped backslash, then the letters u0000
    (rb'"\ud83d\ude00"', "\U0001F600"),      # a surrogate pair: one character
    ('{"tên": "Lò Văn Hùng"}'.encode(), {"tên": "Lò Văn Hùng"}),
])
def test_what_only_looks_like_one_is_accepted(body, value):
    assert bounded_json.loads(body) == value


def test_the_depth_is_checked_with_or_without_escapes():
    for text in ("x", "\\u0000"):
        body = ("[" * 33 + f'"{text}"' + "]" * 33).encode()
        with pytest.raises(bounded_json.RefusedJson) as caught:
            bounded_json.loads(body)
        assert caught.value.code == "json_too_deep"
    assert bounded_json.loads(("[" * 31 + '"x"' + "]" * 31).encode())
