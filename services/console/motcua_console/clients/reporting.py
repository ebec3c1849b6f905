"""reporting: Biểu 06 and the Decision 766 indicators, their breakdowns, trends and dossier lists."""
from __future__ import annotations

from .base import ApiClient, Conflict, Raw

REPORTS = ("summary", "indicators", "trend", "breakdown", "dossiers")
DOWNLOADS = {"csv": "text/csv",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


class ReportingClient(ApiClient):
    service = "reporting"

    def report(self, name: str, *, date_from: str | None = None, date_to: str | None = None,
               unit: str | None = None, **filters) -> dict:
        if name not in REPORTS:
            raise ValueError(name)
        return self.get(f"/api/v1/reports/{name}", **{"from": date_from, "to": date_to, "unit": unit}, **filters)

    def download(self, name: str, fmt: str, *, date_from: str | None = None, date_to: str | None = None,
                 unit: str | None = None, **filters) -> Raw:
        if name not in REPORTS or fmt not in DOWNLOADS:
            raise ValueError(f"{name} {fmt}")
        return self.raw(f"/api/v1/reports/{name}", accept=DOWNLOADS[fmt], format=fmt,
                        **{"from": date_from, "to": date_to, "unit": unit}, **filters)

    def summary(self, *, date_from: str | None, date_to: str | None, unit: str, **choices) -> dict:
        """`choices`: `period` (an official period instead of the dates), `attribution`."""
        return self.report("summary", date_from=date_from, date_to=date_to, unit=unit, **choices)

    def indicators(self, *, date_from: str | None, date_to: str | None, unit: str, **choices) -> dict:
        return self.report("indicators", date_from=date_from, date_to=date_to, unit=unit, **choices)

    def periods(self, year: int) -> dict:
        """The official reporting periods of a year, with their first and last days."""
        return self.get("/api/v1/reports/periods", year=year)

    def dossiers(self, figure: str, *, date_from: str | None, date_to: str | None, unit: str, page: int = 1,
                 page_size: int = 50, **filters) -> dict:
        return self.report("dossiers", date_from=date_from, date_to=date_to, unit=unit, figure=figure, page=page,
                           page_size=page_size, **filters)

    def rebuild(self) -> dict:
        """Queue the rebuild (202): the job, which reporting's worker runs. A rebuild already queued or
        running answers 409 `job_running` with its id: that one is returned instead."""
        try:
            return self.post("/api/v1/admin/projections/rebuild")
        except Conflict as running:
            job_id = running.problem.raw.get("job") if running.problem else None
            if running.problem is None or running.problem.code != "job_running" or not isinstance(job_id, str):
                raise
            return self.job(job_id)

    def job(self, job_id: str) -> dict:
        """A background job and its progress (404 `job_not_found` as NotFound)."""
        return self.get(f"/api/v1/admin/jobs/{job_id}")

