"""The API process: gunicorn serving the service's app factory, one app per forked worker.

The app is created after the fork (no preload), so no database or broker connection is ever shared
between processes (reliability.md §2.3, fork safety).
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


def serve(app_factory, *, service: str, port: int, workers: int, var_dir: str, timeout: int = 30) -> None:
    metrics_dir = Path(var_dir).resolve() / "prometheus" / f"{service}-api"
    shutil.rmtree(metrics_dir, ignore_errors=True)  # stale files from a previous run would add up
    metrics_dir.mkdir(parents=True, exist_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    ServiceServer(app_factory, {
        "bind": f"{os.environ.get('MOTCUA_BIND_HOST', '127.0.0.1')}:{port}",
        "workers": workers,
        "worker_class": "sync",
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
