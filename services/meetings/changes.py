"""What changed since the last meeting: the ONE definition the Meetings page, meeting mode, the
pack, the minutes and `manage.py what-changed` share.

"Since" a meeting means from its baseline onwards:
- the meeting's snapshot ("as presented", services/meetings/snapshot.py) when it has one: the
  state of each item as presented, and the moment it was taken;
- otherwise the START of the meeting's day in the local zone (00:00 in the TIMEZONE setting,
  16:00 UTC the day before in Kuala Lumpur): each item's state is its last progress update
  before that moment, and every update made on the (local) day of the meeting counts as a
  change since it. Items created at or after that moment are "new" (and only new), so an item created
  at the meeting shows as new at the next one.
Groups: new, turned Red, completed, improved (progress rose, not completed), no update since
(open items with no progress update after the baseline). An item may be in more than one group
(turned Red and no update, say)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Optional

from sqlalchemy import and_, func
from sqlmodel import Session, select

from models import ActionItem, ItemStatus, MeetingSnapshot, ProgressUpdate, RAG, SnapshotItem
from services import rules
from services.i18n.translate import start_of_day
from services.items.states import ItemState, item_states
from services.overview.figures import ItemLine, item_lines

GROUPS = ("new", "turned_red", "completed", "improved", "no_update")
CLOSED = (ItemStatus.COMPLETED.value, ItemStatus.CANCELLED.value)


@dataclass(frozen=True)
class Before:
    status: str
    progress: int
    rag: Optional[str]


@dataclass(frozen=True)
class ChangeLine:
    item: ItemLine  # the item now
    before: Optional[Before]  # None for a new item


@dataclass
class Changes:
    since: date  # the day of the baseline
    cut: datetime  # the moment changes are counted from
    from_snapshot: bool
    groups: dict[str, list[ChangeLine]] = field(default_factory=dict)

    def ids(self) -> dict[str, list[int]]:
        """{group: [item id, ...]}: what screens must agree on."""
        return {g: [c.item.id for c in self.groups.get(g, [])] for g in GROUPS}

    def total(self) -> int:
        return len({c.item.id for lines in self.groups.values() for c in lines})


def start_of(day: date) -> datetime:
    """The moment "since `day`" counts from: the start of that day in the local zone, in UTC."""
    return start_of_day(day)


def _history_before(session: Session, cut: datetime) -> dict[int, tuple[str, int, datetime]]:
    """item id -> (status, progress, ts) of its last progress update before `cut`."""
    last = (select(ProgressUpdate.item_id, func.max(ProgressUpdate.ts).label("ts"))
            .where(ProgressUpdate.ts < cut).group_by(ProgressUpdate.item_id).subquery())
    rows = session.exec(
        select(ProgressUpdate.item_id, ProgressUpdate.status_after, ProgressUpdate.progress_after, ProgressUpdate.ts)
        .join(last, and_(last.c.item_id == ProgressUpdate.item_id, last.c.ts == ProgressUpdate.ts))).all()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def _baseline(session: Session, states: list[ItemState], created: dict[int, datetime], cut: datetime,
              since: date, snapshot_id: Optional[int]) -> dict[int, Before]:
    """Each existing item's state at the baseline: from the snapshot, else from the history."""
    out: dict[int, Before] = {}
    if snapshot_id is not None:
        for row in session.exec(select(SnapshotItem).where(SnapshotItem.snapshot_id == snapshot_id)).all():
            out[row.item_id] = Before(row.status, row.progress, row.rag)
    history = _history_before(session, cut)
    for s in states:
        if s.id in out or created[s.id] >= cut:
            continue
        status, progress, ts = history.get(s.id, (ItemStatus.NOT_STARTED.value, 0, created[s.id]))
        out[s.id] = Before(status, progress, rules.compute_rag(
            status=status, progress=progress, start=s.start, due=s.due, last_update=rules.as_date(ts), today=since))
    return out


def what_changed(*, session: Session, since: date, today: date, agreement_ids: Optional[list[int]] = None,
                 snapshot: Optional[MeetingSnapshot] = None, lang: str = "en") -> Changes:
    """The changes to the live items of `agreement_ids` (None: all) since the start of `since`,
    or since `snapshot` when given (its items as presented; `since` should be its meeting's day).
    Lines in each group are ordered by due date (none last), then id; titles in `lang`."""
    cut = snapshot.taken_at if snapshot is not None else start_of(since)
    states = item_states(session, agreement_ids=agreement_ids)
    created = dict(session.exec(select(ActionItem.id, ActionItem.created_at)
                                .where(ActionItem.id.in_([s.id for s in states]))).all()) if states else {}
    before = _baseline(session, states, created, cut, since, snapshot.id if snapshot is not None else None)
    updated = set(session.exec(select(ProgressUpdate.item_id).where(ProgressUpdate.ts >= cut).distinct()).all())
    picked: dict[str, list[ItemState]] = {g: [] for g in GROUPS}
    for s in states:
        old = before.get(s.id)
        if old is None:
            picked["new"].append(s)
            continue
        if s.rag(today) == RAG.RED and old.rag != RAG.RED:
            picked["turned_red"].append(s)
        if s.status == ItemStatus.COMPLETED and old.status != ItemStatus.COMPLETED:
            picked["completed"].append(s)
        elif s.progress > old.progress:
            picked["improved"].append(s)
        if s.id not in updated and s.status not in CLOSED:
            picked["no_update"].append(s)
    out = Changes(since=since, cut=cut, from_snapshot=snapshot is not None)
    for group, chosen in picked.items():
        ordered = sorted(chosen, key=lambda s: (s.due is None, s.due or date.max, s.id))
        lines = item_lines(session=session, states=ordered, today=today, lang=lang)
        out.groups[group] = [ChangeLine(line, before.get(line.id)) for line in lines]
    return out


def latest_notes(session: Session, ids: list[int]) -> dict[int, str]:
    """Each item's latest progress note."""
    if not ids:
        return {}
    latest = (select(ProgressUpdate.item_id, func.max(ProgressUpdate.id).label("id"))
              .where(ProgressUpdate.item_id.in_(ids), ProgressUpdate.note.is_not(None))
              .group_by(ProgressUpdate.item_id).subquery())
    rows = session.exec(select(ProgressUpdate.item_id, ProgressUpdate.note)
                        .join(latest, latest.c.id == ProgressUpdate.id)).all()
    return dict(rows)
