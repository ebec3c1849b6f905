"""What a template is: versions of Vietnamese text for SMS and e-mail, filled with Jinja.

A template never changes in place: a change of wording appends a new `Version`, and every message
records the version it was rendered with (tests/notification/test_templates.py holds a fingerprint
of every published version and fails if one is edited).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping


@dataclass(frozen=True)
class Attachment:
    """A notice sent with the e-mail (the receipt, the apology slip...), built from the event's data."""

    filename: str  # Jinja, ASCII: "giay-tiep-nhan-{{ code }}.html"
    title: str  # the form's title, e.g. "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
    body: str  # Jinja HTML fragment, autoescaped


@dataclass(frozen=True)
class Version:
    number: int
    sms: str
    subject: str
    email: str  # plain text; the HTML part is laid out from it
    attachment: Attachment | None = None
    # Wording chosen by a value (a shipment's status, a return method): Jinja snippets rendered with the
    # same values and offered to the texts as `phrases`.
    phrases: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Template:
    key: str
    title: str  # what it tells the citizen, in Vietnamese
    event_type: str
    urgent: bool  # urgent messages ignore quiet hours (the citizen is waiting for them right now)
    sample: Mapping[str, Any]  # values for previews and tests (without `link`, which is always computed)
    versions: tuple[Version, ...]

    @property
    def current(self) -> Version:
        return self.versions[-1]

    def version(self, number: int) -> Version:
        for version in self.versions:
            if version.number == number:
                return version
        raise KeyError(number)
