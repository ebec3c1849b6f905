"""Zalo ZNS: template messages to a phone number's Zalo account, tried before SMS when configured.

ZNS sends Zalo-approved templates, not free text: each motcua template that has an approved twin is
mapped to its ZNS template id (ZALO_ZNS_TEMPLATES) and the message's personalisation becomes `template_data`.
Any refusal (the number has no Zalo account, the template is not approved, the quota is spent) is
answered by the SMS gateways, which come next in the phone channel's order. What is not built: the
refresh of the Official Account's access token (it expires; the operator renews ZALO_ZNS_ACCESS_TOKEN)
and ZNS delivery webhooks.
"""
from __future__ import annotations

import threading
from typing import Mapping

import requests

from . import base


class ZaloZns:
    name = "zalo-zns"
    channel = "sms"
    medium = "zalo"
    receipts = False
    receipt_secret = ""

    def __init__(self, *, url: str, access_token: str, template_ids: Mapping[str, str], timeout: float = 5.0):
        self.url = url
        self.access_token = access_token
        self.template_ids = dict(template_ids)
        self.timeout = timeout
        self._local = threading.local()

    def accepts(self, message: base.Outgoing) -> bool:
        return message.channel == "sms" and message.template in self.template_ids

    def send(self, message: base.Outgoing) -> base.Outcome:
        session = getattr(self._local, "session", None) or self._new_session()
        body = {
            "phone": message.recipient.lstrip("+"),  # ZNS wants 84xxxxxxxxx
            "template_id": self.template_ids[message.template],
            "template_data": {name: _as_text(value) for name, value in message.personalisation.items()
                              if value is not None},
            "tracking_id": message.id,
        }
        try:
            answer = session.post(self.url, json=body, timeout=self.timeout)
        except requests.RequestException as exc:
            return base.temporary(type(exc).__name__)
        if answer.status_code >= 500:
            return base.temporary(f"http {answer.status_code}", answer.status_code)
        try:
            result = answer.json()
            error = int(result.get("error", -1))
        except (ValueError, TypeError, AttributeError):
            return base.temporary(f"http {answer.status_code} unreadable", answer.status_code)
        if error == 0:
            msg_id = (result.get("data") or {}).get("msg_id")
            return base.accepted("zns 0", 0, str(msg_id)[:120] if msg_id else None)
        # The SMS gateways come next in line, so a refusal here costs the citizen nothing.
        return base.permanent(f"zns {error}", error)

    def _new_session(self) -> requests.Session:
        session = self._local.session = requests.Session()
        session.headers["access_token"] = self.access_token
        return session


def _as_text(value) -> str:
    if isinstance(value, (list, tuple)):
        return "; ".join(str(item) for item in value)
    return str(value)
