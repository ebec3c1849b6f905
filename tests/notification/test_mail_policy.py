"""The SMTP provider builds its mail with a policy that parses and folds the headers every message
repeats only once per process (providers/mail_policy.py) and draws its own multipart boundaries. What
goes out must be the mail the standard library's SMTP policy writes, byte for byte but for the
boundaries' random digits; these tests build both and compare them."""
from __future__ import annotations

import email.policy
import io
import re
from dataclasses import replace
from email.generator import BytesGenerator
from email.message import EmailMessage

import pytest

from motcua_notification.providers import mail_policy, smtp
from motcua_notification.providers.base import Outgoing
from motcua_notification.providers.smtp import SmtpProvider

BOUNDARY = re.compile(rb'===============\d{19}==')
MAIL = Outgoing(id="7c1f3c1e-8a4d-4c2b-9f1a-6d2e5b7c9a10", channel="email", recipient="hung.lo@example.vn",
                template="dossier_received", subject="Hồ sơ H52.04222-190315-0001 đã được tiếp nhận, hẹn trả ngày "
                                                     "20/03/2019 tại Bộ phận một cửa huyện Sông Mã",
                text="Kính gửi Ông/Bà Lò Văn Hùng,\n\nHồ sơ đã được tiếp nhận.\n" * 4,
                html="<p>Hồ sơ đã được tiếp nhận.</p>" * 4,
                attachment_name="giay-tiep-nhan-H52.04222-190315-0001.html", attachment="<h1>Giấy tiếp nhận</h1>",
                unsubscribe_url="http://127.0.0.1:8003/api/v1/unsubscribe?t=abc")
VARIANTS = {
    "text only": replace(MAIL, html=None, attachment=None, attachment_name=None, unsubscribe_url=None),
    "text and html": replace(MAIL, attachment=None, attachment_name=None),
    "text, html and notice": MAIL,
    "plain ascii": replace(MAIL, subject="Ho so da duoc tiep nhan", text="Ho so da duoc tiep nhan.\n", html=None),
}


def flattened(mail, linesep="\r\n") -> bytes:
    """As smtplib.send_message writes it (a BytesGenerator with the message's own policy)."""
    out = io.BytesIO()
    BytesGenerator(out, mangle_from_=False).flatten(mail, linesep=linesep)
    return out.getvalue()


def numbered(raw: bytes) -> bytes:
    """The boundaries renumbered in order of appearance: they are random in both builds."""
    seen: dict[bytes, bytes] = {}
    return BOUNDARY.sub(lambda m: seen.setdefault(m.group(0), b"=" * 15 + b"%019d" % len(seen) + b"=="), raw)


DATE = "Mon, 07 Dec 2026 23:00:00 GMT"


def standard(provider: SmtpProvider, message: Outgoing) -> EmailMessage:
    """The same mail built the plain way: the standard SMTP policy, the generator drawing the boundaries."""
    mail = EmailMessage(policy=email.policy.SMTP)
    mail["From"] = provider.mail_from
    mail["To"] = message.recipient
    mail["Subject"] = message.subject or ""
    mail["Date"] = DATE
    mail["Message-ID"] = f"<{message.id}@{provider.domain}>"
    mail["Auto-Submitted"] = "auto-generated"
    if message.unsubscribe_url:
        mail["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        mail["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    mail.set_content(message.text, charset="utf-8")
    if message.html:
        mail.add_alternative(message.html, subtype="html", charset="utf-8")
    if message.attachment and message.attachment_name:
        mail.add_attachment(message.attachment, subtype="html", charset="utf-8", filename=message.attachment_name)
    return mail


@pytest.mark.parametrize("name", VARIANTS)
def test_the_mail_is_the_standard_policys_mail(name, monkeypatch):
    monkeypatch.setattr(smtp, "formatdate", lambda usegmt=True: DATE)
    provider = SmtpProvider(host="127.0.0.1", port=25, mail_from="Bộ phận một cửa <no-reply@motcua.local>")
    mail_policy.forget()
    for _ in range(3):  # the first message fills the cache, the next ones are built from it
        ours = provider.mime(VARIANTS[name])
        assert isinstance(ours.policy, mail_policy.RepeatingHeadersPolicy)
        theirs = standard(provider, VARIANTS[name])
        assert type(theirs.policy) is email.policy.EmailPolicy
        for linesep in ("\r\n", "\n"):  # the SMTP session's, and as_string's (a log, a test)
            assert numbered(flattened(ours, linesep)) == numbered(flattened(theirs, linesep))


def test_a_remembered_header_still_refuses_a_line_break():
    mail_policy.forget()
    provider = SmtpProvider(host="127.0.0.1", port=25, mail_from="no-reply@motcua.local")
    provider.mime(MAIL)
    with pytest.raises(ValueError):
        provider.mime(replace(MAIL, recipient="a@example.vn\r\nBcc: b@example.vn"))
    mail = smtp.EmailMessage(policy=mail_policy.SMTP)
    with pytest.raises(ValueError):
        mail["Auto-Submitted"] = "auto-generated\r\nBcc: b@example.vn"


def test_the_cache_is_bounded(monkeypatch):
    mail_policy.forget()
    monkeypatch.setattr(mail_policy, "MAX_REMEMBERED", 4)
    for n in range(20):
        SmtpProvider(host="127.0.0.1", port=25, mail_from=f"Desk {n} <desk{n}@motcua.local>").mime(MAIL)
        assert len(mail_policy._parsed) <= 4
    mail_policy.forget()


def test_a_boundary_never_appears_in_what_it_separates(monkeypatch):
    draws = iter([7, 8])  # the first draw is in the text: drawn again
    monkeypatch.setattr(smtp.secrets, "randbelow", lambda _n: next(draws))
    taken = "=" * 15 + "%019d" % 7 + "=="
    assert smtp.boundary(("before --" + taken + " after", "")) == "=" * 15 + "%019d" % 8 + "=="
