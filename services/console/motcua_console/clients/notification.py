"""notification: the messages a dossier's citizen was sent, the channels chosen, message templates."""
from __future__ import annotations

from urllib.parse import quote

from .base import ApiClient


class NotificationClient(ApiClient):
    service = "notification"

    def messages(self, dossier_code: str) -> dict:
        return self.get(f"/api/v1/dossiers/{quote(dossier_code, safe='')}/messages")

    def set_channels(self, dossier_code: str, body: dict) -> dict:
        return self.put(f"/api/v1/dossiers/{quote(dossier_code, safe='')}/channels", body)

    def templates(self) -> dict:
        return self.get("/api/v1/templates")

    def template(self, key: str) -> dict:
        return self.get(f"/api/v1/templates/{quote(key, safe='')}")

    def preview(self, key: str, body: dict) -> dict:
        return self.post(f"/api/v1/templates/{quote(key, safe='')}/preview", body)
