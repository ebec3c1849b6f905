"""SMS through the generic HTTP gateway of docs/contracts.md §6.

POST {to, text, reference} as JSON; 2xx accepted, 4xx refused for good, 5xx or no answer in time
worth another try. 408 and 429 are the exception among 4xx: they say "not now", not "never", so they
count as temporary; treating a throttled gateway's 429 as a refusal would lose real messages.
"""
from __future__ import annotations

import threading

import requests

from . import base

RETRY_LATER = (408, 429)


class HttpSmsGateway:
    channel = "sms"
    medium = "sms"

    def __init__(self, *, name: str, url: str, token: str = "", timeout: float = 5.0, receipts: bool = False,
                 receipt_secret: str = ""):
        self.name = name
        self.url = url
        self.token = token
        self.timeout = timeout
        self.receipts = receipts
        self.receipt_secret = receipt_secret
        self._local = threading.local()  # one requests.Session (and its keep-alive pool) per sending thread

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
            if self.token:
                session.headers["Authorization"] = f"Bearer {self.token}"
        return session

    def accepts(self, message: base.Outgoing) -> bool:
        return message.channel == "sms"

    def send(self, message: base.Outgoing) -> base.Outcome:
        body = {"to": message.recipient, "text": message.text, "reference": message.id}
        try:
            answer = self._session().post(self.url, json=body, timeout=self.timeout)
        except requests.Timeout:
            return base.temporary("timeout")
        except requests.RequestException as exc:
            return base.temporary(type(exc).__name__)
        status = answer.status_code
        if 200 <= status < 300:
            return base.accepted(f"http {status}", status, _gateway_id(answer))
        if 400 <= status < 500 and status not in RETRY_LATER:
            return base.permanent(f"http {status}", status)
        return base.temporary(f"http {status}", status)


def _gateway_id(answer: requests.Response) -> str | None:
    """Some gateways answer with their own message id; keep it for the operator, never rely on it."""
    try:
        body = answer.json()
    except ValueError:
        return None
    value = body.get("id") or body.get("message_id") if isinstance(body, dict) else None
    return str(value)[:120] if value else None
