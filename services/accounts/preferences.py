"""A user's own preferences. Today: the interface language, remembered across sign-ins."""
from __future__ import annotations

from typing import Optional

from sqlmodel import Session

from models import Role, User
from services.audit.trail import record_event
from services.errors import NotFound, PermissionDenied, ValidationFailed
from services.i18n.translate import LANGUAGES, N_


def set_user_language(*, session: Session, actor: Optional[User], user_id: int, language: str) -> User:
    """Save the language a user chose; users set their own, an administrator anyone's."""
    if actor is None or actor.disabled:
        raise PermissionDenied(N_("Sign in first."))
    if actor.id != user_id and actor.role != Role.ADMIN:
        raise PermissionDenied(N_("Only an administrator may change another user's language."))
    if language not in LANGUAGES:
        raise ValidationFailed(N_("Unknown language {language}: choose one of {choices}."),
                               language=repr(language)[:40], choices=", ".join(LANGUAGES))
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(N_("No user with id {id}."), id=user_id)
    if user.language == language:
        return user
    before = user.language
    user.language = language
    session.add(user)
    record_event(
        session=session, actor=actor, action="set_language", object_type="user",
        object_id=user.id, before={"language": before}, after={"language": language},
    )
    session.commit()
    return user
