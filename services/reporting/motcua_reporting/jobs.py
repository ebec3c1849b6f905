"""Reporting's background jobs (motcua_shared.jobs): the projection rebuild."""
from __future__ import annotations

import os
import socket
import uuid

from motcua_shared.jobs import Jobs
from motcua_shared.service import Runtime

from .models import jobs as jobs_table
from .projection import rebuild

STEPS = {rebuild.KIND: rebuild.step}


def jobs(runtime: Runtime) -> Jobs:
    return Jobs(jobs_table, runtime.sessions, STEPS)


def runner_name(role: str) -> str:
    """Who holds a job's lease: shown in logs, unique per process."""
    return f"reporting-{role}@{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def periodic(runtime: Runtime) -> list:
    """The worker runs the jobs between deliveries."""
    return [jobs(runtime).periodic(runner_name("worker"))]
