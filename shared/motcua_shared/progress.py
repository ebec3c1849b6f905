"""The progress bar every long command shows (import, rebuild, rehash, ...), on standard error.

rich's bar on a terminal; a plain line every tenth of the way otherwise (logs, CI), so a command run by
cron or a container leaves a readable trace instead of control characters.
"""
from __future__ import annotations

from typing import TextIO


class Bar:
    def __init__(self, stream: TextIO, label: str, total: int | None, done: int = 0, *, unit: str = ""):
        self.stream, self.label, self.unit = stream, label, unit
        self.total, self.shown = max(total or 0, 1), -1
        self.progress = None
        if stream.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.progress = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                                     console=Console(file=stream), transient=False)
            self.task = self.progress.add_task(label, total=self.total, completed=done)
            self.progress.start()
        else:
            self.update(done)

    def update(self, done: int, total: int | None = None) -> None:
        if total is not None:
            self.total = max(total, 1)
        if self.progress is not None:
            self.progress.update(self.task, completed=done, total=self.total)
            return
        tenth = min(done * 10 // self.total, 10)
        if tenth != self.shown:
            self.shown = tenth
            unit = f" {self.unit}" if self.unit else ""
            print(f"{self.label}: {done}/{self.total}{unit} ({min(done * 100 // self.total, 100)}%)",
                  file=self.stream, flush=True)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()
