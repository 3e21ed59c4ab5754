"""The record as presented: when the secretariat marks a meeting held (or downloads its pack),
the agenda's figures and every item's status, progress, RAG and last note are stored once. No
function updates or deletes a snapshot; the next meeting's "what changed" is measured from it."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Optional

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from models import ActionItem, CommitmentArea, Meeting, MeetingSnapshot, SnapshotItem, User
from services.audit.trail import record_event
from services.errors import ValidationFailed
from services.i18n.translate import N_
from services.meetings.bodies import body_agreements
from services.meetings.changes import latest_notes
from services.meetings.mode import build_agenda
from services.meetings.register import get_meeting, snapshot_of
from services.permissions import can_edit_structure, require_structure
from services.items.states import item_states


def take_snapshot(*, session: Session, actor: User, meeting_id: int, reason: str, now: datetime,
                  commit: bool = True) -> MeetingSnapshot:
    """The meeting's snapshot: the existing one if there is one (it never changes), else a new
    one of the agenda as of the meeting's day. `reason` is "held" or "pack"."""
    require_structure(actor, N_("record a meeting"))
    meeting = get_meeting(session=session, meeting_id=meeting_id)
    existing = snapshot_of(session=session, meeting_id=meeting.id)
    if existing is not None:
        return existing
    day = meeting.held_on
    agenda = build_agenda(session=session, body_id=meeting.body_id, today=day, per_agreement=10_000)
    figures = {p.code: asdict(p.kpis) for p in agenda if p.kind == "agreement"}
    on_agenda = {p.item.id for p in agenda if p.kind == "item"}
    scope = [a.id for a in body_agreements(session=session, body_id=meeting.body_id)]
    states = item_states(session, agreement_ids=scope)
    ids = [s.id for s in states]
    rows = {r[0]: r[1:] for r in session.exec(
        select(ActionItem.id, ActionItem.title, ActionItem.owner_name, CommitmentArea.agreement_id)
        .join(CommitmentArea, CommitmentArea.id == ActionItem.area_id).where(ActionItem.id.in_(ids))).all()} if ids else {}
    notes = latest_notes(session, ids)
    snap = MeetingSnapshot(meeting_id=meeting.id, taken_at=now, taken_by_id=actor.id, reason=reason,
                           figures=json.dumps(figures, default=str))
    session.add(snap)
    session.flush()
    session.add_all([SnapshotItem(snapshot_id=snap.id, item_id=s.id, agreement_id=rows[s.id][2], on_agenda=s.id in on_agenda,
                                  title=rows[s.id][0], status=s.status, progress=s.progress, rag=s.rag(day),
                                  due_date=s.due, owner_name=rows[s.id][1], last_note=notes.get(s.id)) for s in states])
    record_event(session=session, actor=actor, action="snapshot_meeting", object_type="meeting",
                 object_id=meeting.id, after={"reason": reason, "items": len(states)})
    if commit:
        session.commit()
    return snap


@dataclass(frozen=True)
class HeldResult:
    meeting_id: int
    snapshot_id: Optional[int]  # None: a past meeting marked held without a picture of that day


def mark_held(*, session: Session, actor: User, meeting_id: int, today: date, now: datetime) -> HeldResult:
    """Mark the meeting held (once) and freeze what was presented. A meeting later than today is
    refused; a meeting already marked held is refused (also when two users press at once: the
    row is claimed with a conditional UPDATE). A past meeting with no snapshot is marked held
    without one: a picture taken now would not be what was presented."""
    require_structure(actor, N_("mark a meeting held"))
    meeting = get_meeting(session=session, meeting_id=meeting_id)
    if meeting.held_on > today:
        raise ValidationFailed(N_("This meeting is planned for {d}: it can be marked held on or after that day."),
                               d=meeting.held_on.isoformat())
    claimed = session.execute(update(Meeting).where(Meeting.id == meeting.id, Meeting.held_at.is_(None))
                              .values(held_at=now, held_by_id=actor.id)).rowcount
    if claimed != 1:
        session.rollback()
        raise ValidationFailed(N_("This meeting was already marked held; nothing was changed."))
    snap = snapshot_of(session=session, meeting_id=meeting.id)
    try:
        if snap is None and meeting.held_on == today:
            snap = take_snapshot(session=session, actor=actor, meeting_id=meeting.id, reason="held", now=now,
                                 commit=False)
        record_event(session=session, actor=actor, action="mark_meeting_held", object_type="meeting",
                     object_id=meeting.id, after={"snapshot_id": snap.id if snap else None})
        session.commit()
    except IntegrityError:
        session.rollback()
        raise ValidationFailed(N_("This meeting was already marked held; nothing was changed.")) from None
    session.refresh(meeting)
    return HeldResult(meeting.id, snap.id if snap else None)


def freeze_for_pack(*, session: Session, actor_id: int, body_id: int, today: date, now: datetime) -> Optional[int]:
    """When the secretariat downloads the pack on the day of the body's meeting: that meeting's
    snapshot (taken once). None when there is no such meeting or the user may not record."""
    actor = session.get(User, actor_id)
    meeting = session.exec(select(Meeting).where(Meeting.body_id == body_id, Meeting.held_on == today)).first()
    if meeting is None or not can_edit_structure(actor):
        return None
    try:
        return take_snapshot(session=session, actor=actor, meeting_id=meeting.id, reason="pack", now=now).id
    except IntegrityError:  # another user's download froze it a moment earlier: that one stands
        session.rollback()
        return snapshot_of(session=session, meeting_id=meeting.id).id
