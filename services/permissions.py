"""Who may do what. Every write service calls one of these before it changes anything."""
from __future__ import annotations

from typing import Iterable, Optional

from models import Role, User
from services.errors import Message, PermissionDenied, Text
from services.i18n.translate import N_
from services.labels import ROLE_LABELS

# The role sets, defined once: the services check them and ui/nav.py shows pages by them.
STRUCTURE_ROLES = frozenset({Role.SECRETARIAT.value, Role.ADMIN.value})
AUDIT_ROLES = frozenset({Role.SECRETARIAT.value, Role.ADMIN.value})
ADMIN_ROLES = frozenset({Role.ADMIN.value})
ROLES = [r.value for r in Role]
# The actor of seeding, start-up and manage.py: an admin record that is disabled and has no
# password, so it can act from the command line but never sign in.
SYSTEM_USERNAME = "system"


def _active(actor: Optional[User]) -> User:
    if actor is None:
        raise PermissionDenied(N_("Sign in first."))
    if actor.disabled:
        raise PermissionDenied(N_("The account '{username}' is disabled."), username=actor.username)
    return actor


def can_edit_structure(actor: Optional[User]) -> bool:
    return actor is not None and not actor.disabled and actor.role in STRUCTURE_ROLES


def _what(what: Text) -> Message:
    """The action a refusal names, as a catalog key (callers mark it with N_)."""
    return what if isinstance(what, Message) else Message(what)


def require_structure(actor: Optional[User], what: Text = N_("make this change")) -> User:
    """Agreements, areas, items, meetings and imports: secretariat and admin."""
    user = _active(actor)
    if user.role not in STRUCTURE_ROLES:
        raise PermissionDenied(
            N_("Only the secretariat or an administrator may {what}; your role is {role}."),
            what=_what(what), role=Message(ROLE_LABELS.get(user.role, str(user.role))),
        )
    return user


def require_admin(actor: Optional[User], what: Text = N_("do this")) -> User:
    user = _active(actor)
    if user.role != Role.ADMIN:
        raise PermissionDenied(N_("Only an administrator may {what}."), what=_what(what))
    return user


def is_system(actor: Optional[User]) -> bool:
    return (actor is not None and actor.username == SYSTEM_USERNAME and actor.role == Role.ADMIN
            and actor.password_hash is None)


def require_admin_or_system(actor: Optional[User], what: Text = N_("do this")) -> User:
    """Administrators in the dashboard, or the operator at the command line."""
    if is_system(actor):
        return actor  # type: ignore[return-value]
    return require_admin(actor, what)


def require_signed_in(actor: Optional[User]) -> User:
    return _active(actor)


def can_read_audit(actor: Optional[User]) -> bool:
    """True for an active secretariat or administrator account (the audit trail's readers)."""
    return actor is not None and not actor.disabled and actor.role in AUDIT_ROLES


def require_audit_reader(actor: Optional[User]) -> User:
    user = _active(actor)
    if user.role not in AUDIT_ROLES:
        raise PermissionDenied(N_("Only the secretariat or an administrator may read the audit trail."))
    return user


def can_update_item(actor: Optional[User], org_ids: Iterable[Optional[int]]) -> bool:
    """Focal points update items their organisation leads or supports."""
    if actor is None or actor.disabled:
        return False
    if actor.role in STRUCTURE_ROLES:
        return True
    return actor.role == Role.FOCAL_POINT and actor.organisation_id in set(org_ids)


def require_item_update(actor: Optional[User], org_ids: Iterable[Optional[int]], title: str) -> User:
    user = _active(actor)
    if not can_update_item(user, org_ids):
        if user.role == Role.VIEWER:
            raise PermissionDenied(N_("Viewers can read and export but not update items."))
        raise PermissionDenied(
            N_("'{title}' is not led or supported by your organisation, so you cannot update it."), title=title
        )
    return user


def can_update_some_items(actor: Optional[User]) -> bool:
    """Whether the actor may update any item at all (to offer the bulk editor)."""
    if actor is None or actor.disabled:
        return False
    return actor.role in STRUCTURE_ROLES or actor.role == Role.FOCAL_POINT
