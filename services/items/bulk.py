"""Bulk update: many rows of the items table changed at once, all-or-nothing.

Every row is checked before anything is written; a batch with any problem writes nothing
and returns each row's reasons. Each changed item gets its own ProgressUpdate (through
stage_progress_update) carrying the batch note; owner and due-date edits ride on that
update (recorded as old -> new) and bump the item's version with it."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from types import SimpleNamespace
from typing import Optional

from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, select

from models import ActionItem, ItemSupport, User, utcnow
from models.text import TextRefused, check_text, clean_text
from services.errors import Message, PermissionDenied, ServiceError, Text
from services.i18n.translate import N_
from services.items.input_rules import check_dates, parse_date, parse_progress, resolve_status_progress
from services.items.progress import (
    MAX_NOTE, check_open_milestones, check_progress_change, item_org_ids, stage_progress_update,
    stale_error,
)
from services.rules import RuleError
from services.permissions import can_edit_structure, can_update_item, can_update_some_items
from services.labels import STATUS_ORDER

EDITABLE = ("status", "progress", "due_date", "owner_name")
BATCH = Message(N_("Batch"))  # the row of a problem with the whole batch, not one item


@dataclass(frozen=True)
class BulkEdit:
    """One edited row: the version the user saw and the new values of the changed columns."""

    item_id: int
    expected_version: int
    changes: dict


@dataclass(frozen=True)
class RowProblem:
    item_id: int
    title: Text  # the item's title, or the batch as a whole (a Message)
    problems: list[Message]


@dataclass
class BulkResult:
    saved: list[int] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class _Plan:
    item: ActionItem
    expected_version: int
    status: str
    progress: int
    fields: dict  # owner_name / due_date -> (old, new)


def _new_values(item: ActionItem, changes: dict) -> tuple[str, int, Optional[date], dict]:
    """The row's resolved status, progress and due date, and the other fields it changes as
    (old, new); raises RuleError with the reason for an unreadable cell."""
    status, progress, fields = item.status, item.progress, {}
    if "progress" in changes:
        progress = parse_progress(changes["progress"])
    if "status" in changes:
        status = str(changes["status"])
        if status not in STATUS_ORDER:
            raise RuleError(N_("Unknown status '{status}'."), status=status[:40])
    status, progress = resolve_status_progress(
        old_status=item.status, old_progress=item.progress, status=status, progress=progress)
    due = item.due_date
    if "due_date" in changes:
        due = parse_date(changes["due_date"], N_("due date"))
        if due != item.due_date:
            fields["due_date"] = (item.due_date, due)
    if "owner_name" in changes:
        try:  # the text gate: the table's limit, the same on SQLite and PostgreSQL
            owner = check_text(ActionItem, "owner_name", str(changes["owner_name"] or ""))
        except TextRefused as exc:
            raise RuleError(N_("The owner's name is too long (at most {limit} characters)."), limit=exc.limit) from None
        if owner != item.owner_name:
            fields["owner_name"] = (item.owner_name, owner)
    return status, progress, due, fields


def _access_problems(session: Session, actor: User, item: ActionItem, edit: BulkEdit) -> list[Message]:
    problems = []
    unknown = set(edit.changes) - set(EDITABLE)
    if unknown:
        problems.append(Message(N_("These columns cannot be edited here: {columns}."),
                                columns=", ".join(sorted(map(str, unknown)))))
    if item.archived:
        problems.append(Message(N_("The item is archived: restore it first.")))
    if not can_update_item(actor, item_org_ids(session, item)):
        problems.append(Message(N_("You may not update this item (not led or supported by your organisation).")))
    return problems


def _plan_row(session: Session, actor: User, edit: BulkEdit, note: str, today: date,
              confirm: bool) -> tuple[Optional[_Plan], list[Message], str]:
    """The row's resolved change, or the reasons it cannot be saved."""
    item = session.get(ActionItem, edit.item_id)
    if item is None:
        return None, [Message(N_("No action item with id {id}."), id=edit.item_id)], f"#{edit.item_id}"
    problems = _access_problems(session, actor, item, edit)
    try:
        status, progress, due, fields = _new_values(item, edit.changes)
    except RuleError as exc:
        return None, [*problems, exc.message], item.title
    if "due_date" in fields and not can_edit_structure(actor):
        problems.append(Message(N_("Only the secretariat or an administrator may change a due date.")))
    problems += check_dates(item.start_date, due)
    if status == item.status and progress == item.progress and not fields:
        return None, problems, item.title  # nothing changed on this row
    view = SimpleNamespace(status=item.status, start_date=item.start_date, due_date=due)
    problems += check_progress_change(item=view, status=status, progress=progress, note=note, today=today)
    if not confirm:
        problems += check_open_milestones(session, item, status)
    if item.version != edit.expected_version:
        problems.append(stale_error(session, item).message)
    plan = _Plan(item, edit.expected_version, status, progress, fields)
    return (None if problems else plan), problems, item.title


def check_bulk(*, session: Session, actor: User, edits: list[BulkEdit], note: Optional[str],
               today: date, confirm_open_milestones: bool = False) -> tuple[list[_Plan], list[RowProblem]]:
    """Resolve every row; returns the plans and every row's problems (nothing is written)."""
    if not can_update_some_items(actor):
        raise PermissionDenied(N_("Only focal points, the secretariat and administrators may update items."))
    note = clean_text(note) or ""
    plans, problems = [], []
    if not note:
        problems.append(RowProblem(0, BATCH, [Message(N_("Add one note for the batch saying why these items change."))]))
    elif len(note) > MAX_NOTE:
        problems.append(RowProblem(0, BATCH, [Message(N_("The note is too long (at most {limit} characters)."),
                                                      limit=MAX_NOTE)]))
    for edit in edits:
        plan, row_problems, title = _plan_row(session, actor, edit, note, today, confirm_open_milestones)
        if row_problems:
            problems.append(RowProblem(edit.item_id, title, row_problems))
        elif plan is not None:
            plans.append(plan)
    return plans, problems


def bulk_update(*, session: Session, actor: User, edits: list[BulkEdit], note: Optional[str],
                now: Optional[datetime] = None, confirm_open_milestones: bool = False) -> BulkResult:
    """Apply every row or none. Returns the saved item ids, or the problems of each row."""
    now = now or utcnow()
    plans, problems = check_bulk(session=session, actor=actor, edits=edits, note=note,
                                 today=now.date(), confirm_open_milestones=confirm_open_milestones)
    if problems:
        session.rollback()
        return BulkResult(problems=problems)
    try:
        # No autoflush: the version check must see the version the user loaded, and the
        # item's new due date must be in place when the update's rules look at it.
        with session.no_autoflush:
            for plan in plans:
                item = plan.item
                for name, (_, new) in plan.fields.items():
                    setattr(item, name, new)
                stage_progress_update(
                    session=session, actor=actor, item=item, expected_version=plan.expected_version,
                    status=plan.status, progress=plan.progress, note=note, source="bulk", now=now,
                    confirm_open_milestones=True,  # already checked above, with the user's answer
                    changes={k: list(v) for k, v in plan.fields.items()} or None,
                )
        session.commit()
    except StaleDataError:  # another writer committed between our check and our flush
        session.rollback()
        session.expire_all()
        stale = [RowProblem(p.item.id, p.item.title, [stale_error(session, p.item).message])
                 for p in plans if _is_stale(session, p)]
        again = Message(N_("Another user saved at the same moment: reload and try again."))
        return BulkResult(problems=stale or [RowProblem(0, BATCH, [again])])
    except ServiceError as exc:
        session.rollback()
        return BulkResult(problems=[RowProblem(0, BATCH, [exc.message])])
    return BulkResult(saved=[p.item.id for p in plans])


def _is_stale(session: Session, plan: _Plan) -> bool:
    current = session.get(ActionItem, plan.item.id)
    return current is not None and current.version != plan.expected_version


def editable_item_ids(*, session: Session, actor: Optional[User], item_ids: list[int]) -> set[int]:
    """Which of `item_ids` `actor` may change in the bulk grid (the rest are locked there):
    every open item for the secretariat and administrators; for a focal point the items
    their organisation leads or supports. Two queries whatever the number of rows."""
    if not item_ids or not can_update_some_items(actor):
        return set()
    items = session.exec(select(ActionItem.id, ActionItem.lead_org_id, ActionItem.archived)
                         .where(ActionItem.id.in_(item_ids))).all()
    support: dict[int, list[int]] = {}
    for item_id, org_id in session.exec(select(ItemSupport.item_id, ItemSupport.organisation_id)
                                        .where(ItemSupport.item_id.in_(item_ids))).all():
        support.setdefault(item_id, []).append(org_id)
    return {i for i, lead, archived in items
            if not archived and can_update_item(actor, [lead, *support.get(i, [])])}
