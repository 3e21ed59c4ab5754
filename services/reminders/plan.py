"""Who gets which mail now: the digests due, the update requests not yet mailed, the expiry
notices. Read-only; every planned mail carries its ledger key (services/reminders/ledger.py)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Optional

from sqlmodel import Session, select

from models import Role, User
from services.permissions import SYSTEM_USERNAME
from services.reminders import compose
from services.reminders.due import needs_attention
from services.reminders.expiry import due_notices
from services.reminders.frequency import digest_due, effective_frequency
from services.reminders.ledger import MailKey, last_digest_at, taken_keys
from services.reminders.mail import Outgoing
from services.reminders.requests import open_requests

KINDS = ("digest", "requests", "expiry")


@dataclass(frozen=True)
class MailConfig:
    public_url: str
    mail_from: str
    stale_days: int
    default_language: str = "en"


@dataclass(frozen=True)
class Recipient:
    id: int
    username: str
    name: str
    email: Optional[str]
    lang: str
    organisation_id: Optional[int]
    frequency: str


@dataclass(frozen=True)
class Planned:
    key: MailKey
    recipient: Recipient
    mail: Optional[Outgoing]  # None when the recipient has no usable address


def recipients(*, session: Session, roles: Optional[tuple[str, ...]], default_language: str) -> list[Recipient]:
    """Enabled accounts (not the system account), optionally of `roles`, as plain values."""
    stmt = select(User).where(~User.disabled, User.username != SYSTEM_USERNAME).order_by(User.username)
    if roles:
        stmt = stmt.where(User.role.in_(roles))
    return [Recipient(u.id, u.username, u.display_name, (u.email or "").strip() or None,
                      u.language or default_language, u.organisation_id, effective_frequency(u))
            for u in session.exec(stmt).all()]


def _planned(key: MailKey, r: Recipient, build) -> Planned:  # noqa: ANN001 - build: (to) -> Outgoing
    return Planned(key, r, build(r.email) if r.email else None)


def plan_digests(*, session: Session, today: date, cfg: MailConfig) -> list[Planned]:
    people = [r for r in recipients(session=session, roles=None, default_language=cfg.default_language)
              if r.organisation_id is not None and r.frequency != "off"]
    last = last_digest_at(session=session, recipient_ids=[r.id for r in people])
    by_org = needs_attention(session=session, today=today, stale_days=cfg.stale_days)
    out = []
    for r in people:
        items = by_org.get(r.organisation_id)
        if not items or not digest_due(frequency=r.frequency, last=last.get(r.id), today=today):
            continue
        key = MailKey(r.id, "digest", "digest", today.isoformat())
        out.append(_planned(key, r, lambda to, r=r, items=items: compose.digest_mail(
            to=to, name=r.name, lang=r.lang, items=items, frequency=r.frequency, public_url=cfg.public_url,
            today=today)))
    return out


def plan_requests(*, session: Session, today: date, cfg: MailConfig) -> list[Planned]:
    requests = open_requests(session=session, today=today)
    if not requests:
        return []
    focal = recipients(session=session, roles=(Role.FOCAL_POINT.value,), default_language=cfg.default_language)
    taken = taken_keys(session=session, kind="request")
    out = []
    for req, meeting in requests:
        by_org = needs_attention(session=session, today=today, stale_days=cfg.stale_days,
                                 item_ids=json.loads(req.item_ids))
        for r in focal:
            items = by_org.get(r.organisation_id)
            key = MailKey(r.id, "request", f"meeting:{meeting.meeting_id}", meeting.held_on.isoformat())
            if not items or (key.recipient_id, key.subject_key, key.period) in taken:
                continue
            out.append(_planned(key, r, lambda to, r=r, items=items, m=meeting, end=req.window_end: compose.request_mail(
                to=to, name=r.name, lang=r.lang, body_name=m.body_name, meeting_on=m.held_on,
                window_end=end, items=items, public_url=cfg.public_url)))
    return out


def plan_expiry(*, session: Session, today: date, cfg: MailConfig) -> list[Planned]:
    notices = due_notices(session=session, today=today)
    if not notices:
        return []
    secretariat = recipients(session=session, roles=(Role.SECRETARIAT.value,), default_language=cfg.default_language)
    taken = taken_keys(session=session, kind="expiry")
    out = []
    for n in notices:
        for r in secretariat:
            key = MailKey(r.id, "expiry", n.subject_key, n.period)
            if (key.recipient_id, key.subject_key, key.period) in taken:
                continue
            out.append(_planned(key, r, lambda to, r=r, n=n: compose.expiry_mail(
                to=to, name=r.name, lang=r.lang, code=n.code, title=n.titles.get(r.lang, n.titles["en"]),
                expires_on=n.expires_on, notice_by=n.notice_by, public_url=cfg.public_url)))
    return out


def plan_all(*, session: Session, today: date, cfg: MailConfig, only: Optional[str] = None) -> list[Planned]:
    """Every mail due now (or only one kind: digest, requests, expiry), not yet in the ledger."""
    planners = {"digest": plan_digests, "requests": plan_requests, "expiry": plan_expiry}
    kinds = (only,) if only else KINDS
    return [p for k in kinds for p in planners[k](session=session, today=today, cfg=cfg)]
