"""Meeting mode: the bodies that meet, the agenda built from their agreements, what changed
since the last meeting, and the writes made during a meeting (a decision, a new action item).
Issue 4 builds the full meeting record (services/meetings/register.py); these are the few functions
the presenter view needs, with the same permission and audit rules."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Optional

from sqlmodel import Session, select

from models import ActionItem, Agreement, Category, CommitmentArea, Decision, ItemStatus, Meeting, RAG, User
from services.overview import filtered
from services import rules
from services.audit.trail import record_event
from services.overview.filtered import Filters
from services.i18n.translate import N_
from services.i18n.content import display
from models.text import clean_text, text_limit
from services.errors import NotFound, ValidationFailed, checked_text
from services.overview.figures import ItemLine, Kpis, area_progress, item_lines, kpis_from, relevance
from services.permissions import require_structure

ALL_AGREEMENTS = N_("All agreements (secretariat review)")  # a sentinel body, shown translated
ITEMS_PER_AGREEMENT = 8


def list_bodies(*, session: Session) -> list[str]:
    """Bodies that meet: each joint working group an agreement sets up, and any body with a
    recorded meeting; then the secretariat's review of everything."""
    jwg = session.exec(select(CommitmentArea.title_en).where(
        CommitmentArea.category == Category.JOINT_WORKING_GROUP.value, ~CommitmentArea.archived)).all()
    met = session.exec(select(Meeting.body).distinct()).all()
    return sorted((set(jwg) | set(met)) - {ALL_AGREEMENTS}) + [ALL_AGREEMENTS]


def body_agreements(*, session: Session, body: Optional[str]) -> list[Agreement]:
    """The agreements a body follows: those whose working-group area names it, and those with
    items recorded at its meetings. No body (or none found): every live agreement."""
    live = select(Agreement).where(~Agreement.archived).order_by(Agreement.code)
    if not body or body == ALL_AGREEMENTS:
        return list(session.exec(live).all())
    by_area = select(CommitmentArea.agreement_id).where(CommitmentArea.title_en == body)
    by_meeting = (select(CommitmentArea.agreement_id)
                  .join(ActionItem, ActionItem.area_id == CommitmentArea.id)
                  .join(Meeting, Meeting.id == ActionItem.meeting_id).where(Meeting.body == body))
    found = session.exec(live.where(Agreement.id.in_(by_area.union(by_meeting)))).all()
    return list(found) or list(session.exec(live).all())


@dataclass
class AgendaPoint:
    kind: str  # "agreement" or "item"
    agreement_id: int
    code: str
    title: str
    kpis: Optional[Kpis] = None
    areas: list = field(default_factory=list)
    item: Optional[ItemLine] = None
    reasons: list[str] = field(default_factory=list)
    more: int = 0  # items needing discussion beyond those on the agenda
    status_counts: dict[str, int] = field(default_factory=dict)


def item_reasons(line: ItemLine, today: date) -> list[str]:
    out = []
    if rules.is_overdue(status=line.status, due=line.due, today=today):
        out.append(N_("Overdue"))
    if line.rag == RAG.RED:
        out.append(N_("Red"))
    if line.status not in (ItemStatus.COMPLETED, ItemStatus.CANCELLED) and rules.is_stale(line.last_update, today):
        out.append(N_("Out of date"))
    return out


def build_agenda(*, session: Session, body: Optional[str], today: date,
                 per_agreement: int = ITEMS_PER_AGREEMENT, lang: str = "en") -> list[AgendaPoint]:
    """Each agreement of the body, followed by its Red, overdue and out-of-date items; titles
    of agreements, areas and items in `lang` (marked when they fall back to another)."""
    labels = filtered.area_labels(session=session, lang=lang)
    points: list[AgendaPoint] = []
    for a in body_agreements(session=session, body=body):
        states = filtered.current_states(session=session, filters=Filters(agreements=(a.code,)))
        in_force = int(a.status == "in_force" and (a.signed_on is None or a.signed_on <= today))
        flagged = [s for s in sorted(states, key=lambda s: relevance(s, today))
                   if rules.is_overdue(status=s.status, due=s.due, today=today) or s.rag(today) == RAG.RED
                   or (s.status not in (ItemStatus.COMPLETED, ItemStatus.CANCELLED) and rules.is_stale(s.last_update, today))]
        points.append(AgendaPoint(
            "agreement", a.id, a.code, display(a, "title", lang), kpis=kpis_from(states, today=today, in_force=in_force),
            areas=area_progress(states, labels, today=today), more=max(0, len(flagged) - per_agreement),
            status_counts=dict(Counter(s.status for s in states)),
        ))
        for line in item_lines(session=session, states=flagged[:per_agreement], today=today, lang=lang):
            points.append(AgendaPoint("item", a.id, a.code, line.title, item=line,
                                      reasons=item_reasons(line, today)))
    return points


def last_meeting(*, session: Session, body: str, before: date) -> Optional[Meeting]:
    return session.exec(select(Meeting).where(Meeting.body == body, Meeting.held_on < before)
                        .order_by(Meeting.held_on.desc(), Meeting.id.desc())).first()


def ensure_meeting(*, session: Session, actor: User, body: str, held_on: date) -> Meeting:
    """The meeting of `body` on `held_on`, created (and audited) on first use."""
    require_structure(actor, N_("record a meeting"))
    body = clean_text(body)
    if not body or len(body) > text_limit(Meeting, "body"):
        raise ValidationFailed(N_("Name the body that meets (at most 300 characters)."))
    meeting = session.exec(select(Meeting).where(Meeting.body == body, Meeting.held_on == held_on)).first()
    if meeting is None:
        meeting = Meeting(body=body, held_on=held_on, created_by_id=actor.id)
        session.add(meeting)
        session.flush()
        record_event(session=session, actor=actor, action="create_meeting", object_type="meeting",
                     object_id=meeting.id, after={"body": body, "held_on": held_on})
        session.commit()
    return meeting


# What _clean refuses, per text: (empty, too long), whole sentences for the translators.
CLEAN = {
    "decision": (N_("Write the decision first."),
                 N_("The decision is too long ({n} characters; at most {limit}).")),
    "title": (N_("Write the action item's title first."),
              N_("The action item's title is too long ({n} characters; at most {limit}).")),
}


# The table field each text is stored in: its limit is the table's (models/tables.py).
STORED_IN = {"decision": (Decision, "text"), "title": (ActionItem, "title")}


def _clean(text: Optional[str], what: str) -> str:
    """The text through the gate (models/text.py), refused in whole sentences."""
    text = clean_text(text) or ""
    limit = text_limit(*STORED_IN[what])
    empty, too_long = CLEAN[what]
    if not text:
        raise ValidationFailed(empty)
    if len(text) > limit:
        raise ValidationFailed(too_long, n=len(text), limit=limit)
    return text


def record_decision(*, session: Session, actor: User, meeting_id: int, text: str,
                    item_id: Optional[int] = None) -> Decision:
    require_structure(actor, N_("record a decision"))
    if session.get(Meeting, meeting_id) is None:
        raise NotFound(N_("No meeting with id {id}."), id=meeting_id)
    if item_id is not None and session.get(ActionItem, item_id) is None:
        raise NotFound(N_("No action item with id {id}."), id=item_id)
    decision = Decision(meeting_id=meeting_id, text=_clean(text, "decision"), item_id=item_id)
    session.add(decision)
    session.flush()
    record_event(session=session, actor=actor, action="record_decision", object_type="decision",
                 object_id=decision.id, after={"meeting_id": meeting_id, "item_id": item_id, "text": decision.text})
    session.commit()
    return decision


def create_meeting_item(*, session: Session, actor: User, meeting_id: int, area_id: int, title: str,
                        due_date: Optional[date] = None, start_date: Optional[date] = None,
                        owner_name: Optional[str] = None) -> ActionItem:
    """A new action item agreed at the meeting; it carries the meeting's id, so it lands in
    the meeting's record. Led by the agreement's lead organisation until someone changes it."""
    require_structure(actor, N_("add an action item"))
    meeting = session.get(Meeting, meeting_id)
    area = session.get(CommitmentArea, area_id)
    if meeting is None or area is None or area.archived:
        raise NotFound(N_("The meeting or the commitment area no longer exists."))
    if due_date and start_date and due_date < start_date:
        raise ValidationFailed(N_("The due date is before the start date."))
    owner = checked_text(ActionItem, "owner_name", owner_name, label=N_("Owner name"))
    agreement = session.get(Agreement, area.agreement_id)
    item = ActionItem(area_id=area.id, title=_clean(title, "title"), category=area.category,
                      lead_org_id=agreement.lead_org_id, start_date=start_date or meeting.held_on,
                      due_date=due_date, owner_name=owner, meeting_id=meeting.id)
    session.add(item)
    session.flush()
    record_event(session=session, actor=actor, action="create_item", object_type="item", object_id=item.id,
                 after={"title": item.title, "area_id": area.id, "due_date": due_date, "meeting_id": meeting.id})
    session.commit()
    return item


def meeting_record(*, session: Session, meeting_id: int) -> tuple[list[Decision], list[ActionItem]]:
    decisions = session.exec(select(Decision).where(Decision.meeting_id == meeting_id).order_by(Decision.id)).all()
    items = session.exec(select(ActionItem).where(ActionItem.meeting_id == meeting_id).order_by(ActionItem.id)).all()
    return list(decisions), list(items)


def find_meeting(*, session: Session, body: str, held_on: date) -> Optional[Meeting]:
    return session.exec(select(Meeting).where(Meeting.body == body, Meeting.held_on == held_on)).first()


def agreement_areas(*, session: Session, agreement_id: int, lang: str = "en") -> list[tuple[int, str]]:
    return [(area.id, display(area, "title", lang)) for area in session.exec(
        select(CommitmentArea)
        .where(CommitmentArea.agreement_id == agreement_id, ~CommitmentArea.archived)
        .order_by(CommitmentArea.position, CommitmentArea.id)).all()]
