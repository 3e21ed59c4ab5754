"""One send-reminders run: plan the mails due now, then send each once (claim in the ledger,
send, mark sent and audit). A refused address is reported and the run goes on; a server that
is down or fails stops the run, releasing the claim of the mail in hand, so nothing unsent is
recorded as sent and the next run sends it."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from email.message import EmailMessage
from typing import Optional, Protocol

from sqlmodel import Session

from models import User
from services.audit.trail import record_event
from services.errors import ValidationFailed
from services.i18n.translate import N_
from services.permissions import require_admin_or_system
from services.reminders import ledger
from services.reminders.mail import MailServerDown, Outgoing, RecipientRefused, build_message, plausible_address
from services.reminders.plan import KINDS, MailConfig, Planned, plan_all


class Sender(Protocol):
    def send(self, msg: EmailMessage) -> None: ...


@dataclass
class RunReport:
    """What a run did. `sent`: (kind, to, subject); `previews` (dry run): (kind, mail); `refused`: (username, address,
    reason); `no_email`: usernames that had mail due but no usable address; `skipped`: mails
    another run had already claimed; `server_error`: why the run stopped, or None."""

    sent: list[tuple[str, str, str]] = field(default_factory=list)
    previews: list[tuple[str, Outgoing]] = field(default_factory=list)
    refused: list[tuple[str, str, str]] = field(default_factory=list)
    no_email: list[str] = field(default_factory=list)
    skipped: int = 0
    server_error: Optional[str] = None

    @property
    def ok(self) -> bool:
        return self.server_error is None


def send_reminders(*, session: Session, actor: Optional[User], today: date, now: datetime, cfg: MailConfig,
                   sender: Optional[Sender], only: Optional[str] = None) -> RunReport:
    """Send (or with `sender=None`, preview) every mail due now. The operator (system account)
    or an administrator runs it. Raises PermissionDenied, ValidationFailed (unknown `only`).
    Commits after each mail (the ledger must be visible to an overlapping run at once)."""
    require_admin_or_system(actor, N_("send reminders"))
    if only is not None and only not in KINDS:
        raise ValidationFailed(N_("Unknown kind {value}: choose digest, requests or expiry."), value=repr(only)[:40])
    report = RunReport()
    for p in plan_all(session=session, today=today, cfg=cfg, only=only):
        if p.mail is None:
            report.no_email.append(p.recipient.username)
        elif not plausible_address(p.mail.to):
            report.refused.append((p.recipient.username, p.mail.to, "not an e-mail address"))
        elif sender is None:
            report.previews.append((p.key.kind, p.mail))
        elif not _send_one(session, actor, p, sender, cfg, now, report):
            break
    return report


def _send_one(session: Session, actor: Optional[User], p: Planned, sender: Sender, cfg: MailConfig,
              now: datetime, report: RunReport) -> bool:
    """Claim, send, record one mail; False when the server failed and the run must stop."""
    claim_id = ledger.claim(session=session, key=p.key, email=p.mail.to, subject=p.mail.subject, now=now)
    if claim_id is None:
        report.skipped += 1
        return True
    msg = build_message(p.mail, sender=cfg.mail_from, now=now)
    try:
        sender.send(msg)
    except RecipientRefused as exc:
        ledger.release(session=session, claim_id=claim_id)
        report.refused.append((p.recipient.username, p.mail.to, str(exc)))
        return True
    except MailServerDown as exc:
        ledger.release(session=session, claim_id=claim_id)
        report.server_error = str(exc)
        return False
    ledger.mark_sent(session=session, claim_id=claim_id, message_id=msg["Message-ID"], now=now)
    record_event(session=session, actor=actor, action="send_mail", object_type="user", object_id=p.recipient.id,
                 after={"kind": p.key.kind, "about": p.key.subject_key, "period": p.key.period, "to": p.mail.to,
                        "subject": p.mail.subject, "message_id": msg["Message-ID"]})
    session.commit()
    report.sent.append((p.key.kind, p.mail.to, p.mail.subject))
    return True
