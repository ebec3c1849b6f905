"""Service processes started by tests: real `python -m motcua_<service> worker|api` subprocesses with
their output in files the test can read (and the personal-data log scan does)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Proc:
    name: str
    popen: subprocess.Popen
    log_path: Path
    service: str = ""
    command: str = ""
    extra_env: dict | None = None


class ProcessGroup:
    def __init__(self, log_dir: Path, env: dict[str, str]):
        self.log_dir = log_dir
        self.env = env
        self.procs: dict[str, Proc] = {}

    def start(self, name: str, service: str, command: str, extra_env: dict[str, str] | None = None) -> Proc:
        log_path = self.log_dir / f"{name}.log"
        env = {**os.environ, **self.env, **(extra_env or {})}
        handle = open(log_path, "ab")
        popen = subprocess.Popen([sys.executable, "-m", f"motcua_{service}", command], env=env,
                                 stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
        handle.close()
        self.procs[name] = Proc(name, popen, log_path, service, command, extra_env)
        return self.procs[name]

    def restart(self, name: str) -> Proc:
        """Start a process again as it was first started (after it was killed); its log goes on."""
        proc = self.procs[name]
        if proc.popen.poll() is None:
            raise RuntimeError(f"{name} is still running")
        return self.start(name, proc.service, proc.command, proc.extra_env)

    def kill(self, name: str, sig: int = signal.SIGKILL) -> int:
        proc = self.procs[name]
        if proc.popen.poll() is None:
            os.killpg(proc.popen.pid, sig)
        return proc.popen.wait(timeout=60)

    def wait_exit(self, name: str, timeout: float = 60) -> int:
        return self.procs[name].popen.wait(timeout=timeout)

    def log(self, name: str) -> str:
        return self.procs[name].log_path.read_text(errors="replace")

    def stop_all(self) -> dict[str, int]:
        codes = {}
        for proc in self.procs.values():
            if proc.popen.poll() is None:
                os.killpg(proc.popen.pid, signal.SIGTERM)
        for name, proc in self.procs.items():
            try:
                codes[name] = proc.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.popen.pid, signal.SIGKILL)
                codes[name] = proc.popen.wait()
        return codes
