"""Bringing a broker (or a test vhost) to the state the services expect: the whole system topology,
and the users and permissions of every service and partner."""
from __future__ import annotations

import os
from typing import Iterable, Mapping

import pika

from .admin import BrokerAdmin
from .catalogue import system_topology
from .connection import parameters
from .permissions import Permission, all_permissions, password_variable


def declare_system(amqp_url: str, retry_delays: Iterable[float]) -> None:
    connection = pika.BlockingConnection(parameters(amqp_url, name="motcua setup", heartbeat=0))
    try:
        system_topology(retry_delays).declare(connection.channel())
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
