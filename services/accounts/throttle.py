"""The per-address slow-down of failed sign-ins, and the administrator's view of locks.

The account lockout (LOGIN_MAX_FAILURES) protects one account, but lets anyone lock any
account by guessing. The slow-down protects the server and every account from one address:
after LOGIN_ADDRESS_FREE_FAILURES failures (forgotten LOGIN_LOCKOUT_MINUTES after the first),
each further failure makes the address wait 2, 4, 8, ... seconds (at most
LOGIN_ADDRESS_MAX_DELAY_SECONDS) before it may try again; an attempt during the wait is refused
before any password is hashed, so guessing costs the server almost nothing. The counts live in
the database (table signinthrottle), shared by every process."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from core.settings import Settings
from models import SignInThrottle, User
from services.audit.trail import record_event
from services.errors import Message, NotFound
from services.i18n.translate import N_
from services.permissions import require_admin

MAX_ADDRESS = 64


@dataclass(frozen=True)
class Lock:
    """An account locked after failed sign-ins, or an address made to wait."""
    kind: str  # "account" or "address"
    key: str  # the username or the address
    until: datetime
    failures: Optional[int]  # an address's count; None for an account (its count restarts at the lock)


def address_key(address: Optional[str]) -> str:
    """The stored form of a client address ('unknown' when the server cannot tell)."""
    text = address.strip()[:MAX_ADDRESS] if isinstance(address, str) else ""
    return text or "unknown"


def address_wait(*, session: Session, address: Optional[str], now: datetime) -> Optional[Message]:
    """A message saying how long to wait when the address is slowed down now, else None."""
    row = session.get(SignInThrottle, address_key(address))
    if row is None or row.blocked_until is None or now >= row.blocked_until:
        return None
    seconds = max(1, int((row.blocked_until - now).total_seconds() + 0.999))
    return Message(N_("Too many failed sign-ins from your network address. Wait {seconds} seconds, then try again."),
                   seconds=seconds)


def record_address_failure(*, session: Session, address: Optional[str], now: datetime, settings: Settings) -> None:
    """Count one failed sign-in from the address and set its wait; commits."""
    key = address_key(address)
    window = timedelta(minutes=settings.login_lockout_minutes)
    row = session.get(SignInThrottle, key)
    if row is None:
        try:
            session.add(SignInThrottle(address=key, failures=1, first_failure_at=now, last_failure_at=now))
            session.commit()
            return
        except IntegrityError:  # another process counted this address first
            session.rollback()
            row = session.get(SignInThrottle, key)
    if now - row.first_failure_at > window:
        row.failures, row.first_failure_at, row.blocked_until = 1, now, None
        row.last_failure_at = now
        session.add(row)
        session.commit()
        return
    # Counted in SQL, so parallel failures cannot overwrite each other's count.
    session.execute(update(SignInThrottle).where(SignInThrottle.address == key)
                    .values(failures=SignInThrottle.failures + 1, last_failure_at=now))
    session.refresh(row)
    extra = row.failures - settings.login_address_free_failures
    if extra > 0:
        delay = min(settings.login_address_max_delay_seconds, 2 ** min(extra, 30))
        row.blocked_until = now + timedelta(seconds=delay)
        session.add(row)
        if extra == 1:
            record_event(session=session, actor=None, action="address_slowed",
                         detail=f"{row.failures} failed sign-ins from {key}")
    session.commit()


def list_locks(*, session: Session, actor: User, now: datetime) -> list[Lock]:
    """Accounts locked now and addresses made to wait now (administrators), soonest end last."""
    require_admin(actor, N_("see sign-in locks"))
    users = session.exec(select(User).where(User.locked_until > now)).all()
    rows = session.exec(select(SignInThrottle).where(SignInThrottle.blocked_until > now)).all()
    locks = [Lock("account", u.username, u.locked_until, None) for u in users]
    locks += [Lock("address", r.address, r.blocked_until, r.failures) for r in rows]
    return sorted(locks, key=lambda lock: lock.until, reverse=True)


def unlock_account(*, session: Session, actor: User, username: str, now: datetime) -> None:
    """An administrator lifts an account's lock (its password is unchanged)."""
    require_admin(actor, N_("unlock accounts"))
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        raise NotFound(N_("No account named {username}."), username=username)
    user.failed_logins, user.locked_until = 0, None
    session.add(user)
    record_event(session=session, actor=actor, action="unlock_account", object_type="user", object_id=user.id)
    session.commit()


def lift_address_wait(*, session: Session, actor: User, address: str, now: datetime) -> None:
    """An administrator forgets an address's failed sign-ins (the wait ends now)."""
    require_admin(actor, N_("lift sign-in waits"))
    row = session.get(SignInThrottle, address_key(address))
    if row is None:
        raise NotFound(N_("No sign-in wait for {address}."), address=address_key(address))
    session.delete(row)
    record_event(session=session, actor=actor, action="lift_address_wait",
                 detail=f"{row.address} ({row.failures} failed sign-ins)")
    session.commit()
