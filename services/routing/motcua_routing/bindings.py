"""Keeping the local step queue's bindings equal to ROUTING_LOCAL_UNITS across restarts.

Declaring the topology only ever adds bindings; a binding stays on the durable queue after the
process that made it is gone. When a district that handled every step itself (`#`) plugs in its
province's routing service and sets `14.126,14.126.*`, the old `step.#` binding would keep pulling
the province's steps into the local inbox. So the patterns bound are recorded in the database, and
at start (then hourly, which costs one query when nothing changed) the worker unbinds the recorded
ones the setting no longer lists. A step that a stale binding delivered in the meantime is handed
on by answers.on_step_assigned_locally.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone

import pika
from sqlalchemy import delete, select
from sqlalchemy.orm import sessionmaker

from motcua_shared.broker.catalogue import ROUTING_STEPS
from motcua_shared.broker.connection import parameters
from motcua_shared.messaging import PeriodicJob

from .locality import LOCAL_STEPS_QUEUE, step_routing_key
from .models import insert_once, local_bindings

log = logging.getLogger("motcua.routing")


def reconcile(settings, sessions: sessionmaker) -> None:
    current = set(settings.routing_local_units)
    with sessions() as session:
        recorded = set(session.execute(select(local_bindings.c.pattern)).scalars())
    stale = recorded - current
    if stale:
        connection = pika.BlockingConnection(parameters(settings.amqp, name="routing bindings",
                                                        heartbeat=settings.broker_heartbeat))
        try:
            channel = connection.channel()
            for pattern in sorted(stale):
                channel.queue_unbind(LOCAL_STEPS_QUEUE, ROUTING_STEPS, step_routing_key(pattern))
                log.info("local_binding_removed", extra={"pattern": pattern})
        finally:
            connection.close()
    if stale or current - recorded:
        with sessions.begin() as session:
            session.execute(delete(local_bindings).where(local_bindings.c.pattern.in_(stale)))
            now = datetime.now(timezone.utc)
            for pattern in sorted(current - recorded):
                insert_once(session, local_bindings, pattern=pattern, bound_at=now)


def job(runtime) -> PeriodicJob:
    return PeriodicJob("local_bindings", 3600, lambda sessions: reconcile(runtime.settings, sessions))
