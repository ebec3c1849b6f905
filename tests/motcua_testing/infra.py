"""Where the tests find RabbitMQ and PostgreSQL, in this order (docs/reliability.md §7.2):

1. an explicit URL from the environment (MOTCUA_TEST_AMQP_URL, MOTCUA_TEST_DATABASE_URL);
2. a testcontainers container, when a Docker engine answers;
3. the local service on its default port;
4. otherwise fail when CI=true (a missing broker must never turn CI green), skip elsewhere.
"""
from __future__ import annotations

import os
import socket
from dataclasses import dataclass

import pytest

LOCAL_AMQP = "amqp://guest:guest@127.0.0.1:5672/%2F"
LOCAL_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _docker_answers() -> bool:
    try:
        import docker

        docker.from_env(timeout=2).ping()
        return True
    except Exception:
        return False


def unavailable(what: str) -> None:
    message = (f"{what} is not reachable: set its MOTCUA_TEST_* URL, start a Docker engine, or start the local "
               f"service (see README, 'Running the tests')")
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@dataclass
class Broker:
    amqp_url: str  # an administrator's URL on the default vhost
    management_url: str = ""
    container: object = None

    def url_for(self, vhost: str, user: str | None = None, password: str | None = None) -> str:
        import urllib.parse

        import pika

        params = pika.URLParameters(self.amqp_url)
        user = user or params.credentials.username
        password = password or params.credentials.password
        return (f"amqp://{urllib.parse.quote(user, safe='')}:{urllib.parse.quote(password, safe='')}"
                f"@{params.host}:{params.port}/{urllib.parse.quote(vhost, safe='')}")

    def admin(self):
        from motcua_shared.broker.admin import default_admin

        import pika

        creds = pika.URLParameters(self.amqp_url).credentials
        return default_admin(self.management_url, creds.username, creds.password)


def find_broker() -> Broker:
    explicit = os.environ.get("MOTCUA_TEST_AMQP_URL")
    if explicit:
        return Broker(explicit, os.environ.get("MOTCUA_TEST_RABBITMQ_MANAGEMENT_URL", ""))
    if _docker_answers():
        from testcontainers.rabbitmq import RabbitMqContainer

        container = RabbitMqContainer("rabbitmq:3.13-management").with_exposed_ports(15672)
        container.start()
        host, port = container.get_container_host_ip(), container.get_exposed_port(5672)
        return Broker(f"amqp://guest:guest@{host}:{port}/%2F",
                      f"http://{host}:{container.get_exposed_port(15672)}", container)
    if _port_open("127.0.0.1", 5672):
        return Broker(LOCAL_AMQP)
    unavailable("RabbitMQ")


def find_postgres() -> tuple[str, object]:
    explicit = os.environ.get("MOTCUA_TEST_DATABASE_URL")
    if explicit:
        return explicit, None
    if _docker_answers():
        from testcontainers.postgres import PostgresContainer

        container = PostgresContainer("postgres:16", driver="psycopg")
        container.start()
        return container.get_connection_url(), container
    if _port_open("127.0.0.1", 5432):
        return LOCAL_POSTGRES, None
    unavailable("PostgreSQL")
