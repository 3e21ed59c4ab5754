"""The audit trail: append-only. No service edits or deletes an AuditEvent."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Optional

from sqlalchemy import event
from sqlmodel import Session, select

from models import AuditEvent, User, utcnow
from services.errors import ServiceError
from services.i18n.translate import N_
from services.permissions import require_audit_reader

MAX_ROWS = 5000


def _json(value: Any) -> Optional[str]:
    if value is None:
        return None
    return _ENCODER.encode(value)


def to_json(value: Any) -> Optional[str]:
    """The audit trail's JSON form (dates as ISO text), for other append-only records."""
    return _json(value)


def _default(o: Any) -> str:
    if isinstance(o, (date, datetime)):
        return o.isoformat()
    return str(o)


# json.dumps with these options builds a new encoder at every call; an import writes
# thousands of events, so the one encoder is kept (it holds no state between calls).
_ENCODER = json.JSONEncoder(default=_default, ensure_ascii=False, sort_keys=True)


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
    event = AuditEvent(**event_values(
        actor=actor, action=action, object_type=object_type, object_id=object_id,
        before=before, after=after, detail=detail, username=username,
    ))
    session.add(event)
    return event


def event_values(
    *,
    actor: Optional[User],
    action: str,
    object_type: Optional[str] = None,
    object_id: Optional[int] = None,
    before: Any = None,
    after: Any = None,
    detail: Optional[str] = None,
    username: Optional[str] = None,
) -> dict[str, Any]:
    """One event's column values: record_event's row, and the row a batch writer (the Excel
    import) inserts with many others in one statement."""
    return {
        "ts": utcnow(),
        "user_id": actor.id if actor else None,
        "username": username or (actor.username if actor else None),
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "before": _json(before),
        "after": _json(after),
        "detail": detail,
    }


def _refuse_change(mapper, connection, target) -> None:  # noqa: ANN001
    raise ServiceError(N_("Audit events cannot be edited or deleted."))


# The ORM refuses to update or delete an event, whatever code path tries it.
event.listen(AuditEvent, "before_update", _refuse_change)
event.listen(AuditEvent, "before_delete", _refuse_change)


@dataclass(frozen=True)
class AuditFilter:
    user_id: Optional[int] = None
    object_type: Optional[str] = None
    object_id: Optional[int] = None
    start: Optional[date] = None  # inclusive, UTC day
    end: Optional[date] = None  # inclusive, UTC day
    action: Optional[str] = None


def _day(d: date) -> datetime:
    return datetime.combine(d, time(0, 0), tzinfo=timezone.utc)


def filtered_events(filters: AuditFilter):  # noqa: ANN201 - a select statement
    stmt = select(AuditEvent)
    if filters.user_id is not None:
        stmt = stmt.where(AuditEvent.user_id == filters.user_id)
    if filters.object_type:
        stmt = stmt.where(AuditEvent.object_type == filters.object_type)
    if filters.object_id is not None:
        stmt = stmt.where(AuditEvent.object_id == filters.object_id)
    if filters.action:
        stmt = stmt.where(AuditEvent.action == filters.action)
    if filters.start:
        stmt = stmt.where(AuditEvent.ts >= _day(filters.start))
    if filters.end:
        stmt = stmt.where(AuditEvent.ts < _day(filters.end + timedelta(days=1)))
    return stmt.order_by(AuditEvent.ts.desc(), AuditEvent.id.desc())


def list_events(*, session: Session, actor: User, filters: AuditFilter, limit: int = MAX_ROWS) -> list[AuditEvent]:
    """The newest events matching the filters (admin and secretariat only)."""
    require_audit_reader(actor)
    return list(session.exec(filtered_events(filters).limit(limit)).all())


def audit_choices(*, session: Session, actor: User) -> dict[str, list]:
    """What the filters can offer: the users, object types and actions that occur."""
    require_audit_reader(actor)
    users = session.exec(select(User.id, User.username).order_by(User.username)).all()
    types = session.exec(select(AuditEvent.object_type).distinct()).all()
    actions = session.exec(select(AuditEvent.action).distinct()).all()
    return {"users": [(u.id, u.username) for u in users],
            "object_types": sorted(t for t in types if t), "actions": sorted(actions)}
