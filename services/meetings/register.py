"""Meetings of a joint body: the register, the last and next meeting, decisions and the action
items created at a meeting, and "what changed since the last meeting" for a body. One writer
per kind of record: the Meetings page, meeting mode and the command line call these."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Optional

from sqlmodel import Session, select

from models import ActionItem, CommitmentArea, Decision, Meeting, MeetingSnapshot, User
from services import rules
from services.agreements.inputs import FormInput, validate
from services.agreements.setup import create_item
from services.audit.trail import record_event
from models.text import clean_text, text_limit
from services.errors import NotFound, ValidationFailed
from services.i18n.translate import N_
from services.i18n.content import display
from services.meetings.bodies import body_agreements, get_body
from services.meetings.changes import Changes, what_changed
from services.permissions import require_structure

DECISION_LIMIT = text_limit(Decision, "text")  # characters: the table's limit, the one for every path


class MeetingInput(FormInput):
    table = Meeting
    body_id: int
    held_on: date
    venue: Optional[str] = None
    attendees_my: Optional[str] = None
    attendees_counterpart: Optional[str] = None
    summary: Optional[str] = None


def get_meeting(*, session: Session, meeting_id: int) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(N_("No meeting with id {id}."), id=meeting_id)
    return meeting


def list_meetings(*, session: Session, body_id: Optional[int] = None) -> list[Meeting]:
    """Newest first; planned meetings included."""
    stmt = select(Meeting).order_by(Meeting.held_on.desc(), Meeting.id.desc())
    if body_id is not None:
        stmt = stmt.where(Meeting.body_id == body_id)
    return list(session.exec(stmt).all())


def last_meeting(*, session: Session, body_id: Optional[int], before: date) -> Optional[Meeting]:
    """The body's latest meeting on a day strictly before `before` (a meeting on the day itself
    is the one being prepared, not the last one). None for no body or no such meeting."""
    if body_id is None:
        return None
    return session.exec(select(Meeting).where(Meeting.body_id == body_id, Meeting.held_on < before)
                        .order_by(Meeting.held_on.desc(), Meeting.id.desc())).first()


def next_meeting(*, session: Session, body_id: int, today: date) -> Optional[Meeting]:
    """The body's earliest meeting on or after `today` not yet marked held."""
    return session.exec(select(Meeting).where(Meeting.body_id == body_id, Meeting.held_on >= today,
                                              Meeting.held_at.is_(None))
                        .order_by(Meeting.held_on, Meeting.id)).first()


def meeting_day(*, session: Session, body_id: Optional[int], today: date) -> date:
    """The day meeting mode records into by default: today when the body meets today, else the
    body's next planned meeting (so a decision lands in the meeting already planned, not in a
    new one dated today), else today."""
    if body_id is None or find_meeting(session=session, body_id=body_id, held_on=today) is not None:
        return today
    planned = next_meeting(session=session, body_id=body_id, today=today)
    return planned.held_on if planned is not None else today


def meeting_number(*, session: Session, meeting: Meeting) -> int:
    """1 for the body's first meeting, and so on (by date, then id)."""
    rows = session.exec(select(Meeting.id).where(Meeting.body_id == meeting.body_id)
                        .order_by(Meeting.held_on, Meeting.id)).all()
    return list(rows).index(meeting.id) + 1


def snapshot_of(*, session: Session, meeting_id: int) -> Optional[MeetingSnapshot]:
    return session.exec(select(MeetingSnapshot).where(MeetingSnapshot.meeting_id == meeting_id)).first()


def changes_for_body(*, session: Session, body_id: Optional[int], today: date, since: Optional[date] = None,
                     lang: str = "en") -> Changes:
    """What changed for the body's agreements (None: all) since its last meeting before `today`
    (from that meeting's snapshot when it has one), or since the start of `since` when given;
    with neither, the last 30 days. The page, meeting mode, the pack and the command line call this."""
    previous = last_meeting(session=session, body_id=body_id, before=today)
    snapshot = None
    if since is None and previous is not None:
        since, snapshot = previous.held_on, snapshot_of(session=session, meeting_id=previous.id)
    elif since is None:
        since = date.fromordinal(today.toordinal() - 30)
    scope = None if body_id is None else [a.id for a in body_agreements(session=session, body_id=body_id)]
    return what_changed(session=session, since=since, today=today, agreement_ids=scope, snapshot=snapshot, lang=lang)


def save_meeting(*, session: Session, actor: User, data: dict, meeting_id: Optional[int] = None,
                 commit: bool = True) -> Meeting:
    """Create (also a planned one, with a date ahead) or edit a meeting; audited."""
    require_structure(actor, N_("record meetings"))
    inp = validate(MeetingInput, data)
    get_body(session=session, body_id=inp.body_id)
    values = inp.model_dump()
    meeting = Meeting(created_by_id=actor.id, body_id=inp.body_id, held_on=inp.held_on) if meeting_id is None \
        else get_meeting(session=session, meeting_id=meeting_id)
    before = {k: getattr(meeting, k) for k in values} if meeting_id else None
    for k, v in values.items():
        setattr(meeting, k, v)
    session.add(meeting)
    session.flush()
    record_event(session=session, actor=actor, action="edit_meeting" if meeting_id else "create_meeting",
                 object_type="meeting", object_id=meeting.id, before=before, after=values)
    if commit:
        session.commit()
    return meeting


def ensure_meeting(*, session: Session, actor: User, body_id: int, held_on: date, commit: bool = True) -> Meeting:
    """The body's meeting on `held_on`, created (and audited) on first use. With commit=False a
    new meeting is only flushed: it is written with the decision or item that needs it, or not at all."""
    require_structure(actor, N_("record a meeting"))
    get_body(session=session, body_id=body_id)
    meeting = session.exec(select(Meeting).where(Meeting.body_id == body_id, Meeting.held_on == held_on)).first()
    return meeting or save_meeting(session=session, actor=actor, data={"body_id": body_id, "held_on": held_on},
                                   commit=commit)


def find_meeting(*, session: Session, body_id: int, held_on: date) -> Optional[Meeting]:
    return session.exec(select(Meeting).where(Meeting.body_id == body_id, Meeting.held_on == held_on)).first()


def create_meeting_item(*, session: Session, actor: User, meeting_id: int, data: dict,
                        now: Optional[datetime] = None, commit: bool = True) -> ActionItem:
    """An action item agreed at the meeting, through Set-up's validation (create_item): `data`
    holds the item form's fields (area_id, title, lead_org_id, due_date, owner_name, ...). It
    starts on the meeting's day and carries the meeting's id. Refused: a due date before the
    meeting, and everything Set-up refuses."""
    require_structure(actor, N_("add an action item"))
    meeting = get_meeting(session=session, meeting_id=meeting_id)
    if not data.get("lead_org_id"):
        raise ValidationFailed(N_("Choose the lead organisation of the new action item."))
    due = data.get("due_date")
    if isinstance(due, date) and due < meeting.held_on:
        raise ValidationFailed(N_("The due date is before the meeting ({d}): choose a later date."),
                               d=meeting.held_on.isoformat())
    area = session.get(CommitmentArea, data.get("area_id") or 0)
    values = {"start_date": meeting.held_on, **({"category": area.category} if area else {}),
              **{k: v for k, v in data.items() if v not in (None, "")}, "meeting_id": meeting.id}
    return create_item(session=session, actor=actor, data=values, now=now, commit=commit)


def record_decision(*, session: Session, actor: User, meeting_id: int, text: str, item_id: Optional[int] = None,
                    new_item: Optional[dict] = None, now: Optional[datetime] = None) -> Decision:
    """A decision of the meeting (at most DECISION_LIMIT characters), about an existing item,
    or creating one (`new_item`: the item form's fields), in one transaction; audited as
    record_decision on the decision. Raises PermissionDenied, NotFound, ValidationFailed."""
    require_structure(actor, N_("record a decision"))
    meeting = get_meeting(session=session, meeting_id=meeting_id)
    text = clean_text(text) or ""  # the text gate first: the audit event carries it too
    if not text:
        raise ValidationFailed(N_("Write the decision first."))
    if len(text) > DECISION_LIMIT:
        raise ValidationFailed(N_("The decision is too long ({n} characters; at most {limit})."),
                               n=len(text), limit=DECISION_LIMIT)
    if new_item is not None and item_id is not None:
        raise ValidationFailed(N_("Either create a new action item or link an existing one, not both."))
    if new_item is not None:
        item_id = create_meeting_item(session=session, actor=actor, meeting_id=meeting.id, data=new_item,
                                      now=now, commit=False).id
    elif item_id is not None and session.get(ActionItem, item_id) is None:
        raise NotFound(N_("No action item with id {id}."), id=item_id)
    decision = Decision(meeting_id=meeting.id, text=text, item_id=item_id)
    session.add(decision)
    session.flush()
    record_event(session=session, actor=actor, action="record_decision", object_type="decision",
                 object_id=decision.id, after={"meeting_id": meeting.id, "item_id": item_id, "text": text})
    session.commit()
    return decision


@dataclass(frozen=True)
class ItemNow:
    id: int
    title: str
    status: str
    progress: int
    due: Optional[date]
    rag: Optional[str]
    owner: Optional[str]


def items_now(session: Session, ids: list[int], today: date, lang: str) -> dict[int, ItemNow]:
    if not ids:
        return {}
    rows = session.exec(select(ActionItem).where(ActionItem.id.in_(ids))).all()
    return {i.id: ItemNow(i.id, display(i, "title", lang), i.status, i.progress, i.due_date, rules.compute_rag(
        status=i.status, progress=i.progress, start=i.start_date, due=i.due_date,
        last_update=rules.as_date(i.last_update_at or i.created_at), today=today), i.owner_name) for i in rows}


@dataclass
class MeetingRecord:
    meeting: Meeting
    decisions: list[tuple[Decision, Optional[ItemNow]]]
    new_items: list[ItemNow]
    previous: Optional[Meeting]


def meeting_record(*, session: Session, meeting_id: int, today: date, lang: str = "en") -> MeetingRecord:
    """A meeting, its decisions with their items now, the items created at it, and the body's
    previous meeting."""
    meeting = get_meeting(session=session, meeting_id=meeting_id)
    decisions = session.exec(select(Decision).where(Decision.meeting_id == meeting.id).order_by(Decision.id)).all()
    created = session.exec(select(ActionItem.id).where(ActionItem.meeting_id == meeting.id)
                           .order_by(ActionItem.id)).all()
    items = items_now(session, [d.item_id for d in decisions if d.item_id] + list(created), today, lang)
    return MeetingRecord(meeting, [(d, items.get(d.item_id)) for d in decisions], [items[i] for i in created],
                         last_meeting(session=session, body_id=meeting.body_id, before=meeting.held_on))
