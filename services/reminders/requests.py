"""The secretariat's "Request updates" before a body's next meeting. The request is recorded
against that meeting (audited); `send-reminders` mails it to the focal points of the agenda's
items.

The three functions marked ADAPTER are all this package knows of meetings: a body is a joint
body record (services/meetings), its next meeting `register.next_meeting`, the window for
updates `cycle.window_closes` and the agenda meeting mode's `build_agenda`."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Optional

from sqlmodel import Session, select

from models import JointBody, Meeting, UpdateRequest, User
from services.audit.trail import record_event
from services.errors import ValidationFailed
from services.i18n.translate import N_
from services.meetings.cycle import window_closes
from services.meetings.mode import build_agenda
from services.meetings.register import next_meeting as next_body_meeting
from services.permissions import require_structure


@dataclass(frozen=True)
class NextMeeting:
    meeting_id: int
    body_name: str
    held_on: date
    window_end: date  # updates are wanted by this day


def next_meeting(*, session: Session, body_id: int, today: date) -> Optional[NextMeeting]:
    """ADAPTER. The body's next meeting on or after `today` not yet held, or None."""
    meeting = next_body_meeting(session=session, body_id=body_id, today=today)
    return None if meeting is None else meeting_facts(meeting, today, session=session)


def meeting_facts(meeting: Meeting, today: date, *, session: Session) -> NextMeeting:
    """ADAPTER. The body's name (English), the date and the end of the update window of `meeting`."""
    body = session.get(JointBody, meeting.body_id) if meeting.body_id is not None else None
    return NextMeeting(meeting.id, body.name_en if body else "", meeting.held_on, max(today, window_closes(meeting)))


def agenda_item_ids(*, session: Session, body_id: int, today: date) -> list[int]:
    """ADAPTER. The action items on the body's agenda (meeting mode's agenda), in agenda order."""
    return [p.item.id for p in build_agenda(session=session, body_id=body_id, today=today) if p.kind == "item" and p.item]


def find_request(*, session: Session, meeting_id: int) -> Optional[UpdateRequest]:
    return session.exec(select(UpdateRequest).where(UpdateRequest.meeting_id == meeting_id)).first()


def request_updates(*, session: Session, actor: User, body_id: int, today: date) -> UpdateRequest:
    """Record a request for updates before `body`'s next meeting (secretariat, admin); the next
    send-reminders run mails it. Pressing again for the same meeting returns the first request.
    Raises PermissionDenied; ValidationFailed when the body has no meeting ahead or its agenda
    has no items. Commits."""
    require_structure(actor, N_("request updates"))
    found = session.get(JointBody, body_id)
    body = found.name_en if found else str(body_id)
    target = next_meeting(session=session, body_id=body_id, today=today)
    if target is None:
        raise ValidationFailed(N_("{body} has no meeting on or after today: record the next meeting first."),
                               body=body[:300])
    existing = find_request(session=session, meeting_id=target.meeting_id)
    if existing is not None:
        return existing
    ids = agenda_item_ids(session=session, body_id=body_id, today=today)
    if not ids:
        raise ValidationFailed(N_("The agenda of {body} has no action items to ask about."), body=body[:300])
    req = UpdateRequest(meeting_id=target.meeting_id, window_end=target.window_end, item_ids=json.dumps(ids),
                        requested_by_id=actor.id)
    session.add(req)
    session.flush()
    record_event(session=session, actor=actor, action="request_updates", object_type="meeting",
                 object_id=target.meeting_id, after={"body": target.body_name, "meeting_on": target.held_on,
                                                     "window_end": target.window_end, "items": len(ids)})
    session.commit()
    return req


def open_requests(*, session: Session, today: date) -> list[tuple[UpdateRequest, NextMeeting]]:
    """Requests whose meeting has not yet taken place (their mails may still be due), each
    with its meeting's facts."""
    rows = session.exec(select(UpdateRequest, Meeting).join(Meeting, Meeting.id == UpdateRequest.meeting_id)
                        .where(Meeting.held_on >= today).order_by(Meeting.held_on, UpdateRequest.id)).all()
    return [(req, meeting_facts(meeting, today, session=session)) for req, meeting in rows]
