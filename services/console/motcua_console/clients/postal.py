"""postal: shipments handed to the post (results sent to citizens, dossiers picked up from them)."""
from __future__ import annotations

from urllib.parse import quote

from .base import ApiClient


class PostalClient(ApiClient):
    service = "postal"

    def shipments(self, **filters) -> dict:
        """status, direction, dossier_code, attention, page, page_size."""
        return self.get("/api/v1/shipments", **filters)

    def overdue(self, **paging) -> dict:
        return self.get("/api/v1/shipments/overdue", **paging)

    def shipment(self, shipment_id: str) -> dict:
        return self.get(f"/api/v1/shipments/{quote(str(shipment_id), safe='')}")

    def report(self, shipment_id: str, body: dict) -> dict:
        return self.post(f"/api/v1/shipments/{quote(str(shipment_id), safe='')}/reports", body)
