"""Applying a confirmed import: every change in ONE transaction, all or nothing. Progress
goes through services/items/batch.py (source "import": the single-item update's checks and
rows, written with multi-row statements); due date and owner edits and new items are
recorded in the audit trail. The acting user authors all of it."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Optional

from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, select

from models import ActionItem, CommitmentArea, Organisation, User
from services.audit.trail import record_event
from services.errors import Message, NotFound, Plural, ServiceError, ValidationFailed
from services.excel.imports.plan import EDIT_FIELDS, PROGRESS_FIELDS, ImportPlan, Progress, RowPlan, report_progress
from services.excel.imports.items_sheet import IMPORT_ACTION
from services.excel.imports.source import paused_gc
from services.excel.imports.status_words import remember
from services.i18n.translate import N_
from services.items.batch import BatchItem, ItemBatch
from services.items.progress import stale_error
from services.permissions import require_structure

SOURCE = "import"


@dataclass
class ApplyResult:
    updated: int
    progress_updates: int
    edits: int
    created: int
    skipped_conflicts: int
    skipped_new: int

    @property
    def message(self) -> Message:
        """'1 item updated (1 progress update, 2 field edits), 0 items created, …': each count
        with its language's plural form."""
        return Message(N_("{updated} ({updates}, {edits}), {created}, {conflicts} and {new} left out."),
                       updated=Plural(N_("{n} item updated"), N_("{n} items updated"), n=self.updated),
                       updates=Plural(N_("{n} progress update"), N_("{n} progress updates"), n=self.progress_updates),
                       edits=Plural(N_("{n} field edit"), N_("{n} field edits"), n=self.edits),
                       created=Plural(N_("{n} item created"), N_("{n} items created"), n=self.created),
                       conflicts=Plural(N_("{n} conflict"), N_("{n} conflicts"), n=self.skipped_conflicts),
                       new=Plural(N_("{n} new row"), N_("{n} new rows"), n=self.skipped_new))

    def __str__(self) -> str:
        return str(self.message)


def apply_import(
    *, session: Session, actor: User, plan: ImportPlan, now: datetime,
    accept_conflicts: Iterable[int] = (), area_id: Optional[int] = None, progress: Optional[Progress] = None,
) -> ApplyResult:
    """Apply the plan in one transaction; refuses a plan with problems. Conflicting rows apply
    only when their item id is in `accept_conflicts`; new rows only when `area_id` is given.
    `progress(done, total)`: rows staged so far, every few hundred rows (nothing is committed
    until the last)."""
    require_structure(actor, IMPORT_ACTION)
    if not plan.ok:
        raise ValidationFailed(Plural(N_("The file has {n} problem: fix it and upload it again."),
                                      N_("The file has {n} problems: fix them and upload it again."), n=len(plan.problems)),
                               [p.message for p in plan.problems])
    accepted = set(accept_conflicts)
    area = _area(session, area_id) if area_id is not None else None
    result = ApplyResult(0, 0, 0, 0, 0, 0)
    rows = plan.changed_rows
    batch = ItemBatch(session=session, actor=actor, now=now, source=SOURCE)
    try:
        batch.load(r.item_id for r in rows if r.item_id)
        with paused_gc():  # thousands of rows staged: see paused_gc
            with session.no_autoflush:
                for done, r in enumerate(rows, start=1):
                    _apply_row(batch, r, area, accepted, result)
                    report_progress(progress, done, len(rows))
            batch.write()
        remember(session, plan.signature, plan.statuses)
        record_event(session=session, actor=actor, action="excel_import", detail=json.dumps(
            {"file": plan.filename, "sheet": plan.sheet, "result": str(result)}, ensure_ascii=False))
        session.commit()
    except StaleDataError:
        session.rollback()
        raise ValidationFailed(N_("Someone changed some of these items while the import was being saved; "
                                  "nothing was saved. Upload the file again to see the new conflicts.")) from None
    except Exception:
        session.rollback()
        raise
    return result


def _area(session: Session, area_id: int) -> CommitmentArea:
    area = session.get(CommitmentArea, area_id)
    if area is None or area.archived:
        raise NotFound(N_("No commitment area with id {id}."), id=area_id)
    return area


def _apply_row(batch: ItemBatch, r: RowPlan, area, accepted, result) -> None:  # noqa: ANN001
    if r.item_id is None:
        if area is None:
            result.skipped_new += 1
            return
        state = _create_item(batch, r, area)
        result.created += 1
    else:
        if r.conflict and r.item_id not in accepted:
            result.skipped_conflicts += 1
            return
        state = batch.states.get(r.item_id)
        if state is None:
            raise NotFound(N_("No action item with id {i}."), i=r.item_id)
    changes = r.changes
    try:
        if r.item_id is not None and r.expected_version is not None and not r.conflict \
                and state.version != r.expected_version:
            # Changed since the preview: refuse every row, field edits included (a row that
            # only edits the owner must not write over someone else's save either).
            raise stale_error(batch.session, state)
        _edit_fields(batch, state, changes, result)
        if any(k in changes for k in PROGRESS_FIELDS):
            _stage(batch, state, r, changes)
            result.progress_updates += 1
    except ServiceError as exc:
        raise ValidationFailed(N_("Row {row} ('{title}'): {reason} Nothing was saved."),
                               row=r.row, title=r.title, reason=exc) from None
    result.updated += r.item_id is not None


def _stage(batch: ItemBatch, state: BatchItem, r: RowPlan, changes) -> None:  # noqa: ANN001
    # A chosen conflict overwrites what is there now: the user has seen both side by side.
    expected = r.expected_version if (r.expected_version is not None and not r.conflict) else state.version
    status = changes.get("status", (None, state.status))[1]
    progress = changes.get("progress", (None, state.progress))[1]
    update = batch.stage(
        state, expected_version=expected, status=status, progress=progress,
        note=changes.get("note", (None, None))[1], evidence_url=changes.get("evidence", (None, None))[1],
        # The official confirmed this row in the import preview; open milestones stay open.
        confirm_open_milestones=True,
    )
    edits = {k: v for k, v in changes.items() if k in EDIT_FIELDS}
    if edits:
        update["changes"] = json.dumps({k: [_plain(o), _plain(n)] for k, (o, n) in edits.items()})


def _plain(value):  # noqa: ANN001
    return value.isoformat() if hasattr(value, "isoformat") else value


def _edit_fields(batch: ItemBatch, state: BatchItem, changes, result) -> None:  # noqa: ANN001
    edits = {k: v for k, v in changes.items() if k in EDIT_FIELDS}
    if not edits:
        return
    before = {k: _plain(o) for k, (o, _) in edits.items()}
    columns = {"due_date": "due_date", "owner": "owner_name"}
    batch.edit(state, {columns[k]: new for k, (_, new) in edits.items()})
    batch.event(action="edit_item", object_type="item", object_id=state.id, before=before,
                after={k: _plain(n) for k, (_, n) in edits.items()}, detail=SOURCE)
    result.edits += len(edits)


def _create_item(batch: ItemBatch, r: RowPlan, area: CommitmentArea) -> BatchItem:
    session = batch.session
    lead = _org_id(session, r.lead)
    item = ActionItem(area_id=area.id, title=r.title,  # within its limit: the text gate checked it
                      category=area.category, lead_org_id=lead,
                      created_at=batch.now)
    session.add(item)
    session.flush()  # the new id, for the audit trail and the rows that follow
    batch.event(action="create_item", object_type="item", object_id=item.id,
                after={"title": item.title, "area_id": area.id, "lead_org_id": lead}, detail=SOURCE)
    return batch.add_item(item)


def _org_id(session: Session, name: Optional[str]) -> Optional[int]:
    if not name:
        return None
    wanted = name.strip().casefold()
    for org in session.exec(select(Organisation)).all():
        if wanted in {(org.acronym or "").casefold(), org.name_en.casefold(), (org.name_ms or "").casefold()}:
            return org.id
    return None
