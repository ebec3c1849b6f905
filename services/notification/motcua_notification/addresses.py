"""Phone numbers and e-mail addresses: normalised, keyed, masked.

An address is stored in clear only where a message must be sent to it (recipients, and a message
until the retention sweep). Everything that must outlive that (opt-outs, the rate limit, the ledger)
uses its key: an HMAC with NOTIFICATION_SECRET, because a plain hash of a ten-digit phone number is
reversed by trying them all. Officers and logs only ever see the masked form.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass

from motcua_shared.constant_time import equal

SMS = "sms"
EMAIL = "email"

# Vietnamese mobile numbers: 0 or +84 / 84, then 9 digits starting 3, 5, 7, 8 or 9.
_PHONE = re.compile(r"^(?:\+?84|0)([35789]\d{8})$")
_PHONE_NOISE = re.compile(r"[\s.\-()]")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")


class InvalidAddress(ValueError):
    pass


@dataclass(frozen=True)
class Address:
    channel: str
    value: str  # normalised: +84xxxxxxxxx, or the e-mail with its domain lower-cased
    key: str
    masked: str


def normalise(channel: str, raw: str) -> str:
    if channel == SMS:
        match = _PHONE.match(_PHONE_NOISE.sub("", raw or ""))
        if not match:
            raise InvalidAddress("not a Vietnamese mobile number")
        return "+84" + match.group(1)
    if channel == EMAIL:
        text = unicodedata.normalize("NFC", (raw or "").strip())
        if len(text) > 254 or not _EMAIL.match(text) or any(ord(c) < 32 for c in text):
            raise InvalidAddress("not an e-mail address")
        local, _, domain = text.rpartition("@")
        return f"{local}@{domain.lower()}"
    raise InvalidAddress(f"unknown channel {channel}")


def mask(channel: str, value: str) -> str:
    """"+84912345678" → "0912***678"; "hung.lo@example.vn" → "h***@example.vn"."""
    if channel == SMS:
        national = "0" + value[3:]
        return f"{national[:4]}***{national[-3:]}"
    local, _, domain = value.rpartition("@")
    return f"{local[:1]}***@{domain}"


def key(secret: str, channel: str, value: str) -> str:
    # Keys compare case-insensitively for e-mail: nobody has two mailboxes that differ by case.
    material = value.casefold() if channel == EMAIL else value
    return hmac.new(secret.encode(), f"{channel}:{material}".encode(), hashlib.sha256).hexdigest()


def address(secret: str, channel: str, raw: str) -> Address:
    value = normalise(channel, raw)
    return Address(channel, value, key(secret, channel, value), mask(channel, value))


def unsubscribe_token(secret: str, address_key: str) -> str:
    signature = hmac.new(secret.encode(), f"unsubscribe:{address_key}".encode(), hashlib.sha256).hexdigest()[:32]
    return f"{address_key}.{signature}"


def key_from_unsubscribe_token(secret: str, token: str) -> str | None:
    """The address key a genuine token names, or None for anything forged or mangled."""
    address_key, _, _ = token.partition(".")
    if len(address_key) != 64 or not equal(unsubscribe_token(secret, address_key), token):
        return None
    return address_key
