"""Which steps are local: AMQP topic patterns over unit paths, and where a route is resolved from."""
from __future__ import annotations

from datetime import date

import pytest

from motcua_shared.settings import load

from motcua_routing.config import SETTINGS
from motcua_routing.locality import is_local, local_topology, parse_unit_patterns, topic_matches
from motcua_routing.routes import lodging_unit

DISTRICT = ("14.126", "14.126.*")


@pytest.mark.parametrize("path,expected", [
    ("14.126", True), ("14.126.04222", True), ("14", False), ("14.04222", False), ("14.127.04300", False),
])
def test_a_district_deployment_handles_its_district_and_communes(path, expected):
    assert is_local(path, DISTRICT) is expected


@pytest.mark.parametrize("pattern,key,expected", [
    ("#", "14", True), ("#", "14.126.04222", True), ("14.#", "14", True), ("14.#", "14.04222", True),
    ("14.*", "14", False), ("14.*", "14.126", True), ("14.*", "14.126.04222", False), ("*.126.#", "14.126", True),
    ("99", "14", False), ("14.#.04222", "14.126.04222", True), ("14.#.04222", "14.04222", True),
])
def test_topic_matching_is_amqp_s(pattern, key, expected):
    assert topic_matches(pattern, key) is expected


def test_the_setting_is_parsed_and_refused_when_it_is_not_a_pattern_list():
    assert parse_unit_patterns(" 14.126 , 14.126.*,14.126 ") == DISTRICT
    for bad in ("", ",", "14.12a", "14..126", "1234"):
        with pytest.raises(ValueError):
            parse_unit_patterns(bad)
    with pytest.raises(SystemExit, match="ROUTING_LOCAL_UNITS"):
        load("routing", SETTINGS, environ={"ROUTING_LOCAL_UNITS": "song-ma"})


@pytest.mark.parametrize("env,keys", [
    ({}, {"step.#"}), ({"ROUTING_LOCAL_UNITS": "14.126,14.126.*"}, {"step.14.126", "step.14.126.*"}),
    ({"ROUTING_LOCAL_UNITS": "99"}, {"step.99"}),
])
def test_the_local_queue_is_bound_with_one_key_per_pattern(env, keys):
    topology, queues = local_topology(load("routing", SETTINGS, environ=env))
    bound = {(b.exchange, b.routing_key) for b in topology.bindings if b.queue in queues}
    assert {k for e, k in bound if e == "routing.steps"} == keys
    assert {k for e, k in bound if e == "routing.step-results"} == {"result.motcua"}


@pytest.mark.parametrize("receiving,competent,day,expected", [
    ("04222", "04222", date(2019, 3, 15), "04222"),
    ("04222", "126", date(2019, 3, 15), "04222"),  # a district's dossier climbs from its commune
    ("04222", "14", date(2025, 8, 4), "04222"),
    ("04222", "04204", date(2025, 8, 4), "04204"),  # received outside its commune: goes to it
])
def test_a_route_is_resolved_from_the_desk_within_the_competent_unit_or_from_the_competent_unit(
        receiving, competent, day, expected):
    assert lodging_unit(receiving, competent, day) == expected
