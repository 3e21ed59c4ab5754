"""What needs a user now: the open items their organisation leads or supports that are
overdue, due within DUE_SOON_DAYS, or not updated for `stale_days`. The digest mail and the
My items panel both call `needs_attention`, so they always list the same items."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterable, Optional

from sqlalchemy import exists, or_
from sqlmodel import Session, select

from models import ActionItem, Agreement, CommitmentArea, ItemStatus, ItemSupport
from services.i18n.translate import N_

DUE_SOON_DAYS = 14
CLOSED = (ItemStatus.COMPLETED.value, ItemStatus.CANCELLED.value)
OVERDUE, DUE_SOON, STALE = "overdue", "due_soon", "stale"
REASON_LABELS = {OVERDUE: N_("Overdue"), DUE_SOON: N_("Due within 14 days"), STALE: N_("No recent update")}


@dataclass(frozen=True)
class DueItem:
    """One item that needs attention. Titles in every language (the mail picks the reader's);
    `reasons` in OVERDUE, DUE_SOON, STALE order; `last_update` is a date (None: never)."""

    id: int
    title: str
    title_ms: Optional[str]
    title_zh: Optional[str]
    due: Optional[date]
    status: str
    progress: int
    last_update: Optional[date]
    reasons: tuple[str, ...]

    def sort_key(self) -> tuple:
        return (OVERDUE not in self.reasons, self.due or date.max, self.id)


def reasons_for(*, due: Optional[date], last_update: Optional[date], today: date, stale_days: int) -> tuple[str, ...]:
    """The reasons an open item needs attention today (empty: it does not)."""
    out = []
    if due is not None and due < today:
        out.append(OVERDUE)
    elif due is not None and due <= today + timedelta(days=DUE_SOON_DAYS):
        out.append(DUE_SOON)
    if last_update is None or (today - last_update).days > stale_days:
        out.append(STALE)
    return tuple(out)


def _candidates(session: Session, today: date, stale_days: int, item_ids: Optional[Iterable[int]],
                organisation_id: Optional[int] = None):
    cutoff = datetime.combine(today - timedelta(days=stale_days), time(0), tzinfo=timezone.utc)
    stmt = (select(ActionItem.id, ActionItem.title, ActionItem.title_ms, ActionItem.title_zh, ActionItem.due_date,
                   ActionItem.status, ActionItem.progress, ActionItem.last_update_at, ActionItem.created_at,
                   ActionItem.lead_org_id)
            .join(CommitmentArea, CommitmentArea.id == ActionItem.area_id)
            .join(Agreement, Agreement.id == CommitmentArea.agreement_id)
            .where(~ActionItem.archived, ~CommitmentArea.archived, ~Agreement.archived,
                   ActionItem.status.not_in(CLOSED)))
    if organisation_id is not None:
        supports = exists().where(ItemSupport.item_id == ActionItem.id, ItemSupport.organisation_id == organisation_id)
        stmt = stmt.where(or_(ActionItem.lead_org_id == organisation_id, supports))
    if item_ids is not None:
        return session.exec(stmt.where(ActionItem.id.in_(list(item_ids)))).all()
    soon = today + timedelta(days=DUE_SOON_DAYS)
    stale = or_(ActionItem.last_update_at < cutoff, (ActionItem.last_update_at.is_(None)) & (ActionItem.created_at < cutoff))
    return session.exec(stmt.where(or_(ActionItem.due_date <= soon, stale))).all()


def _as_date(value: Optional[datetime]) -> Optional[date]:
    return value.astimezone(timezone.utc).date() if value is not None else None


def needs_attention(*, session: Session, today: date, stale_days: int, item_ids: Optional[Iterable[int]] = None,
                    organisation_id: Optional[int] = None) -> dict[int, list[DueItem]]:
    """{organisation id: its items needing attention, overdue first then by due date}, an item
    under its lead organisation and each supporting one. `item_ids` limits the items looked at
    (an update request's agenda) and then keeps them even when nothing is due (reasons empty);
    `organisation_id` limits them to those that organisation leads or supports.
    An item with no update counts from its creation, so a new item is not stale at once."""
    by_org: dict[int, list[DueItem]] = defaultdict(list)
    rows = _candidates(session, today, stale_days, item_ids, organisation_id)
    if not rows:
        return {}
    items: dict[int, tuple[DueItem, Optional[int]]] = {}
    for r in rows:
        last = _as_date(r.last_update_at) or _as_date(r.created_at)
        reasons = reasons_for(due=r.due_date, last_update=last, today=today, stale_days=stale_days)
        if reasons or item_ids is not None:
            items[r.id] = (DueItem(r.id, r.title, r.title_ms, r.title_zh, r.due_date, r.status, r.progress,
                                   _as_date(r.last_update_at), reasons), r.lead_org_id)
    for item, lead in items.values():
        if lead is not None:
            by_org[lead].append(item)
    for item_id, org_id in _supports(session, items):
        item, lead = items[item_id]
        if org_id != lead:
            by_org[org_id].append(item)
    return {org: sorted(found, key=DueItem.sort_key) for org, found in by_org.items()}


def _supports(session: Session, items: dict) -> list[tuple[int, int]]:
    """(item id, supporting organisation id) for `items`; past a few thousand ids the whole
    (small) table is read instead of one IN list, which would pass the drivers' parameter limits."""
    stmt = select(ItemSupport.item_id, ItemSupport.organisation_id)
    if len(items) < 5000:
        return list(session.exec(stmt.where(ItemSupport.item_id.in_(list(items)))).all())
    return [row for row in session.exec(stmt).all() if row[0] in items]


def needs_me_now(*, session: Session, organisation_id: Optional[int], today: date, stale_days: int) -> list[DueItem]:
    """The list the digest sends a member of `organisation_id` (empty without an organisation)."""
    if organisation_id is None:
        return []
    return needs_attention(session=session, today=today, stale_days=stale_days,
                           organisation_id=organisation_id).get(organisation_id, [])
