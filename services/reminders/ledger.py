"""The SentMail ledger: a row per mail, claimed (committed) before the mail goes out and
marked sent after. The unique key (recipient, kind, subject_key, period) makes a second,
overlapping run's claim fail, so it skips that mail: nothing is sent twice. A claim whose
mail could not be sent is deleted, so the next run sends it; a claim left by a run that died
mid-send is taken over after STALE_CLAIM."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

from sqlalchemy import delete, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from models import SentMail
from services.i18n.translate import N_

STALE_CLAIM = timedelta(minutes=30)
CLAIMED, SENT = "claimed", "sent"
KIND_LABELS = {"digest": N_("Digest"), "request": N_("Update request"), "expiry": N_("Expiry notice")}


@dataclass(frozen=True)
class MailKey:
    """What makes a mail the same mail: whom, which kind, about what, for which period."""

    recipient_id: int
    kind: str  # digest, request, expiry
    subject_key: str
    period: str


def _find(session: Session, key: MailKey) -> Optional[SentMail]:
    return session.exec(select(SentMail).where(
        SentMail.recipient_id == key.recipient_id, SentMail.kind == key.kind,
        SentMail.subject_key == key.subject_key, SentMail.period == key.period)).first()


def taken_keys(*, session: Session, kind: str) -> set[tuple[int, str, str]]:
    """(recipient id, subject key, period) of every mail of `kind` sent or being sent: one
    query for a whole run's plan instead of one per mail."""
    rows = session.exec(select(SentMail.recipient_id, SentMail.subject_key, SentMail.period)
                        .where(SentMail.kind == kind)).all()
    return {tuple(r) for r in rows}


def claim(*, session: Session, key: MailKey, email: str, subject: str, now: datetime) -> Optional[int]:
    """Claim the mail `key` and commit; the claim's id, or None when another run sent or is
    sending it. Commits the session (the claim must be visible to other runs at once)."""
    for _attempt in range(2):
        row = SentMail(recipient_id=key.recipient_id, kind=key.kind, subject_key=key.subject_key,
                       period=key.period, recipient_email=email[:320], subject=subject[:500], state=CLAIMED,
                       claimed_at=now)
        session.add(row)
        try:
            session.commit()
            return row.id
        except IntegrityError:
            session.rollback()
        if not _take_over(session, key, now):
            return None
    return None


def _take_over(session: Session, key: MailKey, now: datetime) -> bool:
    """Delete a claim older than STALE_CLAIM that was never marked sent; True if one was."""
    old = _find(session, key)
    if old is None or old.state != CLAIMED or old.claimed_at > now - STALE_CLAIM:
        return False
    result = session.execute(delete(SentMail).where(SentMail.id == old.id, SentMail.state == CLAIMED))
    session.commit()
    return result.rowcount == 1


def mark_sent(*, session: Session, claim_id: int, message_id: str, now: datetime) -> None:
    row = session.get(SentMail, claim_id)
    row.state, row.sent_at, row.message_id = SENT, now, message_id[:300]
    session.add(row)


def release(*, session: Session, claim_id: int) -> None:
    """Forget a claim whose mail did not go out (the next run sends it); commits."""
    session.execute(delete(SentMail).where(SentMail.id == claim_id, SentMail.state == CLAIMED))
    session.commit()


def last_digest_at(*, session: Session, recipient_ids: list[int]) -> dict[int, datetime]:
    """{user id: when their latest digest was claimed}, for the frequency rule (claims count, so
    a run that overlaps one sending a digest does not send another)."""
    if not recipient_ids:
        return {}
    rows = session.exec(select(SentMail.recipient_id, func.max(SentMail.claimed_at))
                        .where(SentMail.kind == "digest").group_by(SentMail.recipient_id)).all()
    wanted = set(recipient_ids)
    return {uid: ts for uid, ts in rows if uid in wanted}


@dataclass(frozen=True)
class LastSent:
    kind: str
    subject: str
    sent_at: datetime
    to: str


def last_sent(*, session: Session, user_id: int) -> list[LastSent]:
    """The latest mail of each kind sent to `user_id` (My account), newest first."""
    rows = session.exec(select(SentMail).where(SentMail.recipient_id == user_id, SentMail.state == SENT)
                        .order_by(SentMail.sent_at.desc()).limit(200)).all()
    seen: dict[str, LastSent] = {}
    for r in rows:
        seen.setdefault(r.kind, LastSent(r.kind, r.subject, r.sent_at, r.recipient_email))
    return list(seen.values())
