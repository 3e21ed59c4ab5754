"""Joint working group meetings: the register, decisions that become action items, and
"what changed since" a date (by default the last meeting of the body)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from typing import Optional

from pydantic import Field
from sqlalchemy import and_, func
from sqlmodel import Session, select

from models import ActionItem, CommitmentArea, Decision, ItemStatus, Meeting, ProgressUpdate, RAG, User
from services import rules
from services.audit.trail import record_event
from models.text import clean_text
from services.errors import NotFound, ValidationFailed, checked_text
from services.i18n.translate import N_
from services.i18n.content import display
from services.permissions import require_structure
from services.items.states import item_states
from services.agreements.setup import FormInput, create_item, validate

CLOSED = (ItemStatus.COMPLETED.value, ItemStatus.CANCELLED.value)


class MeetingInput(FormInput):
    table = Meeting
    body: str = Field(min_length=3)
    held_on: date
    venue: Optional[str] = None
    attendees_my: Optional[str] = None
    attendees_counterpart: Optional[str] = None
    summary: Optional[str] = None


def list_bodies(*, session: Session) -> list[str]:
    return list(session.exec(select(Meeting.body).distinct().order_by(Meeting.body)).all())


def list_meetings(*, session: Session, body: Optional[str] = None) -> list[Meeting]:
    stmt = select(Meeting).order_by(Meeting.held_on.desc(), Meeting.id.desc())
    if body:
        stmt = stmt.where(Meeting.body == body)
    return list(session.exec(stmt).all())


def save_meeting(*, session: Session, actor: User, data: dict, meeting_id: Optional[int] = None) -> Meeting:
    require_structure(actor, N_("record meetings"))
    inp = validate(MeetingInput, data)
    values = inp.model_dump()
    if meeting_id is None:
        meeting = Meeting(**values, created_by_id=actor.id)
    else:
        meeting = session.get(Meeting, meeting_id)
        if meeting is None:
            raise NotFound(N_("No meeting with id {id}."), id=meeting_id)
    before = {k: getattr(meeting, k) for k in values} if meeting_id else None
    for k, v in values.items():
        setattr(meeting, k, v)
    session.add(meeting)
    session.flush()
    record_event(session=session, actor=actor, action="edit_meeting" if meeting_id else "create_meeting",
                 object_type="meeting", object_id=meeting.id, before=before, after=values)
    session.commit()
    return meeting


def add_decision(*, session: Session, actor: User, meeting_id: int, text: str,
                 new_item: Optional[dict] = None, item_id: Optional[int] = None,
                 now: Optional[datetime] = None) -> Decision:
    """Record a decision; with `new_item` (the item form's fields) it becomes an action item
    linked to the meeting, or it can point at an existing item. All in one transaction."""
    require_structure(actor, N_("record decisions"))
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(N_("No meeting with id {id}."), id=meeting_id)
    text = clean_text(text)
    if not text:
        raise ValidationFailed(N_("Write the decision (1 to 5000 characters)."))
    text = checked_text(Decision, "text", text, label=N_("Decision"))
    if new_item is not None and item_id is not None:
        raise ValidationFailed(N_("Either create a new action item or link an existing one, not both."))
    if new_item is not None:
        item_id = create_item(session=session, actor=actor, data={**new_item, "meeting_id": meeting.id},
                              now=now, commit=False).id
    elif item_id is not None and session.get(ActionItem, item_id) is None:
        raise ValidationFailed(N_("No action item with id {id}."), id=item_id)
    decision = Decision(meeting_id=meeting.id, text=text, item_id=item_id)
    session.add(decision)
    session.flush()
    record_event(session=session, actor=actor, action="add_decision", object_type="meeting",
                 object_id=meeting.id, after={"decision_id": decision.id, "text": text, "item_id": item_id})
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


@dataclass
class MeetingDetail:
    meeting: Meeting
    decisions: list[tuple[Decision, Optional[ItemNow]]]
    previous: Optional[Meeting]


def _items_now(session: Session, ids: list[int], today: date, lang: str) -> dict[int, ItemNow]:
    if not ids:
        return {}
    rows = session.exec(select(ActionItem).where(ActionItem.id.in_(ids))).all()
    return {i.id: ItemNow(i.id, display(i, "title", lang), i.status, i.progress, i.due_date, rules.compute_rag(
        status=i.status, progress=i.progress, start=i.start_date, due=i.due_date,
        last_update=rules.as_date(i.last_update_at or i.created_at), today=today)) for i in rows}


def get_meeting_detail(*, session: Session, meeting_id: int, today: date, lang: str = "en") -> MeetingDetail:
    """A meeting, its decisions with their items' state now (titles in `lang`), and the body's
    previous meeting."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(N_("No meeting with id {id}."), id=meeting_id)
    decisions = session.exec(select(Decision).where(Decision.meeting_id == meeting.id).order_by(Decision.id)).all()
    items = _items_now(session, [d.item_id for d in decisions if d.item_id], today, lang)
    previous = session.exec(select(Meeting).where(
        Meeting.body == meeting.body, Meeting.held_on < meeting.held_on).order_by(Meeting.held_on.desc())).first()
    return MeetingDetail(meeting, [(d, items.get(d.item_id)) for d in decisions], previous)


def last_meeting_date(*, session: Session, body: Optional[str], today: date) -> Optional[date]:
    """The default "since": the body's latest meeting on or before today."""
    stmt = select(func.max(Meeting.held_on)).where(Meeting.held_on <= today)
    if body:
        stmt = stmt.where(Meeting.body == body)
    return session.exec(stmt).one()


def body_agreement_ids(*, session: Session, body: str) -> Optional[list[int]]:
    """The agreements a body works on, read from the items its decisions created or named;
    None (every agreement) while it has no such decision."""
    rows = session.exec(
        select(CommitmentArea.agreement_id).distinct()
        .join(ActionItem, ActionItem.area_id == CommitmentArea.id)
        .join(Decision, Decision.item_id == ActionItem.id)
        .join(Meeting, Meeting.id == Decision.meeting_id)
        .where(Meeting.body == body)
    ).all()
    return sorted(rows) or None


@dataclass
class Changes:
    since: date
    turned_red: list[ItemNow] = field(default_factory=list)
    improved: list[ItemNow] = field(default_factory=list)
    completed: list[ItemNow] = field(default_factory=list)
    no_update: list[ItemNow] = field(default_factory=list)


def what_changed_since(*, session: Session, since: date, today: date,
                       agreement_ids: Optional[list[int]] = None, lang: str = "en") -> Changes:
    """Compare each live item's state at the start of `since` with now: items that turned
    Red, improved (progress rose, not completed), completed, or had no update since."""
    cut = datetime.combine(since, time.min, tzinfo=timezone.utc)
    last_before = (select(ProgressUpdate.item_id, func.max(ProgressUpdate.ts).label("ts"))
                   .where(ProgressUpdate.ts < cut).group_by(ProgressUpdate.item_id).subquery())
    then = {r[0]: r[1:] for r in session.exec(
        select(ProgressUpdate.item_id, ProgressUpdate.status_after, ProgressUpdate.progress_after, ProgressUpdate.ts)
        .join(last_before, and_(last_before.c.item_id == ProgressUpdate.item_id, last_before.c.ts == ProgressUpdate.ts))
    ).all()}
    updated = set(session.exec(select(ProgressUpdate.item_id).where(ProgressUpdate.ts >= cut).distinct()).all())
    states = item_states(session, agreement_ids=agreement_ids)
    created = dict(session.exec(select(ActionItem.id, ActionItem.created_at)).all())
    out = Changes(since=since)
    changed: dict[str, list[int]] = {"turned_red": [], "improved": [], "completed": [], "no_update": []}
    for s in states:
        if created[s.id] >= cut:
            continue  # did not exist yet: new items are not "changes" of an old state
        status0, progress0, ts0 = then.get(s.id, (ItemStatus.NOT_STARTED.value, 0, created[s.id]))
        rag0 = rules.compute_rag(status=status0, progress=progress0, start=s.start, due=s.due,
                                 last_update=rules.as_date(ts0), today=since)
        if s.rag(today) == RAG.RED and rag0 != RAG.RED:
            changed["turned_red"].append(s.id)
        if s.status == ItemStatus.COMPLETED and status0 != ItemStatus.COMPLETED:
            changed["completed"].append(s.id)
        elif s.progress > progress0:
            changed["improved"].append(s.id)
        if s.id not in updated and s.status not in CLOSED:
            changed["no_update"].append(s.id)
    lines = _items_now(session, [i for ids in changed.values() for i in ids], today, lang)
    for name, ids in changed.items():
        getattr(out, name).extend(sorted((lines[i] for i in ids), key=lambda x: (x.due is None, x.due, x.id)))
    return out
