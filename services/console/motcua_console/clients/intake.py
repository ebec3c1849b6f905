"""intake: dossiers, the reception desk's actions, printable forms, the logbook, procedures, calendar."""
from __future__ import annotations

from urllib.parse import quote

from .base import ApiClient, Raw


def _code(code: str) -> str:
    return quote(code, safe="")


class IntakeClient(ApiClient):
    service = "intake"

    def dossiers(self, **filters) -> dict:
        """A page of dossiers: filters as intake names them (status, procedure, channel, unit,
        received_from, received_to, q, postal_issue, page, page_size)."""
        return self.get("/api/v1/dossiers", **filters)

    def dossier(self, code: str) -> dict:
        return self.get(f"/api/v1/dossiers/{_code(code)}")

    def submit(self, body: dict, idempotency_key: str) -> dict:
        return self.post("/api/v1/dossiers", body, headers={"Idempotency-Key": idempotency_key})

    def act(self, code: str, action: str, body: dict | None = None) -> dict:
        """One of the desk's actions: acceptance, supplement-request, refusal, redirection, supplement,
        return, withdrawal-request, withdrawal."""
        return self.post(f"/api/v1/dossiers/{_code(code)}/{action}", body or {})

    def form(self, code: str, form: str) -> Raw:
        """A printable form as intake renders it: receipt, supplement-request, refusal, control-log."""
        return self.raw(f"/api/v1/dossiers/{_code(code)}/{form}")

    def logbook(self, *, unit: str | None = None, date_from: str | None = None, date_to: str | None = None,
                html: bool = False):
        params = {"unit": unit, "from": date_from, "to": date_to}
        if html:
            return self.raw("/api/v1/logbook", format="html", **params)
        # intake answers HTML unless asked for JSON by name
        return self.get("/api/v1/logbook", format="json", **params)

    def procedures(self, **filters) -> dict:
        return self.get("/api/v1/procedures", **filters)

    def overrides(self, year: int | None = None) -> dict:
        return self.get("/api/v1/calendar/overrides", year=year)

    def set_override(self, day: str, kind: str, note: str) -> dict:
        return self.put(f"/api/v1/calendar/overrides/{day}", {"kind": kind, "note": note})

    def remove_override(self, day: str) -> None:
        self.delete(f"/api/v1/calendar/overrides/{day}")
