"""The one interface every channel's provider speaks.

A provider takes a message and answers with one of three outcomes, the taxonomy that decides what
happens next: `accepted` (it has the message), `temporary` (try again later: time-out, 5xx, a relay
that is down) or `permanent` (this provider will never take this message: 4xx, a refused mailbox).
Providers never touch the database; they are called with no session open (docs/reliability.md §4.3).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Protocol

ACCEPTED = "accepted"
TEMPORARY = "temporary"
PERMANENT = "permanent"


@dataclass(frozen=True)
class Outgoing:
    id: str  # the message id: the `reference` providers echo in receipts
    channel: str
    recipient: str
    template: str
    text: str  # the SMS text, or the e-mail's plain-text part
    subject: str | None = None
    html: str | None = None
    attachment_name: str | None = None
    attachment: str | None = None
    personalisation: Mapping[str, Any] = field(default_factory=dict)
    unsubscribe_url: str | None = None


@dataclass(frozen=True)
class Outcome:
    result: str
    detail: str  # short and free of personal data: "http 503", "smtp 550", "ConnectionRefusedError"
    code: int | None = None
    reference: str | None = None  # the provider's own id for the message, when it gives one

    @property
    def accepted(self) -> bool:
        return self.result == ACCEPTED


def accepted(detail: str, code: int | None = None, reference: str | None = None) -> Outcome:
    return Outcome(ACCEPTED, detail, code, reference)


def temporary(detail: str, code: int | None = None) -> Outcome:
    return Outcome(TEMPORARY, detail, code)


def permanent(detail: str, code: int | None = None) -> Outcome:
    return Outcome(PERMANENT, detail, code)


class Provider(Protocol):
    name: str  # in the ledger, the attempts and the receipt URL
    channel: str  # the ledger channel it serves: sms or email
    medium: str  # what the citizen actually gets: sms, email or zalo
    receipts: bool  # True: an accepted message stays `sending` until the provider's receipt
    receipt_secret: str  # HMAC key of its receipts; empty: it posts none

    def accepts(self, message: Outgoing) -> bool: ...

    def send(self, message: Outgoing) -> Outcome: ...
