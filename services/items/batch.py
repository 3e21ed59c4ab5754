"""Progress updates and field edits for many items in the caller's transaction, written
with a few multi-row statements instead of thousands of ORM objects (a 10,000-row Excel
import). Each item passes the same checks as the single-item path (services/items/progress.py:
check_progress_update, require_confirmation, the version check) and the rows written are
the same: a ProgressUpdate and an audit event per update, and one versioned UPDATE per item.

Optimistic locking is kept by hand: every item's UPDATE says `WHERE version = <the version
checked>`; if any matches no row, someone changed that item after the check and write()
raises StaleDataError, as the ORM would, so the caller rolls the whole batch back."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Iterable, Optional

from sqlalchemy import bindparam, insert, update
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, select

from models import ActionItem, AuditEvent, ItemSupport, ProgressUpdate, User
from models.gate import gate_row
from services.audit.trail import event_values
from services.items.progress import (
    check_progress_update, progress_update_values, require_confirmation, stale_error,
)
from services.permissions import can_edit_structure

CHUNK = 5000  # ids per IN (...) list: well under SQLite's and PostgreSQL's parameter limits


@dataclass
class BatchItem:
    """What the checks and the history need of an item, read for the whole batch at once.
    Field edits staged in the batch are applied here too, so later checks see them."""

    id: int
    title: str
    archived: bool
    status: str
    progress: int
    start_date: Optional[date]
    due_date: Optional[date]
    owner_name: Optional[str]
    version: int
    lead_org_id: Optional[int]


_STATE_COLUMNS = [getattr(ActionItem, name) for name in BatchItem.__dataclass_fields__]


class ItemBatch:
    def __init__(self, *, session: Session, actor: User, now: datetime, source: str):
        self.session, self.actor, self.now, self.source = session, actor, now, source
        self.states: dict[int, BatchItem] = {}
        self._support: dict[int, list[int]] = {}
        self._checked_version: dict[int, int] = {}
        self._writes: dict[int, dict[str, Any]] = {}  # item id -> column -> new value
        self._events: list[dict] = []
        self._updates: list[dict] = []

    def load(self, ids: Iterable[int]) -> dict[int, BatchItem]:
        """The current state of these items, in one query per CHUNK ids."""
        self.session.flush()  # anything the caller changed in the session counts
        ids = sorted(set(ids))
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            for row in self.session.exec(select(*_STATE_COLUMNS).where(ActionItem.id.in_(chunk))):
                self.states[row.id] = BatchItem(*row)
            if not can_edit_structure(self.actor):  # focal points: who supports each item
                for item_id, org in self.session.exec(select(ItemSupport.item_id, ItemSupport.organisation_id)
                                                      .where(ItemSupport.item_id.in_(chunk))):
                    self._support.setdefault(item_id, []).append(org)
        return self.states

    def add_item(self, item: ActionItem) -> BatchItem:
        """An item the caller has just created (and flushed) in this transaction."""
        state = BatchItem(*(getattr(item, name) for name in BatchItem.__dataclass_fields__))
        self.states[item.id] = state
        return state

    def event(self, **kwargs: Any) -> None:
        """An audit event (record_event's arguments, without session), in order with the rest."""
        self._events.append(event_values(actor=self.actor, **kwargs))

    def edit(self, state: BatchItem, values: dict[str, Any]) -> None:
        """Set item columns (owner_name, due_date); the item's version goes up once at write.
        Text passes the text gate (models/text.py): TextRefused when over the field's limit."""
        values = gate_row(ActionItem, values)
        for name, value in values.items():
            setattr(state, name, value)
        self._write(state, values)

    def stage(
        self, state: BatchItem, *, expected_version: int, status: str, progress: int,
        note: Optional[str] = None, evidence_url: Optional[str] = None,
        confirm_open_milestones: bool = False, changes: Optional[dict] = None,
    ) -> dict[str, Any]:
        """stage_progress_update for a batch: the same checks, in the same order; returns the
        ProgressUpdate row, which the caller may still amend before write()."""
        org_ids = [] if can_edit_structure(self.actor) else [state.lead_org_id, *self._support.get(state.id, [])]
        note, evidence_url = check_progress_update(
            actor=self.actor, item=state, org_ids=org_ids, status=status, progress=progress, note=note,
            evidence_url=evidence_url, changes=changes, today=self.now.date())
        require_confirmation(self.session, state, status, confirm_open_milestones)
        if state.version != expected_version:
            raise stale_error(self.session, state)
        values, event = progress_update_values(
            actor=self.actor, item=state, status=status, progress=progress, note=note,
            evidence_url=evidence_url, source=self.source, now=self.now, changes=changes)
        self._updates.append(values)
        self._events.append(event_values(**event))
        state.status, state.progress = status, progress
        self._write(state, {"status": status, "progress": progress, "last_update_at": self.now})
        return values

    def _write(self, state: BatchItem, values: dict[str, Any]) -> None:
        self._checked_version.setdefault(state.id, state.version)
        self._writes.setdefault(state.id, {}).update(values)

    def write(self) -> None:
        """The items first (a stale one stops the batch before thousands of inserts), then
        the history and the audit trail, each in one executemany."""
        self._update_items()
        if self._updates:
            rows = [gate_row(ProgressUpdate, row) for row in self._updates]  # Core insert: no ORM gate
            self.session.execute(insert(ProgressUpdate.__table__), rows)
        if self._events:
            self.session.execute(insert(AuditEvent.__table__), self._events)
        self._expire_loaded()

    def _update_items(self) -> None:
        table = ActionItem.__table__
        groups: dict[tuple[str, ...], list[dict]] = {}
        for item_id, values in self._writes.items():
            params = {"b_id": item_id, "b_version": self._checked_version[item_id], **values}
            groups.setdefault(tuple(sorted(values)), []).append(params)
        for params in groups.values():
            stmt = (update(table)
                    .where(table.c.id == bindparam("b_id"), table.c.version == bindparam("b_version"))
                    .values(version=table.c.version + 1))
            matched = self.session.execute(stmt, params).rowcount
            if matched != len(params):
                raise StaleDataError(f"{len(params) - matched} of {len(params)} items changed meanwhile")

    def _expire_loaded(self) -> None:
        """ORM copies of the items in this session no longer match the database."""
        for item_id in self._writes:
            obj = self.session.identity_map.get(self.session.identity_key(ActionItem, item_id))
            if obj is not None:
                self.session.expire(obj)
