"""pika connection parameters with the settings every motcua connection needs."""
from __future__ import annotations

import pika


def parameters(url: str, *, name: str, heartbeat: int = 30) -> pika.URLParameters:
    params = pika.URLParameters(url)
    params.heartbeat = heartbeat
    # Without it a connection the broker blocks (memory or disk alarm) hangs forever.
    params.blocked_connection_timeout = max(60, heartbeat * 2)
    params.connection_attempts = 1
    params.socket_timeout = 10
    params.client_properties = {"connection_name": name}
    return params


def redacted(url: str) -> str:
    """The URL without its password, for logs and error lines."""
    params = pika.URLParameters(url)
    return f"amqp://{params.credentials.username}@{params.host}:{params.port}/{params.virtual_host}"
