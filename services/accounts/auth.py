"""Passwords, sign-in with lockout, and browser session tokens.

Passwords are hashed with argon2id (argon2-cffi) and rehashed at the next sign-in when
the hasher's parameters change. A signed-in browser holds a random token; the database
keeps only its SHA-256, so a copy of the database cannot be used to sign in."""
from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta
from typing import Callable, Optional

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import update
from sqlmodel import Session, func, select

from core.settings import Settings, get_settings
from models import AuthSession, User
from services.accounts.throttle import address_wait, record_address_failure
from services.audit.trail import record_event
from services.errors import ServiceError, ValidationFailed
from services.i18n.translate import N_
from services.permissions import require_signed_in

HASHER = PasswordHasher()
MIN_PASSWORD, MAX_PASSWORD = 8, 1024
MIN_USERNAME, MAX_USERNAME = 3, 64
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._@-]*$")
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,200}$")
TOUCH_EVERY = timedelta(seconds=30)  # write last_seen_at at most this often
WRONG = N_("Wrong username or password.")
_dummy_hash: Optional[str] = None


class SignInFailed(ServiceError):
    pass


class AccountLocked(SignInFailed):
    pass


def check_username(raw: str) -> str:
    """The stored form of a username (lower case), or a message saying what is wrong."""
    name = (raw or "").strip().lower()
    if not MIN_USERNAME <= len(name) <= MAX_USERNAME:
        raise ValidationFailed(N_("A username has {low} to {high} characters."), low=MIN_USERNAME, high=MAX_USERNAME)
    if not USERNAME_RE.match(name):
        raise ValidationFailed(
            N_("A username may use only letters a-z, digits and . _ @ - (starting with a letter or digit).")
        )
    return name


def check_password(password: str, *, username: str = "") -> str:
    if not isinstance(password, str) or not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise ValidationFailed(N_("A password has {low} to {high} characters."), low=MIN_PASSWORD, high=MAX_PASSWORD)
    _encodable(password)
    if password.strip().lower() == username.lower():
        raise ValidationFailed(N_("The password must not be the username."))
    return password


def _encodable(password: str) -> None:
    try:
        password.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationFailed(N_("The password contains characters that cannot be used.")) from None


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def verify_password(password_hash: Optional[str], password: str) -> bool:
    if not password_hash:
        return False
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _burn_time(password: str) -> None:
    """Spend a verification on unknown usernames too, so timing does not reveal which exist."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = HASHER.hash(secrets.token_urlsafe(16))
    verify_password(_dummy_hash, password)


def _audit_name(raw: str) -> str:
    """A username as typed, made safe to store (printable, at most 64 characters)."""
    return "".join(c for c in str(raw) if c.isprintable())[:MAX_USERNAME] or "(empty)"


def sign_in(*, session: Session, username: str, password: str, now: datetime,
            settings: Optional[Settings] = None, address: Optional[str] = None) -> User:
    """The user, signed in; or SignInFailed with a message to show. `address` is the client's
    network address: while it must wait after repeated failures (services/accounts/throttle.py)
    the attempt is refused before any password is checked. Every other failure, whether the
    username is unknown, the account locked or the password wrong, gives the same message
    after the same work (one argon2 verification), so the answer tells nothing about which
    usernames exist."""
    settings = settings or get_settings()
    wait = address_wait(session=session, address=address, now=now)
    if wait is not None:
        raise SignInFailed(wait)
    try:
        return _sign_in(session, username, password, now, settings)
    except SignInFailed:
        record_address_failure(session=session, address=address, now=now, settings=settings)
        raise


def _sign_in(session: Session, username: str, password: str, now: datetime, settings: Settings) -> User:
    if not isinstance(password, str) or len(password) > MAX_PASSWORD:
        raise SignInFailed(N_("A password has at most {limit} characters."), limit=MAX_PASSWORD)
    _encodable(password)
    try:
        name = check_username(username)
    except ValidationFailed:
        name = None
    user = session.exec(select(User).where(User.username == name)).first() if name else None
    if user is None or user.password_hash is None:
        _burn_time(password)
        _fail(session, None, _audit_name(username), "unknown user or no password")
        raise SignInFailed(WRONG)
    if user.locked_until is not None and now < user.locked_until:
        verify_password(user.password_hash, password)  # the same work as any other attempt
        _fail(session, user, user.username, "account locked")
        raise AccountLocked(WRONG)
    if not verify_password(user.password_hash, password):
        _wrong_password(session, user, now, settings)
    if user.disabled:
        _fail(session, user, user.username, "account disabled")
        raise SignInFailed(N_("This account is disabled. Ask an administrator to enable it."))
    user.failed_logins, user.locked_until = 0, None
    if HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.add(user)
    record_event(session=session, actor=user, action="sign_in", object_type="user", object_id=user.id)
    session.commit()
    return user


def _wrong_password(session: Session, user: User, now: datetime, settings: Settings) -> None:
    # Counted in SQL, so parallel guesses cannot overwrite each other's count.
    session.execute(update(User).where(User.id == user.id).values(failed_logins=User.failed_logins + 1))
    session.refresh(user, ["failed_logins"])
    if user.failed_logins >= settings.login_max_failures:
        user.failed_logins = 0
        user.locked_until = now + timedelta(minutes=settings.login_lockout_minutes)
        session.add(user)
        record_event(session=session, actor=user, action="lockout",
                     object_type="user", object_id=user.id,
                     detail=f"{settings.login_max_failures} failed sign-ins")
        session.commit()
        raise AccountLocked(WRONG)  # the same answer as an unknown username
    session.add(user)
    _fail(session, user, user.username, f"wrong password ({user.failed_logins})")
    raise SignInFailed(WRONG)


def _fail(session: Session, user: Optional[User], username: str, detail: str) -> None:
    # The event names the account that was tried, so the audit filter by user finds it.
    record_event(session=session, actor=user, username=username, action="failed_sign_in",
                 object_type="user" if user else None, object_id=user.id if user else None,
                 detail=detail)
    session.commit()


def change_own_password(*, session: Session, actor: User, current_password: str,
                        new_password: str, now: datetime, keep_token: Optional[str] = None) -> None:
    """The signed-in user's own change; their other browsers are signed out."""
    user = require_signed_in(actor)
    if len(current_password or "") > MAX_PASSWORD or not verify_password(user.password_hash, current_password):
        raise ValidationFailed(N_("The current password is not correct."))
    check_password(new_password, username=user.username)
    if new_password == current_password:
        raise ValidationFailed(N_("The new password must differ from the current one."))
    user.password_hash = hash_password(new_password)
    session.add(user)
    revoke_user_sessions(session=session, user_id=user.id, now=now, keep_token=keep_token)
    record_event(session=session, actor=user, action="change_password", object_type="user", object_id=user.id)
    session.commit()


def sign_in_sso(*, session: Session, email: Optional[str], now: datetime) -> User:
    """Single sign-on: the identity provider vouched for the e-mail; it must match an enabled
    account (unknown e-mails get no access)."""
    user = None
    if email and len(email) <= 320:
        user = session.exec(select(User).where(func.lower(User.email) == email.strip().lower(),
                                               User.disabled == False)).first()  # noqa: E712
    if user is None:
        _fail(session, None, _audit_name(email or ""), "single sign-on: no enabled account with this e-mail")
        raise SignInFailed(N_("No account is registered for {email}: ask an administrator "
                              "to create one with this e-mail address."), email=_audit_name(email or ""))
    record_event(session=session, actor=user, action="sign_in", object_type="user", object_id=user.id,
                 detail="single sign-on")
    session.commit()
    return user


# Browser session tokens -------------------------------------------------------------------

def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def create_session_token(*, session: Session, user: User, now: datetime,
                         token_factory: Callable[[int], str] = secrets.token_urlsafe) -> str:
    """A new random token for this browser; only its hash is stored."""
    token = token_factory(32)
    session.add(AuthSession(token_hash=hash_token(token), user_id=user.id, created_at=now, last_seen_at=now))
    session.commit()
    return token


def _find_token(session: Session, token: Optional[str]) -> Optional[AuthSession]:
    if not token or not TOKEN_RE.match(token):
        return None
    return session.exec(select(AuthSession).where(AuthSession.token_hash == hash_token(token))).first()


def validate_session_token(*, session: Session, token: Optional[str], now: datetime,
                           idle_minutes: Optional[int] = None) -> Optional[User]:
    """The user of a live token, marking it seen; None when unknown, revoked or idle too long."""
    row = _find_token(session, token)
    if row is None or row.revoked_at is not None:
        return None
    idle = timedelta(minutes=idle_minutes if idle_minutes is not None else get_settings().session_idle_minutes)
    user = session.get(User, row.user_id)
    if now - row.last_seen_at > idle:
        row.revoked_at = now
        session.add(row)
        record_event(session=session, actor=user, action="session_expired", object_type="user",
                     object_id=row.user_id, detail=f"idle for more than {idle}")
        session.commit()
        return None
    if user is None or user.disabled:
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        session.add(row)
        session.commit()
    return user


def revoke_session_token(*, session: Session, token: Optional[str], now: datetime) -> None:
    """Sign-out: the token stops working even if a copy of the cookie survives."""
    row = _find_token(session, token)
    if row is None or row.revoked_at is not None:
        return
    row.revoked_at = now
    session.add(row)
    record_event(session=session, actor=session.get(User, row.user_id), action="sign_out",
                 object_type="user", object_id=row.user_id)
    session.commit()


def revoke_user_sessions(*, session: Session, user_id: int, now: datetime,
                         keep_token: Optional[str] = None) -> int:
    """Adds to the caller's transaction: every live token of the user stops working."""
    keep = hash_token(keep_token) if keep_token and TOKEN_RE.match(keep_token) else None
    rows = session.exec(select(AuthSession).where(
        AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))).all()
    count = 0
    for row in rows:
        if row.token_hash != keep:
            row.revoked_at = now
            session.add(row)
            count += 1
    return count
