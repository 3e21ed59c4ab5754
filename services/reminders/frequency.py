"""How often a user gets the digest: off, daily or weekly. No choice saved means the default:
weekly for focal points, off for the other roles (they ask for it on My account)."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Optional

from sqlmodel import Session

from models import Role, User
from services.audit.trail import record_event
from services.errors import NotFound, PermissionDenied, ValidationFailed
from services.i18n.translate import N_

FREQUENCIES = ("off", "daily", "weekly")
FREQUENCY_LABELS = {"off": N_("Off"), "daily": N_("Daily"), "weekly": N_("Weekly")}


def effective_frequency(user: User) -> str:
    if user.digest_frequency in FREQUENCIES:
        return user.digest_frequency
    return "weekly" if user.role == Role.FOCAL_POINT else "off"


def digest_due(*, frequency: str, last: Optional[datetime], today: date) -> bool:
    """Daily: no digest yet today; weekly: none in the last 7 days (the first run after an
    account is made sends one); off: never. `last` is the latest digest's time (UTC)."""
    if frequency == "off":
        return False
    if last is None:
        return True
    days = 1 if frequency == "daily" else 7
    return last.date() <= today - timedelta(days=days)


def set_digest_frequency(*, session: Session, actor: Optional[User], user_id: int, frequency: str) -> User:
    """Save how often `user_id` gets the digest; users set their own, an administrator
    anyone's. Raises PermissionDenied, NotFound, ValidationFailed (unknown frequency). Commits."""
    if actor is None or actor.disabled:
        raise PermissionDenied(N_("Sign in first."))
    if actor.id != user_id and actor.role != Role.ADMIN:
        raise PermissionDenied(N_("Only an administrator may change another user's digest."))
    if frequency not in FREQUENCIES:
        raise ValidationFailed(N_("Unknown digest frequency {value}: choose off, daily or weekly."),
                               value=repr(frequency)[:40])
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(N_("No user with id {id}."), id=user_id)
    before = effective_frequency(user)
    user.digest_frequency = frequency
    session.add(user)
    record_event(session=session, actor=actor, action="set_digest_frequency", object_type="user",
                 object_id=user.id, before={"digest_frequency": before}, after={"digest_frequency": frequency})
    session.commit()
    return user
