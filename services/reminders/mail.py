"""Mail on the standard library: `email.message.EmailMessage` (plain text with an HTML
alternative; the default policy encodes UTF-8 subjects and bodies), sent with `smtplib`,
STARTTLS when SMTP_STARTTLS is set. No hand-written MIME."""
from __future__ import annotations

import re
import smtplib
import socket
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Optional


class MailServerDown(Exception):
    """The SMTP server cannot be reached or refuses the session (not one recipient)."""


class RecipientRefused(Exception):
    """The server refused this one recipient address; other mails can still go."""


@dataclass(frozen=True)
class Outgoing:
    """One mail to write: the address, subject, plain text and HTML body."""

    to: str
    subject: str
    text: str
    html: str


def build_message(mail: Outgoing, *, sender: str, now: datetime) -> EmailMessage:
    """The EmailMessage of `mail`, with a Message-ID from the sender's domain and a Date."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = mail.to
    msg["Subject"] = mail.subject
    msg["Date"] = format_datetime(now)
    domain = parseaddr(sender)[1].rpartition("@")[2] or None
    msg["Message-ID"] = make_msgid(domain=domain)
    msg.set_content(mail.text)
    msg.add_alternative(mail.html, subtype="html")
    return msg


ADDRESS = re.compile(r"[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+")


def plausible_address(value: Optional[str]) -> bool:
    """One bare address with a local part and a dotted domain; anything else is not tried."""
    return bool(value) and ADDRESS.fullmatch(value) is not None


class SmtpSender:
    """One SMTP session for a run. `send` raises RecipientRefused for a refused address and
    MailServerDown when the server is down, drops the connection or refuses the session."""

    def __init__(self, *, host: str, port: int, starttls: bool, user: str = "", password: str = "",
                 timeout: float = 30.0, tls: Optional[ssl.SSLContext] = None):
        """`tls`: the context STARTTLS uses (default: the system's CAs, host name checked)."""
        self.host, self.port, self.starttls, self.tls = host, port, starttls, tls
        self.user, self.password, self.timeout = user, password, timeout
        self.smtp: Optional[smtplib.SMTP] = None

    def __enter__(self) -> "SmtpSender":
        return self  # the session opens at the first mail: a run with nothing to send connects to nothing

    def _open(self) -> None:
        try:
            self.smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            if self.starttls:
                self.smtp.starttls(context=self.tls or ssl.create_default_context())
            if self.user:
                self.smtp.login(self.user, self.password)
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise MailServerDown(f"cannot open an SMTP session with {self.host}:{self.port}: {_reason(exc)}") from exc

    def send(self, msg: EmailMessage) -> None:
        if self.smtp is None:
            self._open()
        try:
            self.smtp.send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            raise RecipientRefused(_reason(exc)) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise MailServerDown(f"the SMTP server {self.host}:{self.port} failed: {_reason(exc)}") from exc

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None

    def __exit__(self, *exc: object) -> None:
        self.close()


def _reason(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{addr}: {code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
                         for addr, (code, text) in exc.recipients.items())
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        return f"{exc.smtp_code} {text}"
    if isinstance(exc, socket.timeout):
        return "timed out"
    return str(exc) or type(exc).__name__
