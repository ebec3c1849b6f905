"""Receipts are signed: `X-Motcua-Signature: sha256=<hex HMAC-SHA256 of the raw body>` with the
provider's receipt secret (SMS_GATEWAY_RECEIPT_SECRET, SMS_GATEWAY_FALLBACK_RECEIPT_SECRET). Checked
before the body is even parsed."""
import functools

from flask import request

from motcua_shared.constant_time import equal
from motcua_shared.web.errors import NotFound, Unauthenticated

from ...receipts import SIGNATURE_HEADER, sign
from ..common import providers


def signed_by_provider(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        provider = providers().named(kwargs["provider"])
        if provider is None or not provider.receipt_secret:
            raise NotFound("Nhà cung cấp này không gửi báo cáo phát tin.", code="unknown_provider")
        given = request.headers.get(SIGNATURE_HEADER, "")
        if not equal(sign(provider.receipt_secret, request.get_data(cache=True)), given):
            raise Unauthenticated("Chữ ký báo cáo phát tin không hợp lệ.", code="invalid_signature")
        return view(*args, **kwargs)
    return wrapped
