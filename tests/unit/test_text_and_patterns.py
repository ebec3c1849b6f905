"""What people type and what codes look like, checked the way the published documents read them."""
from __future__ import annotations

import copy
import json

import pytest
from marshmallow import Schema, ValidationError

from motcua_shared.events import InvalidEvent, new_event, parse, registry
from motcua_shared.events.catalogue.dossier import DOSSIER_RECEIVED
from motcua_shared.patterns import UNIT_CODE, UNIT_PATH
from motcua_shared.web.fields import Text


class Named(Schema):
    name = Text(required=True)


@pytest.mark.parametrize("value", ["04222\n", "٠٤٢٢٢", "０４２２２", "4222", "042220", " 04222"])
def test_a_unit_code_is_exactly_two_three_or_five_ascii_digits(value):
    with pytest.raises(ValidationError):
        UNIT_CODE(value)


@pytest.mark.parametrize("value", ["14", "126", "04222"])
def test_well_formed_unit_codes_pass(value):
    assert UNIT_CODE(value) == value


def test_a_unit_path_has_no_trailing_newline():
    assert UNIT_PATH("14.126.04222") == "14.126.04222"
    with pytest.raises(ValidationError):
        UNIT_PATH("14.126.04222\n")


def test_an_event_whose_unit_code_ends_in_a_newline_is_invalid():
    data = copy.deepcopy(registry.get(DOSSIER_RECEIVED).example)
    event = new_event(DOSSIER_RECEIVED, source="/t", subject=data["code"], data=data).to_dict()
    event["data"]["receiving_unit"] += "\n"
    with pytest.raises(InvalidEvent):
        parse(json.dumps(event).encode())


@pytest.mark.parametrize("value", ["Lò\x85Văn", "Lò\x9b[31mVăn", "\u202eneT ửL", "Lò\u2066Văn\u2069", "Lò\x00Văn",
                                   "Lò\u200bVăn", "Lò\u200dVăn", "\u200fLò Văn", "Lò\xadVăn", "\ufeffLò Văn",
                                   "Lò\u2060Văn", "Lò\u061cVăn"])
def test_control_and_reordering_characters_are_refused_in_text(value):
    with pytest.raises(ValidationError, match="ký tự điều khiển"):
        Named().load({"name": value})


def test_text_is_trimmed_and_composed_and_keeps_tabs_and_newlines():
    decomposed = "  Nguye\u0302\u0303n Thi\u0323 Hoa\tBản Hưng Mai\n"
    assert Named().load({"name": decomposed})["name"] == "Nguyễn Thị Hoa\tBản Hưng Mai"
