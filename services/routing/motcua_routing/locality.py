"""Which steps this deployment handles itself, and the broker objects that say so (docs/contracts.md §4.1).

Every step is published on the topic exchange `routing.steps` with routing key `step.<unit path>`.
`ROUTING_LOCAL_UNITS` lists AMQP topic patterns over unit paths; the local queue is bound with
`step.<pattern>` for each, so the broker itself sends the matching steps here and leaves the others
to whoever bound for them (a province's own routing service). The same patterns are matched in
Python where the service must decide without the broker (a step delivered by a stale binding).
"""
from __future__ import annotations

import re

from motcua_shared.broker.catalogue import ROUTING_STEP_ANSWERS, ROUTING_STEP_RESULTS, ROUTING_STEPS
from motcua_shared.broker.topology import Topology, consumer_queue

LOCAL_STEPS_QUEUE = "routing.steps.local"
ANSWERS_QUEUE = ROUTING_STEP_ANSWERS
STEP_KEY_PREFIX = "step."

_WORD = re.compile(r"^(\d{2}|\d{3}|\d{5}|\*|#)$")  # unit codes are 2, 3 or 5 digits


def parse_unit_patterns(raw: str) -> tuple[str, ...]:
    """'14.126, 14.126.*' → ('14.126', '14.126.*'); each word a unit code, '*' or '#'."""
    patterns = tuple(dict.fromkeys(part.strip() for part in raw.split(",") if part.strip()))
    if not patterns:
        raise ValueError("give at least one pattern ('#' means every unit)")
    for pattern in patterns:
        if not all(_WORD.match(word) for word in pattern.split(".")):
            raise ValueError(f"{pattern!r} is not a topic pattern over unit paths (e.g. 14.126.* or #)")
    return patterns


def step_routing_key(unit_path: str) -> str:
    return STEP_KEY_PREFIX + unit_path


def topic_matches(pattern: str, key: str) -> bool:
    """AMQP topic matching: '*' is exactly one word, '#' zero or more."""
    def match(p: list[str], k: list[str]) -> bool:
        if not p:
            return not k
        if p[0] == "#":
            return any(match(p[1:], k[i:]) for i in range(len(k) + 1))
        return bool(k) and (p[0] == "*" or p[0] == k[0]) and match(p[1:], k[1:])

    return match(pattern.split("."), key.split("."))


def is_local(unit_path: str, patterns: tuple[str, ...]) -> bool:
    return any(topic_matches(pattern, unit_path) for pattern in patterns)


def local_topology(settings) -> tuple[Topology, list[str]]:
    """The `extra_topology` hook: the local step queue and this deployment's answer queue."""
    delays = settings.consumer_retry_delays
    steps = consumer_queue("routing", LOCAL_STEPS_QUEUE,
                           [(ROUTING_STEPS, step_routing_key(p)) for p in settings.routing_local_units], delays)
    answers = consumer_queue("routing", ANSWERS_QUEUE, [(ROUTING_STEP_RESULTS, settings.routing_reply_to)], delays)
    return steps + answers, [LOCAL_STEPS_QUEUE, ANSWERS_QUEUE]
