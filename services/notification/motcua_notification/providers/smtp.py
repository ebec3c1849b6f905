"""E-mail over SMTP (docs/contracts.md §6), with a small pool of open connections.

What a refusal means for the message: a 5xx about the recipient or the content is permanent (the
mailbox does not exist, the message is refused); everything about the relay itself (connection
refused, time-out, 4xx, a wrong password, STARTTLS missing) is temporary, because it is not the
message's fault and an operator can fix it before the retries run out.

Transport security: STARTTLS (SMTP_STARTTLS) or TLS from the first byte (SMTP_SSL, port 465), the
relay's certificate verified against SMTP_CA_FILE (or the system's CAs) and its name against SMTP_HOST.
A certificate that does not verify is a temporary failure like a relay that is down: the message is
retried, never sent in clear. SMTP_STARTTLS=auto (the default) means STARTTLS in production and plain
SMTP in development (the local mail catcher); in production a relay reached without TLS must be on
this machine (loopback), or the process refuses to start (`transport_refusal`).
"""
from __future__ import annotations

import queue
import secrets
import smtplib
import ssl
import sys
import time
from email.message import EmailMessage
from email.utils import formatdate, parseaddr

from motcua_shared.hosts import is_local

from . import base
from .mail_policy import SMTP as SMTP_POLICY  # the standard SMTP policy, parsing repeated headers once

# An idle connection older than this is closed rather than reused: relays drop idle clients.
MAX_IDLE_SECONDS = 30.0


class SmtpProvider:
    name = "smtp"
    channel = "email"
    medium = "email"
    receipts = False  # the relay's 250 is the last word SMTP gives; bounces are not followed
    receipt_secret = ""

    def __init__(self, *, host: str, port: int, username: str = "", password: str = "", starttls: bool = False,
                 implicit_tls: bool = False, ca_file: str = "", timeout: float = 10.0, mail_from: str,
                 pool_size: int = 8):
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.starttls = starttls and not implicit_tls
        self.implicit_tls = implicit_tls
        # Built once: a CA file that cannot be read stops the process at start, not each message.
        self._tls = tls_context(ca_file) if (starttls or implicit_tls) else None
        self.timeout = timeout
        self.mail_from = mail_from
        self.envelope_from = parseaddr(mail_from)[1]
        self.domain = self.envelope_from.rpartition("@")[2] or "motcua.local"
        self._pool: queue.LifoQueue[tuple[smtplib.SMTP, float]] = queue.LifoQueue(maxsize=pool_size)

    def accepts(self, message: base.Outgoing) -> bool:
        return message.channel == "email"

    # -- the message -----------------------------------------------------------------------------
    def mime(self, message: base.Outgoing) -> EmailMessage:
        """UTF-8 parts, RFC 2047 encoded subject and display name, the notice attached."""
        mail = EmailMessage(policy=SMTP_POLICY)
        mail["From"] = self.mail_from
        mail["To"] = message.recipient
        mail["Subject"] = message.subject or ""
        mail["Date"] = formatdate(usegmt=True)
        mail["Message-ID"] = f"<{message.id}@{self.domain}>"
        mail["Auto-Submitted"] = "auto-generated"  # no vacation auto-replies to a no-reply address
        if message.unsubscribe_url:
            mail["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
            mail["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"  # RFC 8058
        mail.set_content(message.text, charset="utf-8")
        if message.html:
            mail.add_alternative(message.html, subtype="html", charset="utf-8")
        if message.attachment and message.attachment_name:
            mail.add_attachment(message.attachment, subtype="html", charset="utf-8",
                                filename=message.attachment_name)
        if mail.is_multipart():
            contents = (message.text, message.html or "", message.attachment or "", message.attachment_name or "")
            for part in mail.walk():
                if part.is_multipart():
                    part.set_boundary(boundary(contents))
        return mail

    # -- connections -----------------------------------------------------------------------------
    def _connect(self) -> smtplib.SMTP:
        if self.implicit_tls:
            connection = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, local_hostname=self.domain,
                                          context=self._tls)
        else:
            connection = smtplib.SMTP(self.host, self.port, timeout=self.timeout, local_hostname=self.domain)
        try:
            connection.ehlo()
            if self.starttls:
                # The relay must offer STARTTLS: without it smtplib raises before any mail command, so the
                # message waits for a retry instead of crossing the network in clear.
                connection.starttls(context=self._tls)
                connection.ehlo()
            if self.username:
                connection.login(self.username, self.password)
        except BaseException:
            _close(connection)
            raise
        return connection

    def _borrow(self) -> tuple[smtplib.SMTP, bool]:
        while True:
            try:
                connection, since = self._pool.get_nowait()
            except queue.Empty:
                return self._connect(), False
            if time.monotonic() - since < MAX_IDLE_SECONDS:
                return connection, True
            _close(connection)

    def _give_back(self, connection: smtplib.SMTP) -> None:
        try:
            self._pool.put_nowait((connection, time.monotonic()))
        except queue.Full:
            _close(connection)

    # -- sending ---------------------------------------------------------------------------------
    def send(self, message: base.Outgoing) -> base.Outcome:
        mail = self.mime(message)
        try:
            connection, reused = self._borrow()
        except smtplib.SMTPAuthenticationError as exc:
            return base.temporary(f"smtp auth {exc.smtp_code}", exc.smtp_code)
        except (smtplib.SMTPException, OSError) as exc:
            return base.temporary(type(exc).__name__)
        try:
            return self._deliver(connection, mail, message)
        except smtplib.SMTPServerDisconnected:
            if not reused:
                return base.temporary("SMTPServerDisconnected")
            # A pooled connection the relay had closed: nothing was sent on it; try once on a fresh one.
            try:
                return self._deliver(self._connect(), mail, message)
            except (smtplib.SMTPException, OSError) as exc:
                return base.temporary(type(exc).__name__)

    def _deliver(self, connection: smtplib.SMTP, mail: EmailMessage, message: base.Outgoing) -> base.Outcome:
        try:
            connection.send_message(mail, from_addr=self.envelope_from, to_addrs=[message.recipient])
        except smtplib.SMTPServerDisconnected:
            _close(connection)
            raise
        except smtplib.SMTPRecipientsRefused as exc:
            code = next(iter(exc.recipients.values()))[0]
            return self._refused(connection, "smtp recipient", code)
        except smtplib.SMTPNotSupportedError:
            # An address the relay cannot carry (non-ASCII without SMTPUTF8): no retry will change that.
            self._reset(connection)
            return base.permanent("smtp utf8 unsupported")
        except smtplib.SMTPSenderRefused as exc:
            self._reset(connection)
            return base.temporary(f"smtp sender {exc.smtp_code}", exc.smtp_code)
        except smtplib.SMTPResponseException as exc:
            return self._refused(connection, "smtp", exc.smtp_code)
        except (smtplib.SMTPException, OSError) as exc:
            _close(connection)
            return base.temporary(type(exc).__name__)
        self._give_back(connection)
        return base.accepted("smtp 250", 250)

    def _refused(self, connection: smtplib.SMTP, what: str, code: int) -> base.Outcome:
        self._reset(connection)
        if 500 <= code < 600:
            return base.permanent(f"{what} {code}", code)
        return base.temporary(f"{what} {code}", code)

    def _reset(self, connection: smtplib.SMTP) -> None:
        """After a refusal the session is still good once reset; keep it for the next message."""
        try:
            connection.rset()
        except (smtplib.SMTPException, OSError):
            _close(connection)
            return
        self._give_back(connection)


def boundary(contents: tuple[str, ...]) -> str:
    """A multipart boundary shaped like the standard library's, drawn here rather than by its generator:
    the generator checks its random one against the text with a regular expression compiled afresh for
    each boundary, a fifth of what building a mail cost. Ours is unpredictable (secrets, not random) and
    checked against every content with a plain search, which refuses more than the expression did."""
    while True:
        drawn = "=" * 15 + f"{secrets.randbelow(sys.maxsize):019d}" + "=="
        if not any(drawn in content for content in contents):
            return drawn


def tls_context(ca_file: str = "") -> ssl.SSLContext:
    """Certificate and host-name verification (CERT_REQUIRED, check_hostname), TLS 1.2 at least."""
    context = ssl.create_default_context(cafile=ca_file or None)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def starttls_wanted(setting: str, environment: str) -> bool:
    """SMTP_STARTTLS: true, false, or auto (on in production)."""
    return setting == "true" or (setting == "auto" and environment == "production")


def transport_refusal(*, host: str, tls: bool, environment: str) -> str | None:
    """Why this process must not start (production, no TLS, a relay beyond this machine), or None."""
    if environment == "production" and host and not tls and not is_local(host):
        return (f"SMTP_STARTTLS is off and SMTP_SSL is false while SMTP_HOST is {host}: in production the "
                f"citizens' e-mail crosses the network only over verified TLS (set SMTP_STARTTLS=true or "
                f"SMTP_SSL=true; docs/tls.md)")
    return None


def _close(connection: smtplib.SMTP) -> None:
    try:
        connection.quit()
    except (smtplib.SMTPException, OSError):
        connection.close()

