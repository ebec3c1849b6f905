"""routing: the route of a dossier, the officers' inbox of steps and what they do with a step."""
from __future__ import annotations

from urllib.parse import quote

from .base import ApiClient


class RoutingClient(ApiClient):
    service = "routing"

    def route(self, dossier_code: str) -> dict:
        return self.get(f"/api/v1/routes/{quote(dossier_code, safe='')}")

    def steps(self, **filters) -> dict:
        """The inbox: status (open, mine, unclaimed, done …), unit, agency, procedure_code, q, page, page_size."""
        return self.get("/api/v1/steps", **filters)

    def claim(self, step_id: str) -> dict:
        return self.post(f"/api/v1/steps/{quote(str(step_id), safe='')}/claim")

    def complete(self, step_id: str, body: dict) -> dict:
        return self.post(f"/api/v1/steps/{quote(str(step_id), safe='')}/complete", body)

    def forward(self, step_id: str, body: dict) -> dict:
        return self.post(f"/api/v1/steps/{quote(str(step_id), safe='')}/forward", body)

    def send_back(self, step_id: str, body: dict) -> dict:
        return self.post(f"/api/v1/steps/{quote(str(step_id), safe='')}/send-back", body)

    def apology(self, dossier_code: str, body: dict) -> dict:
        return self.post(f"/api/v1/routes/{quote(dossier_code, safe='')}/apology", body)
