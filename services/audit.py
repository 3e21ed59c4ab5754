"""The audit trail: append-only. No service edits or deletes an AuditEvent."""
from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, Optional

from sqlmodel import Session

from models import AuditEvent, User


def _json(value: Any) -> Optional[str]:
    if value is None:
        return None
    return json.dumps(value, default=_default, ensure_ascii=False, sort_keys=True)


def to_json(value: Any) -> Optional[str]:
    """The audit trail's JSON form (dates as ISO text), for other append-only records."""
    return _json(value)


def _default(o: Any) -> str:
    if isinstance(o, (date, datetime)):
        return o.isoformat()
    return str(o)


def record_event(
    *,
    session: Session,
    actor: Optional[User],
    action: str,
    object_type: Optional[str] = None,
    object_id: Optional[int] = None,
    before: Any = None,
    after: Any = None,
    detail: Optional[str] = None,
    username: Optional[str] = None,
) -> AuditEvent:
    """Add an event to the caller's transaction; it commits with the change it records."""
    event = AuditEvent(
        user_id=actor.id if actor else None,
        username=username or (actor.username if actor else None),
        action=action,
        object_type=object_type,
        object_id=object_id,
        before=_json(before),
        after=_json(after),
        detail=detail,
    )
    session.add(event)
    return event
