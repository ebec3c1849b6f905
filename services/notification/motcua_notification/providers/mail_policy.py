"""The e-mail policy of the SMTP provider: the standard library's SMTP policy, remembering the headers
that are the same in every message instead of parsing and folding them again for each one.

Building a message with `email.message.EmailMessage` parses every header through the header registry
(a full RFC 5322 parse) and folds it again when the message is written out: for a mail of a dozen
headers and three parts that was most of what the notification worker spent on e-mail. Many of those
headers never change: From, Auto-Submitted, List-Unsubscribe-Post, MIME-Version, the Content-Type of a
UTF-8 text part, its Content-Transfer-Encoding. Those are parsed once per process and their folded
text is kept per output policy (line ending, line length, utf8), so the bytes written are exactly those
the standard policy writes: the same header objects, folded by the same code, once.

Header objects are immutable (a change to a message replaces the header object, it never edits one),
so one object can sit in many messages at once and in several threads.
"""
from __future__ import annotations

from email.policy import EmailPolicy

# Headers whose values repeat from one message to the next; the others (Subject, To, Message-ID, Date,
# the attachment's Content-Disposition with its file name) are parsed as usual, and so is a multipart
# Content-Type, whose boundary is drawn for each message. The bound keeps values that vary after all
# (a To header set from a template) from growing the cache without end.
REPEATING = frozenset({"from", "auto-submitted", "list-unsubscribe-post", "mime-version", "content-type",
                       "content-transfer-encoding"})
MAX_REMEMBERED = 256

_parsed: dict[tuple[str, str], object] = {}  # (name, value as set) -> header object
_remembered: dict[int, object] = {}  # id -> the same header objects: is this one of ours?
_folded: dict[tuple[int, str, int, bool], tuple[object, str]] = {}  # (id, policy settings) -> (header, text)


def forget() -> None:
    """Drop everything remembered (also what happens when the bound is reached)."""
    _parsed.clear()
    _remembered.clear()
    _folded.clear()


class RepeatingHeadersPolicy(EmailPolicy):
    def header_store_parse(self, name, value):
        if type(value) is not str or name.lower() not in REPEATING or "boundary=" in value:
            return super().header_store_parse(name, value)
        header = _parsed.get((name, value))
        if header is None:
            name, header = super().header_store_parse(name, value)  # raises for a CR or LF, as before
            if len(_parsed) >= MAX_REMEMBERED:
                forget()
            _parsed[(name, value)] = header
            _remembered[id(header)] = header
        return name, header

    def _fold(self, name, value, refold_binary=False):
        # EmailPolicy.fold and fold_binary both come here; a header object folds itself with the
        # policy's line ending, line length and utf8 setting, which are therefore part of the key.
        if _remembered.get(id(value)) is not value:
            return super()._fold(name, value, refold_binary)
        key = (id(value), self.linesep, self.max_line_length, self.utf8)
        known = _folded.get(key)
        if known is not None and known[0] is value:
            return known[1]
        text = super()._fold(name, value, refold_binary)
        _folded[key] = (value, text)  # holding the object keeps its id from being reused
        return text


# email.policy.SMTP is EmailPolicy(linesep="\r\n"): the same settings.
SMTP = RepeatingHeadersPolicy(linesep="\r\n")
