"""Loopback ports for the processes and servers tests start."""
from __future__ import annotations

import socket


def free_port() -> int:
    """A port nothing listens on now. Another process may take it before ours binds; on one test
    machine that race has not been seen, and the alternative (binding early) needs each server's help."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
