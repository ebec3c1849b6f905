"""Bringing a broker (or a test vhost) to the state the services expect: the whole system topology,
and the users and permissions of every service and partner.

    python -m motcua_shared.broker.setup    (AMQP_URL: a user that may configure every motcua object)

An upgrade is the same command: it declares what the catalogue has and removes the bindings earlier
releases made on motcua's own queues that it no longer has (catalogue.RETIRED_SOURCES), so the broker
is left with exactly the catalogue's bindings. Declaring alone would not do: bindings are additive.
"""
from __future__ import annotations

import argparse
import os
from typing import Iterable, Mapping

import pika

from .admin import BrokerAdmin
from .catalogue import retired_bindings, system_topology
from .connection import parameters, redacted
from .permissions import Permission, all_permissions, password_variable


def declare_system(amqp_url: str, retry_delays: Iterable[float]) -> None:
    """Declare the whole system topology, then unbind the retired bindings.

    New bindings first, old ones after: in between an event may reach a queue twice (the inbox
    skips the second copy), never zero times. Unbinding a binding that is not there is a no-op on
    RabbitMQ, so a fresh broker and a second run are the same as an upgrade.
    """
    connection = pika.BlockingConnection(parameters(amqp_url, name="motcua setup", heartbeat=0))
    try:
        channel = connection.channel()
        system_topology(retry_delays).declare(channel)
        for binding in retired_bindings():
            channel.queue_unbind(binding.queue, binding.exchange, routing_key=binding.routing_key)
    finally:
        connection.close()


def create_users(admin: BrokerAdmin, vhost: str, environ: Mapping[str, str] | None = None,
                 permissions: Iterable[Permission] | None = None) -> dict[str, str]:
    """Create or update every user with the password from its variable; returns user → password.

    A user whose password variable is unset gets a development password equal to its name, which
    `make run` prints a warning about; docker compose always sets them.
    """
    env = os.environ if environ is None else environ
    passwords = {}
    for permission in permissions or all_permissions():
        password = env.get(password_variable(permission.user)) or permission.user
        admin.ensure_user(permission.user, password)
        admin.set_permissions(vhost, permission)
        passwords[permission.user] = password
    return passwords


def main(argv: list[str] | None = None) -> None:
    from ..settings import load

    parser = argparse.ArgumentParser(prog="python -m motcua_shared.broker.setup",
                                     description="Declare the whole broker topology and remove retired bindings.")
    parser.add_argument("--amqp-url", default="", help="default: AMQP_URL, as the services read it")
    args = parser.parse_args(argv)
    settings = load("intake")  # any service: AMQP_URL and CONSUMER_RETRY_DELAYS are common settings
    url = args.amqp_url or settings.amqp_url
    declare_system(url, settings.consumer_retry_delays)
    print(f"motcua: broker topology declared at {redacted(url)}; retired bindings removed")


if __name__ == "__main__":
    main()
