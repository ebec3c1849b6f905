"""Templates: the catalogue, and rendering a version for SMS or e-mail.

Rendering is strict: a value the text uses but the caller did not give is an error, never an
empty gap in a message sent to a citizen.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping
from urllib.parse import quote

from jinja2 import Environment, StrictUndefined, Template as Jinja

from . import layout
from .catalogue import TEMPLATES
from .model import Attachment, Template, Version
from .sms import encoding, fold_to_gsm

__all__ = ["TEMPLATES", "Attachment", "Template", "Version", "RenderedSms", "RenderedEmail", "RenderedAttachment",
           "get", "lookup_link", "render_sms", "render_email", "UnknownTemplate"]

# SMS and the e-mail text part are plain text, never HTML: escaping would put &amp; into a citizen's SMS.
_TEXT = Environment(undefined=StrictUndefined, autoescape=False, trim_blocks=True, lstrip_blocks=True)  # noqa: S701
_HTML = Environment(undefined=StrictUndefined, autoescape=True, trim_blocks=True, lstrip_blocks=True)


_BLANK_LINES = re.compile(r"\n\s*\n(\s*\n)+")


class UnknownTemplate(KeyError):
    pass


@dataclass(frozen=True)
class RenderedSms:
    text: str
    encoding: str
    units: int
    segments: int


@dataclass(frozen=True)
class RenderedAttachment:
    filename: str
    content_type: str
    content: str


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str
    attachment: RenderedAttachment | None


def get(key: str) -> Template:
    try:
        return TEMPLATES[key]
    except KeyError:
        raise UnknownTemplate(key) from None


def lookup_link(public_base_url: str, code: str) -> str:
    """The public lookup page of a dossier (coordinated with intake's portal)."""
    return f"{public_base_url.rstrip('/')}/tra-cuu?ma={quote(code, safe='')}"


@lru_cache(maxsize=512)
def _compiled(source: str, html: bool) -> Jinja:
    return (_HTML if html else _TEXT).from_string(source)


def _context(version: Version, values: Mapping[str, Any]) -> dict[str, Any]:
    phrases = {name: _compiled(text, False).render(values) for name, text in version.phrases.items()}
    return {**values, "phrases": phrases}


def _text(source: str, context: Mapping[str, Any]) -> str:
    rendered = _compiled(source, False).render(context)
    # An optional block left out ({% if items %}) must not leave a hole of blank lines.
    return unicodedata.normalize("NFC", _BLANK_LINES.sub("\n\n", rendered)).strip()


def render_sms(version: Version, values: Mapping[str, Any], *, unicode: bool = False) -> RenderedSms:
    text = " ".join(_text(version.sms, _context(version, values)).split())
    if not unicode:
        text = fold_to_gsm(text)
    counted = encoding(text)
    return RenderedSms(text, counted.name, counted.units, counted.segments)


def render_email(version: Version, values: Mapping[str, Any], *, unsubscribe_url: str | None = None) -> RenderedEmail:
    context = _context(version, values)
    subject = " ".join(_text(version.subject, context).split())
    body = _text(version.email, context)
    attachment = None
    if version.attachment:
        spec = version.attachment
        document = layout.notice_document(
            title=spec.title, code=str(values["code"]),
            issuer=str(values.get("issuing_unit_name") or values["unit_name"]),
            body_html=unicodedata.normalize("NFC", _compiled(spec.body, True).render(context)))
        attachment = RenderedAttachment(_text(spec.filename, context), "text/html", document)
    return RenderedEmail(subject, layout.email_text(body, unsubscribe_url),
                         layout.email_html(subject, body, unsubscribe_url), attachment)
