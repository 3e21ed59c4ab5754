"""One action item in full: where it comes from, who does it, its checklist, evidence and
history; and the milestone and evidence writes focal points make on their items."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Optional

from sqlmodel import Session, select

from services.i18n.content import display
from models import (
    JointBody,
    ActionItem, Agreement, AuditEvent, CommitmentArea, EvidenceLink, ItemSupport, Meeting,
    Milestone, Organisation, ProgressUpdate, SourceDocument, User, utcnow,
)
from models.text import clean_text, text_limit
from services.audit.trail import record_event
from services.errors import NotFound, ValidationFailed, checked_text
from services.items.progress import check_evidence_url, get_item, item_org_ids
from services.permissions import require_item_update
from services.items.states import ItemState
from services.i18n.translate import N_, gettext
from services.labels import status_label

# Item edits that are not progress updates, shown in the history beside the updates.
EDIT_ACTIONS = ("create_item", "edit_item", "archive_item", "restore_item")
FIELD_LABELS = {"status": N_("Status"), "progress": N_("Progress"), "owner_name": N_("Owner"),
                "due_date": N_("Due date"), "start_date": N_("Start date"), "title": N_("Title"),
                "lead_org_id": N_("Lead organisation")}
SOURCE_LABELS = {"web": N_("Dashboard"), "bulk": N_("Bulk edit"), "import": N_("Excel import"),
                 "cli": N_("Command line"), "seed": N_("Seed")}
EDIT_LABELS = {"create_item": N_("Created"), "edit_item": N_("Edited"), "archive_item": N_("Archived"),
               "restore_item": N_("Restored")}


@dataclass(frozen=True)
class HistoryEntry:
    ts: datetime
    who: str
    what: list[str]  # "Status: In progress -> Completed"
    note: Optional[str]
    evidence_url: Optional[str]
    source: str


@dataclass(frozen=True)
class Evidence:
    """One evidence link of an item, wherever it was given: the Evidence form (label as
    typed) or a progress update (the update's note as its label)."""
    url: str
    label: Optional[str]
    added_at: datetime
    with_update: bool  # given with a progress update (form, bulk edit or import)


@dataclass
class ItemDetail:
    item: ActionItem
    agreement: Agreement
    area: CommitmentArea
    clause: Optional[str]
    lead: Optional[Organisation]
    supporting: list[Organisation]
    milestones: list[Milestone]
    evidence: list[Evidence]
    history: list[HistoryEntry]
    meeting: Optional[Meeting]
    rag: Optional[str]
    meeting_body: str = ""  # the joint body of `meeting`, in the reader's language


def get_item_detail(*, session: Session, item_id: int, today: date, lang: str = "en") -> ItemDetail:
    item = get_item(session, item_id)
    area = session.get(CommitmentArea, item.area_id)
    agreement = session.get(Agreement, area.agreement_id)
    clause = None
    if area.source_document_id and area.quote_start is not None:
        doc = session.get(SourceDocument, area.source_document_id)
        clause = doc.text[area.quote_start:area.quote_end] if doc else None
    support = session.exec(
        select(Organisation).join(ItemSupport, ItemSupport.organisation_id == Organisation.id)
        .where(ItemSupport.item_id == item.id).order_by(Organisation.acronym)).all()
    state = ItemState(item.id, item.area_id, item.status, item.progress, item.weight, item.start_date,
                      item.due_date, (item.last_update_at or item.created_at).date())
    meeting = session.get(Meeting, item.meeting_id) if item.meeting_id else None
    return ItemDetail(
        item=item, agreement=agreement, area=area, clause=clause,
        lead=session.get(Organisation, item.lead_org_id) if item.lead_org_id else None,
        supporting=list(support), milestones=list_milestones(session, item.id),
        evidence=list_evidence(session=session, item_id=item.id),
        history=item_history(session=session, item_id=item.id, lang=lang),
        meeting=meeting, rag=state.rag(today),
        meeting_body=display(session.get(JointBody, meeting.body_id), "name", lang)
        if meeting is not None and meeting.body_id is not None else "",
    )


def _value(name: str, value: object, lang: str) -> str:
    if value is None or value == "":
        return "–"
    if name == "status":
        return status_label(str(value), lang)
    if name == "progress":
        return f"{value}%"
    return str(value)


def _change(name: str, old: object, new: object, lang: str) -> str:
    field = gettext(lang, FIELD_LABELS[name]) if name in FIELD_LABELS else name
    return f"{field}: {_value(name, old, lang)} -> {_value(name, new, lang)}"


def item_history(*, session: Session, item_id: int, lang: str = "en") -> list[HistoryEntry]:
    """Progress updates and item edits, newest first, each with what changed (old -> new)."""
    names = {u.id: u.display_name for u in session.exec(select(User)).all()}
    entries = []
    for u in session.exec(select(ProgressUpdate).where(ProgressUpdate.item_id == item_id)).all():
        what = []
        if u.status_before != u.status_after:
            what.append(_change("status", u.status_before, u.status_after, lang))
        if u.progress_before != u.progress_after:
            what.append(_change("progress", u.progress_before, u.progress_after, lang))
        for name, (old, new) in json.loads(u.changes or "{}").items():
            what.append(_change(name, old, new, lang))
        source = gettext(lang, SOURCE_LABELS[u.source]) if u.source in SOURCE_LABELS else u.source
        entries.append(HistoryEntry(u.ts, names.get(u.author_id, "unknown"), what, u.note,
                                    u.evidence_url, source))
    events = session.exec(select(AuditEvent).where(
        AuditEvent.object_type == "item", AuditEvent.object_id == item_id,
        AuditEvent.action.in_(EDIT_ACTIONS))).all()
    for e in events:
        before, after = json.loads(e.before or "{}"), json.loads(e.after or "{}")
        what = [_change(k, before.get(k), after.get(k), lang) for k in after if k != "version"]
        label = gettext(lang, EDIT_LABELS[e.action])
        entries.append(HistoryEntry(e.ts, names.get(e.user_id, e.username or "unknown"),
                                    what or [label], e.detail, None, label))
    return sorted(entries, key=lambda h: h.ts, reverse=True)


def list_evidence(*, session: Session, item_id: int) -> list[Evidence]:
    """The one list of an item's evidence, newest first: links added on the Evidence form and
    links given with a progress update (each address once, at the time it was first given)."""
    added = session.exec(select(EvidenceLink).where(EvidenceLink.item_id == item_id)).all()
    given = session.exec(select(ProgressUpdate.evidence_url, ProgressUpdate.note, ProgressUpdate.ts).where(
        ProgressUpdate.item_id == item_id, ProgressUpdate.evidence_url.is_not(None))).all()
    entries = [Evidence(e.url, e.label, e.added_at, False) for e in added]
    entries += [Evidence(url, (note or "")[:120] or None, ts, True) for url, note, ts in given]
    first: dict[str, Evidence] = {}
    for entry in sorted(entries, key=lambda e: e.added_at):
        first.setdefault(entry.url, entry)
    return sorted(first.values(), key=lambda e: e.added_at, reverse=True)


def list_milestones(session: Session, item_id: int) -> list[Milestone]:
    return list(session.exec(select(Milestone).where(Milestone.item_id == item_id)
                             .order_by(Milestone.due_date.is_(None), Milestone.due_date, Milestone.id)).all())


def _writable_item(session: Session, actor: User, item_id: int) -> ActionItem:
    item = get_item(session, item_id)
    require_item_update(actor, item_org_ids(session, item), item.title)
    if item.archived:
        raise ValidationFailed(N_("'{title}' is archived: restore it before changing it."), title=item.title)
    return item


def add_milestone(*, session: Session, actor: User, item_id: int, title: str,
                  due_date: Optional[date] = None) -> Milestone:
    item = _writable_item(session, actor, item_id)
    title = clean_text(title)
    if not title or len(title) > text_limit(Milestone, "title"):
        raise ValidationFailed(N_("A milestone needs a title of 1 to 300 characters."))
    if due_date and item.start_date and due_date < item.start_date:
        raise ValidationFailed(N_("The milestone is due before the item starts."))
    milestone = Milestone(item_id=item.id, title=title, due_date=due_date)
    session.add(milestone)
    session.flush()
    record_event(session=session, actor=actor, action="add_milestone", object_type="milestone",
                 object_id=milestone.id, after={"item_id": item.id, "title": title, "due_date": due_date})
    session.commit()
    return milestone


def set_milestone_done(*, session: Session, actor: User, milestone_id: int, done: bool,
                       today: date) -> Milestone:
    """Complete (done=True, dated today) or reopen a milestone."""
    milestone = session.get(Milestone, milestone_id)
    if milestone is None:
        raise NotFound(N_("No milestone with id {id}."), id=milestone_id)
    _writable_item(session, actor, milestone.item_id)
    if done == (milestone.completed_on is not None):
        raise ValidationFailed(N_("The milestone is already complete.") if done else N_("The milestone is already open."))
    before = milestone.completed_on
    milestone.completed_on = today if done else None
    session.add(milestone)
    record_event(session=session, actor=actor, action="complete_milestone" if done else "reopen_milestone",
                 object_type="milestone", object_id=milestone.id,
                 before={"completed_on": before}, after={"completed_on": milestone.completed_on})
    session.commit()
    return milestone


def add_evidence(*, session: Session, actor: User, item_id: int, url: str,
                 label: Optional[str] = None, now: Optional[datetime] = None) -> EvidenceLink:
    item = _writable_item(session, actor, item_id)
    url = check_evidence_url(url)
    if not url:
        raise ValidationFailed(N_("Give the evidence link (a web address starting with https://)."))
    label = checked_text(EvidenceLink, "label", label, label=N_("Label"))
    link = EvidenceLink(item_id=item.id, url=url, label=label, added_by_id=actor.id, added_at=now or utcnow())
    session.add(link)
    session.flush()
    record_event(session=session, actor=actor, action="add_evidence", object_type="evidence",
                 object_id=link.id, after={"item_id": item.id, "url": url, "label": label})
    session.commit()
    return link
