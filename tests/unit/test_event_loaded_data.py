"""Each event's data is loaded by its schema once per hop (issue 18): parse() keeps the load it
validated with as `Event.loaded_data`, and an event built any other way loads the same on first use.
The wire format, equality and repr do not see it."""
import json
from dataclasses import replace
from datetime import datetime

import pytest

from motcua_shared.events import Event, new_event, parse, registry
from motcua_shared.events.catalogue.dossier import DOSSIER_RECEIVED


def received() -> Event:
    return new_event(DOSSIER_RECEIVED, source="/motcua/intake", data=dict(registry.get(DOSSIER_RECEIVED).example),
                     subject="H52.04222-190315-0001")


def test_parse_keeps_the_load_it_validated_with():
    event = parse(received().to_json())
    assert "loaded_data" in vars(event)  # loaded by parse itself, not on first use
    assert event.loaded_data == registry.load_data(DOSSIER_RECEIVED, event.data)
    assert isinstance(event.loaded_data["received_at"], datetime)  # loaded: not the wire's string
    assert event.loaded_data is event.loaded_data


def test_an_event_built_here_loads_exactly_what_its_consumer_will():
    built = received()
    assert "loaded_data" not in vars(built)
    assert built.loaded_data == parse(built.to_json()).loaded_data


def test_the_wire_equality_and_repr_ignore_it():
    built = received()
    body = built.to_json()
    parsed = parse(body)
    _ = built.loaded_data  # loads and caches the data: equality must not depend on it
    assert parsed == built
    assert built.to_json() == body == parsed.to_json()
    assert "loaded_data" not in repr(parsed) and "received_at=datetime" not in repr(parsed)


def test_an_event_with_other_data_loads_its_own():
    parsed = parse(received().to_json())
    moved = replace(parsed, data={**parsed.data, "received_at": "2019-03-16T09:00:00+07:00"})
    assert moved.loaded_data["received_at"] != parsed.loaded_data["received_at"]
    assert moved.loaded_data == registry.load_data(DOSSIER_RECEIVED, moved.data)


def test_a_type_outside_the_catalogue_accepted_by_parse_has_nothing_to_load():
    body = {**received().to_dict(), "type": "vn.motcua.partner.something_else", "data": {"any": 1}}
    event = parse(json.dumps(body).encode(), known_types_only=False)
    assert "loaded_data" not in vars(event)
    with pytest.raises(registry.UnknownEventType):
        _ = event.loaded_data
