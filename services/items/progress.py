"""Action items: the progress update, the one write every feature shares.

The history (ProgressUpdate) is append-only and the item's current status and progress
always equal its last update: both are written in the same transaction."""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, select

from models import (
    ActionItem, AuditEvent, ItemStatus, ItemSupport, Milestone, ProgressUpdate, RAG, User, utcnow,
)
from models.text import clean_text, text_limit
from services import rules
from services.audit.trail import record_event, to_json
from services.errors import ConfirmationNeeded, Joined, Message, NotFound, Plural, StaleVersion, ValidationFailed
from services.i18n.translate import N_
from services.permissions import can_edit_structure, require_item_update

NOTE_REQUIRED_STATUSES = {ItemStatus.ON_HOLD.value, ItemStatus.CANCELLED.value}
MAX_NOTE = text_limit(ProgressUpdate, "note")  # declared on the table (models/tables.py)
MAX_URL = text_limit(ProgressUpdate, "evidence_url")


def get_item(session: Session, item_id: int) -> ActionItem:
    item = session.get(ActionItem, item_id)
    if item is None:
        raise NotFound(N_("No action item with id {id}."), id=item_id)
    return item


def item_org_ids(session: Session, item: ActionItem) -> list[Optional[int]]:
    support = session.exec(select(ItemSupport.organisation_id).where(ItemSupport.item_id == item.id)).all()
    return [item.lead_org_id, *support]


def check_evidence_url(url: Optional[str]) -> Optional[str]:
    url = clean_text(url)
    if not url:
        return None
    if not url.lower().startswith(("https://", "http://")) or len(url) > MAX_URL or any(c.isspace() for c in url):
        raise ValidationFailed(N_("The evidence link must be a web address starting with https:// (or http://)."))
    return url


def check_progress_change(
    *, item: ActionItem, status: str, progress: int, note: Optional[str], today: date,
) -> list[Message]:
    """Every reason the change cannot be saved (empty when it can)."""
    problems: list[Message] = []
    try:
        rules.check_status_progress(status, progress)
    except rules.RuleError as exc:
        return [exc.message]
    note = clean_text(note) or ""
    if len(note) > MAX_NOTE:
        problems.append(Message(N_("The note is too long ({n} characters; at most {limit})."), n=len(note), limit=MAX_NOTE))
    if not note and status in NOTE_REQUIRED_STATUSES and status != item.status:
        problems.append(Message(N_("Add a note saying why the item is put on hold or cancelled.")))
    rag = rules.compute_rag(status=status, progress=progress, start=item.start_date,
                            due=item.due_date, last_update=today, today=today)
    if not note and rag == RAG.RED:
        problems.append(Message(N_("This item is rated Red: add a note on what is being done about it.")))
    return problems


def open_milestones(session: Session, item_id: int) -> list[str]:
    return list(session.exec(
        select(Milestone.title).where(Milestone.item_id == item_id, Milestone.completed_on.is_(None))
        .order_by(Milestone.due_date, Milestone.id)
    ).all())


def check_open_milestones(session: Session, item: ActionItem, status: str) -> list[Message]:
    """Completing an item whose checklist is not done needs the user's confirmation."""
    if status != ItemStatus.COMPLETED or item.status == ItemStatus.COMPLETED:
        return []
    titles = open_milestones(session, item.id)
    if not titles:
        return []
    return [Plural(N_("{n} milestone is still open ({titles}): confirm that the item is complete anyway, "
                      "or complete the milestone first."),
                   N_("{n} milestones are still open ({titles}): confirm that the item is complete anyway, "
                      "or complete the milestones first."), n=len(titles), titles="; ".join(titles))]


def require_confirmation(session: Session, item: ActionItem, status: str, confirmed: bool) -> None:
    problems = [] if confirmed else check_open_milestones(session, item, status)
    if problems:
        raise ConfirmationNeeded(problems[0], problems)


def update_progress(
    *,
    session: Session,
    actor: User,
    item_id: int,
    expected_version: int,
    status: str,
    progress: int,
    note: Optional[str] = None,
    evidence_url: Optional[str] = None,
    source: str = "web",
    now: Optional[datetime] = None,
    confirm_open_milestones: bool = False,
) -> ProgressUpdate:
    """Record one progress update and commit; refuses a save based on an out-of-date version."""
    item = get_item(session, item_id)
    update = stage_progress_update(
        session=session, actor=actor, item=item, expected_version=expected_version,
        status=status, progress=progress, note=note, evidence_url=evidence_url,
        source=source, now=now, confirm_open_milestones=confirm_open_milestones,
    )
    commit_or_stale(session, item)
    return update


def stage_progress_update(
    *,
    session: Session,
    actor: User,
    item: ActionItem,
    expected_version: int,
    status: str,
    progress: int,
    note: Optional[str] = None,
    evidence_url: Optional[str] = None,
    source: str = "web",
    now: Optional[datetime] = None,
    confirm_open_milestones: bool = False,
    changes: Optional[dict] = None,
) -> ProgressUpdate:
    """Check and add one update to the caller's transaction without committing, so a batch
    (bulk edit) can apply many updates all-or-nothing.

    `changes` ({field: [old, new]}) records other fields the caller changed on the item in the
    same step (owner, due date), so the history shows them beside the status change."""
    now = now or utcnow()
    # Secretariat and admin may update any item: skip the per-item query.
    org_ids = [] if can_edit_structure(actor) or item.archived else item_org_ids(session, item)
    note, evidence_url = check_progress_update(
        actor=actor, item=item, org_ids=org_ids, status=status, progress=progress, note=note,
        evidence_url=evidence_url, changes=changes, today=now.date())
    require_confirmation(session, item, status, confirm_open_milestones)
    if item.version != expected_version:
        raise stale_error(session, item)
    values, event = progress_update_values(
        actor=actor, item=item, status=status, progress=progress, note=note,
        evidence_url=evidence_url, source=source, now=now, changes=changes)
    update = ProgressUpdate(**values)
    item.status, item.progress, item.last_update_at = status, progress, now
    session.add_all([item, update])
    record_event(session=session, **event)
    return update


def check_progress_update(
    *, actor: User, item: ActionItem, org_ids: list[Optional[int]], status: str, progress: int,
    note: Optional[str], evidence_url: Optional[str], changes: Optional[dict], today: date,
) -> tuple[Optional[str], Optional[str]]:
    """Every check of one progress update that needs no query, in the order the single-item
    and the batch paths (Excel import) both apply them; returns the cleaned note and link.
    `item` needs only archived, title, status, progress, start_date and due_date."""
    if item.archived:
        raise ValidationFailed(N_("'{title}' is archived: restore it before updating it."), title=item.title)
    require_item_update(actor, org_ids, item.title)
    evidence_url = check_evidence_url(evidence_url)
    note = clean_text(note)
    if (status, progress) == (item.status, item.progress) and not (note or evidence_url or changes):
        raise ValidationFailed(N_("Nothing changed: change the status or progress, or add a note."))
    problems = check_progress_change(item=item, status=status, progress=progress, note=note, today=today)
    if problems:
        raise ValidationFailed(N_("The update was not saved: {details}"), problems, details=Joined(problems))
    return note, evidence_url


def progress_update_values(
    *, actor: User, item: ActionItem, status: str, progress: int, note: Optional[str],
    evidence_url: Optional[str], source: str, now: datetime, changes: Optional[dict],
) -> tuple[dict, dict]:
    """The ProgressUpdate row and the audit event's arguments (record_event / event_values)
    for one update of `item` (its values before the update): one definition for both paths."""
    values = dict(
        item_id=item.id, ts=now, author_id=actor.id, status_before=item.status,
        status_after=status, progress_before=item.progress, progress_after=progress,
        note=note, evidence_url=evidence_url, source=source,
        changes=to_json(changes) if changes else None, is_sample=False,
    )
    event = dict(
        actor=actor, action="update_progress", object_type="item", object_id=item.id,
        before={"status": item.status, "progress": item.progress, "version": item.version},
        after={"status": status, "progress": progress, **({"changes": changes} if changes else {})},
        detail=source,
    )
    return values, event


def commit_or_stale(session: Session, item: ActionItem) -> None:
    """Commit; if another writer got there first, roll back and say who and when."""
    try:
        session.commit()
    except StaleDataError:
        session.rollback()
        session.expire_all()
        raise stale_error(session, get_item(session, item.id)) from None


def stale_error(session: Session, item: ActionItem) -> StaleVersion:
    """Who changed the item last and when, from the audit trail every write leaves."""
    last = session.exec(
        select(AuditEvent).where(AuditEvent.object_type == "item", AuditEvent.object_id == item.id)
        .order_by(AuditEvent.ts.desc(), AuditEvent.id.desc())
    ).first()
    note = session.exec(
        select(ProgressUpdate.note).where(ProgressUpdate.item_id == item.id)
        .order_by(ProgressUpdate.ts.desc(), ProgressUpdate.id.desc())
    ).first()
    who = when = None
    if last is not None:
        author = session.get(User, last.user_id) if last.user_id else None
        who, when = (author.display_name if author else last.username or "unknown"), last.ts
    current = {"status": item.status, "progress": item.progress, "version": item.version,
               "due_date": item.due_date, "owner_name": item.owner_name, "note": note}
    if who and when:
        # {when} reads in local time with its zone named (services.errors.render).
        key = N_("'{title}' was changed by {who} at {when} after you opened it. Your input is kept on this "
                 "page but not saved: review their change, then save yours on top of it.")
    else:
        key = N_("'{title}' was changed after you opened it. Your input is kept on this page but not saved: "
                 "review their change, then save yours on top of it.")
    named = who if who != "unknown" else Message(N_("an unknown user"))  # no account behind the event
    return StaleVersion(Message(key, title=item.title, who=named, when=when),
                        current=current, changed_by=who, changed_at=when)
