"""User administration: create, reset password, disable/enable, change role.

Accounts are never deleted: a disabled account keeps its history in the audit trail."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Optional

from sqlmodel import Session, func, select

from models import Organisation, Role, User
from models.text import clean_text, text_limit
from services.audit.trail import record_event
from services.accounts.auth import check_password, check_username, hash_password, revoke_user_sessions
from services.errors import Message, NotFound, ValidationFailed
from services.i18n.translate import N_
from services.permissions import ROLES, SYSTEM_USERNAME, require_admin, require_admin_or_system

MAX_DISPLAY_NAME, MAX_EMAIL = text_limit(User, "display_name"), text_limit(User, "email")  # the table's


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    display_name: str
    email: Optional[str]
    role: str
    organisation: Optional[str]
    disabled: bool
    locked_until: Optional[datetime]
    is_sample: bool


def _org_id(session: Session, acronym: Optional[str]) -> Optional[int]:
    if not acronym:
        return None
    org = session.exec(select(Organisation).where(Organisation.acronym == acronym.strip())).first()
    if org is None:
        raise ValidationFailed(N_("No organisation with the acronym '{acronym}'."), acronym=acronym.strip()[:40])
    return org.id


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise ValidationFailed(N_("Unknown role '{role}'; choose one of: {choices}."),
                               role=str(role)[:30], choices=", ".join(ROLES))
    return role


def _check_text(value: Optional[str], what: str, limit: int, required: bool = False) -> Optional[str]:
    """`what` is a catalog key naming the field (marked with N_ by the caller)."""
    value, what_ = clean_text(value) or "", Message(what)  # the text gate first (models/text.py)
    if required and not value:
        raise ValidationFailed(N_("The {what} is required."), what=what_)
    if len(value) > limit:
        raise ValidationFailed(N_("The {what} has at most {limit} characters."), what=what_, limit=limit)
    if any(not c.isprintable() for c in value):
        raise ValidationFailed(N_("The {what} contains control characters."), what=what_)
    return value or None


def _check_email(email: Optional[str]) -> Optional[str]:
    email = _check_text(email, N_("e-mail address"), MAX_EMAIL)
    if email and ("@" not in email or any(c.isspace() for c in email)):
        raise ValidationFailed(N_("The e-mail address does not look like name@example.gov.my."))
    return email.lower() if email else None


def create_user(*, session: Session, actor: User, username: str, role: str,
                organisation: Optional[str] = None, display_name: Optional[str] = None,
                email: Optional[str] = None, password: Optional[str] = None) -> User:
    """A new account. Without a password it can sign in only by single sign-on (e-mail)."""
    require_admin_or_system(actor, N_("create accounts"))
    name = check_username(username)
    if session.exec(select(User).where(User.username == name)).first():
        raise ValidationFailed(N_("The username '{name}' is taken."), name=name)
    if password is not None:
        check_password(password, username=name)
    user = User(
        username=name, role=_check_role(role), organisation_id=_org_id(session, organisation),
        display_name=_check_text(display_name, N_("display name"), MAX_DISPLAY_NAME) or name,
        email=_check_email(email), password_hash=hash_password(password) if password else None,
    )
    session.add(user)
    session.flush()
    record_event(session=session, actor=actor, action="create_user", object_type="user", object_id=user.id,
                 after={"username": name, "role": user.role, "organisation": organisation, "email": user.email})
    session.commit()
    return user


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(N_("No user with id {id}."), id=user_id)
    return user


def reset_password(*, session: Session, actor: User, user_id: int, new_password: str, now: datetime) -> None:
    """An administrator sets a new password; the account is unlocked and signed out everywhere."""
    require_admin_or_system(actor, N_("reset passwords"))
    user = get_user(session, user_id)
    check_password(new_password, username=user.username)
    user.password_hash = hash_password(new_password)
    user.failed_logins, user.locked_until = 0, None
    session.add(user)
    revoke_user_sessions(session=session, user_id=user.id, now=now)
    record_event(session=session, actor=actor, action="reset_password", object_type="user", object_id=user.id)
    session.commit()


def _enabled_admins(session: Session) -> int:
    return session.exec(select(func.count()).select_from(User).where(
        User.role == Role.ADMIN.value, User.disabled == False, User.password_hash.is_not(None))).one()  # noqa: E712


def _refuse_last_admin(session: Session, user: User) -> None:
    if user.role == Role.ADMIN and not user.disabled and _enabled_admins(session) <= 1:
        raise ValidationFailed(N_("This is the last enabled administrator: create another one first."))


def set_user_disabled(*, session: Session, actor: User, user_id: int, disabled: bool, now: datetime) -> User:
    require_admin(actor, N_("disable or enable accounts"))
    user = get_user(session, user_id)
    if user.disabled == disabled:
        return user
    if disabled:
        if user.id == actor.id:
            raise ValidationFailed(N_("You cannot disable your own account."))
        _refuse_last_admin(session, user)
        revoke_user_sessions(session=session, user_id=user.id, now=now)
    user.disabled = disabled
    session.add(user)
    record_event(session=session, actor=actor, action="disable_user" if disabled else "enable_user",
                 object_type="user", object_id=user.id, before={"disabled": not disabled}, after={"disabled": disabled})
    session.commit()
    return user


def change_user_role(*, session: Session, actor: User, user_id: int, role: str,
                     organisation: Optional[str] = None) -> User:
    """New role and organisation (a focal point edits only what their organisation owns)."""
    require_admin(actor, N_("change roles"))
    user = get_user(session, user_id)
    role = _check_role(role)
    if role != Role.ADMIN and user.role == Role.ADMIN:
        _refuse_last_admin(session, user)
    before = {"role": user.role, "organisation_id": user.organisation_id}
    user.role = role
    if organisation is not None:
        user.organisation_id = _org_id(session, organisation)
    session.add(user)
    record_event(session=session, actor=actor, action="change_role", object_type="user", object_id=user.id,
                 before=before, after={"role": user.role, "organisation_id": user.organisation_id})
    session.commit()
    return user


def list_users(*, session: Session, actor: User) -> list[UserRow]:
    require_admin(actor, N_("list accounts"))
    orgs = dict(session.exec(select(Organisation.id, Organisation.acronym)).all())
    users = session.exec(select(User).where(User.username != SYSTEM_USERNAME).order_by(User.username)).all()
    return [UserRow(u.id, u.username, u.display_name, u.email, u.role, orgs.get(u.organisation_id),
                    u.disabled, u.locked_until, u.is_sample) for u in users]



def organisation_acronyms(*, session: Session) -> list[str]:
    return list(session.exec(select(Organisation.acronym).order_by(Organisation.acronym)).all())
