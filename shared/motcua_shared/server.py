"""The API process: gunicorn serving the service's app factory, one app per forked worker.

The app is created after the fork (no preload), so no database or broker connection is ever shared
between processes (docs/reliability.md §2.3, fork safety).

Each worker process serves `<SERVICE>_WEB_THREADS` requests at once (gunicorn's gthread worker), so that a request
waiting for PostgreSQL (a dossier's reception is nine round trips), for another service (the console) or
for a long upload (intake's imports, minutes) does not hold a whole worker. Measured with
benchmarks/intake_post.py on the 2-core machine shared with PostgreSQL and the clients (2026-12-07, 2
workers, 8 clients, medians of 3 rounds of 400 POSTs): with the machine loaded by other work, 2 workers
of 4 threads answered 501, 270 and 157 req/s where 2 sync workers answered 405, 141 and 114 (3 or 4 sync
workers: no more than 2); on a quieter machine they were level (616 against 647 req/s), the threads
costing 5-10 % more CPU per request (1.95-2.12 ms against 1.75-1.80) and a longer p99. Each thread takes
its own session from the engine's pool (10 connections, 10 more on demand); what a worker shares between
requests is guarded (caches behind locks, the correlation id in a context variable). A gthread worker is
not restarted when one request outlives `timeout`, as a sync worker is: its main loop keeps answering
gunicorn's heartbeat, and a request that hangs holds one of the worker's THREADS, not the worker.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from gunicorn.app.base import BaseApplication



class ServiceServer(BaseApplication):
    def __init__(self, app_factory, options: dict):
        self.app_factory = app_factory
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.app_factory()


def _child_exit(_server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def serve(app_factory, *, service: str, port: int, workers: int, var_dir: str, timeout: int = 30,
          threads: int = 4) -> None:
    metrics_dir = Path(var_dir).resolve() / "prometheus" / f"{service}-api"
    shutil.rmtree(metrics_dir, ignore_errors=True)  # stale files from a previous run would add up
    metrics_dir.mkdir(parents=True, exist_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    ServiceServer(app_factory, {
        "bind": f"{os.environ.get('MOTCUA_BIND_HOST', '127.0.0.1')}:{port}",
        "workers": workers,
        # gthread with one thread would still be a thread per request; 1 means gunicorn's plain sync worker.
        "worker_class": "gthread" if threads > 1 else "sync",
        "threads": threads,
        "timeout": timeout,
        "graceful_timeout": 20,
        "keepalive": 5,
        "accesslog": None,  # request logs would carry query strings (identity numbers in lookups)
        "proc_name": f"motcua-{service}-api",
        "child_exit": _child_exit,
        "worker_tmp_dir": tempfile.gettempdir(),
        # gunicorn's runtime control socket would be one more way in, and every API on one host would
        # share its default path ($HOME/.gunicorn/gunicorn.ctl); processes are managed by signals.
        "control_socket_disable": True,
    }).run()
