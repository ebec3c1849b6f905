"""`python -m motcua_reporting rebuild [--detach]`: rebuild the projections from the event store (the
same job as `POST /api/v1/admin/projections/rebuild`), e.g. after upgrading to a release that adds one.

The job is queued, then followed with a progress bar on standard error: this command runs its chunks
itself unless the reporting worker claims them first, so it works with or without a worker. A rebuild
already queued or running is followed instead of starting another. The figures are printed as one JSON
line on standard output at the end (exit 0; 1 if the job failed). `--detach` only queues it (the worker
runs it) and prints the job's id. Stopping the command (Ctrl-C) leaves the job to the worker, which
resumes it from its last chunk. `python -m motcua_reporting.rebuild` is the same command.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from motcua_shared import logs
from motcua_shared.jobs import DONE, JobRunning
from motcua_shared.progress import Bar
from motcua_shared.service import Runtime

from .jobs import jobs, runner_name
from .projection.rebuild import KIND
from .service import SPEC


def run(argv: list[str] | None = None, *, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    parser = argparse.ArgumentParser(prog="python -m motcua_reporting rebuild",
                                     description="Dựng lại số liệu thống kê từ kho sự kiện.")
    parser.add_argument("--detach", action="store_true", help="queue the job for the worker and return")
    args = parser.parse_args(argv)
    runtime = Runtime(SPEC)
    # The JSON log lines would break the progress bar: only warnings and errors from here on.
    logs.configure(SPEC.name, "rebuild", "WARNING")
    try:
        queue = jobs(runtime)
        try:
            job = queue.enqueue(KIND, by="command line")
        except JobRunning as running:
            job = running.job
            print(f"Một lần dựng lại đang chạy ({job['id']}): theo dõi lần đó.", file=err)
        if args.detach:
            print(job["id"], file=out)
            return 0
        bar = Bar(err, "Dựng lại số liệu", job["progress"]["total"], job["progress"]["done"])
        try:
            job = queue.follow(job["id"], runner_name("command"),
                               lambda seen: bar.update(seen["progress"]["done"], seen["progress"]["total"]))
        finally:
            bar.close()
        if job["state"] != DONE:
            print(f"Dựng lại số liệu không thành công: {job['error']}", file=err)
            return 1
        json.dump(job["result"], out)
        out.write("\n")
        return 0
    finally:
        runtime.close()


def main(argv: list[str] | None = None) -> None:
    sys.exit(run(argv))


if __name__ == "__main__":
    main()
