"""The rows the Excel report writes, read in a few queries. Items are few enough to hold
(10,000 at scale M); the update history is streamed in batches, never held whole."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Iterable, Iterator, Optional

from sqlalchemy import and_, func
from sqlmodel import Session, select

from models import ActionItem, Agreement, CommitmentArea, Organisation, ProgressUpdate, User
from services import rules

STREAM_BATCH = 5000


@dataclass
class ReportItemRow:
    id: int
    version: int
    agreement_id: int
    agreement: str
    area_id: int
    area: str
    title: str
    lead: str
    owner: str
    start: Optional[date]
    due: Optional[date]
    status: str
    progress: int
    rag: Optional[str]
    last_update: Optional[date]
    note: Optional[str]
    evidence: Optional[str]
    is_sample: bool
    title_ms: Optional[str] = None  # the item's title in the other languages, for the read-only
    title_zh: Optional[str] = None  # sheets; the Items sheet keeps `title` (its import checks it)


def agreement_ids_for(session: Session, codes: Iterable[str]) -> Optional[list[int]]:
    """Ids of the chosen agreements (None: all); an unknown code is refused by name."""
    codes = list(codes)
    if not codes:
        return None
    found = dict(session.exec(select(Agreement.code, Agreement.id).where(Agreement.code.in_(codes))).all())
    missing = [c for c in codes if c not in found]
    if missing:
        from services.errors import NotFound

        raise NotFound(f"No agreement with code {', '.join(missing)}.")
    return [found[c] for c in codes]


def _live(stmt, agreement_ids: Optional[list[int]]):  # noqa: ANN001
    stmt = (
        stmt.join(CommitmentArea, CommitmentArea.id == ActionItem.area_id)
        .join(Agreement, Agreement.id == CommitmentArea.agreement_id)
        .where(and_(~ActionItem.archived, ~CommitmentArea.archived, ~Agreement.archived))
    )
    if agreement_ids is not None:
        stmt = stmt.where(Agreement.id.in_(agreement_ids))
    return stmt


def _last_updates(session: Session, agreement_ids: Optional[list[int]]) -> dict[int, tuple]:
    latest = _live(select(func.max(ProgressUpdate.id)).join(ActionItem, ActionItem.id == ProgressUpdate.item_id),
                   agreement_ids).group_by(ProgressUpdate.item_id)
    rows = session.exec(
        select(ProgressUpdate.item_id, ProgressUpdate.note, ProgressUpdate.evidence_url)
        .where(ProgressUpdate.id.in_(latest))
    ).all()
    return {r[0]: (r[1], r[2]) for r in rows}


def item_rows(session: Session, *, today: date, agreement_ids: Optional[list[int]] = None) -> list[ReportItemRow]:
    """Every live item with what the report shows, ordered agreement -> area -> due date."""
    orgs = dict(session.exec(select(Organisation.id, Organisation.acronym)).all())
    last = _last_updates(session, agreement_ids)
    stmt = _live(select(
        ActionItem.id, ActionItem.version, Agreement.id, Agreement.code, CommitmentArea.id,
        CommitmentArea.title_en, ActionItem.title, ActionItem.lead_org_id, ActionItem.owner_name,
        ActionItem.start_date, ActionItem.due_date, ActionItem.status, ActionItem.progress,
        ActionItem.last_update_at, ActionItem.created_at, ActionItem.is_sample,
        ActionItem.title_ms, ActionItem.title_zh,
    ), agreement_ids).order_by(Agreement.code, CommitmentArea.position, CommitmentArea.id,
                               ActionItem.due_date, ActionItem.id)
    rows = []
    for r in session.exec(stmt).all():
        touched = rules.as_date(r[13] or r[14])
        note, evidence = last.get(r[0], (None, None))
        rows.append(ReportItemRow(
            id=r[0], version=r[1], agreement_id=r[2], agreement=r[3], area_id=r[4], area=r[5],
            title=r[6], lead=orgs.get(r[7], "") if r[7] else "", owner=r[8] or "", start=r[9],
            due=r[10], status=r[11], progress=r[12],
            rag=rules.compute_rag(status=r[11], progress=r[12], start=r[9], due=r[10],
                                  last_update=touched, today=today),
            last_update=rules.as_date(r[13]), note=note, evidence=evidence, is_sample=r[15],
            title_ms=r[16], title_zh=r[17],
        ))
    return rows


def _updates(columns, *, now: datetime, days: Optional[int], agreement_ids: Optional[list[int]]):  # noqa: ANN001
    """The live items' updates of the last `days` days (None: all), selecting `columns`."""
    stmt = _live(select(*columns).select_from(ProgressUpdate).join(ActionItem, ActionItem.id == ProgressUpdate.item_id),
                 agreement_ids)
    if days is not None:
        stmt = stmt.where(ProgressUpdate.ts >= now - timedelta(days=days))
    return stmt


def update_rows(
    session: Session, *, now: datetime, days: Optional[int], agreement_ids: Optional[list[int]] = None,
) -> Iterator[tuple]:
    """The update history, newest first, streamed in batches (days=None: all of it)."""
    users = dict(session.exec(select(User.id, User.display_name)).all())
    stmt = _updates((
        ProgressUpdate.ts, ProgressUpdate.item_id, ActionItem.title, Agreement.code,
        ProgressUpdate.status_before, ProgressUpdate.status_after, ProgressUpdate.progress_before,
        ProgressUpdate.progress_after, ProgressUpdate.note, ProgressUpdate.evidence_url,
        ProgressUpdate.author_id, ProgressUpdate.source,
    ), now=now, days=days, agreement_ids=agreement_ids)
    stmt = stmt.order_by(ProgressUpdate.ts.desc(), ProgressUpdate.id.desc())
    result = session.execute(stmt.execution_options(yield_per=STREAM_BATCH))
    for r in result:
        yield (*r[:10], users.get(r[10], ""), r[11])


@dataclass(frozen=True)
class HistoryWindow:
    """The update history a report holds: the last `days` days; `asked` the days asked for and
    `in_asked` how many updates those hold (None: not counted, the window was not shortened)."""
    days: int
    asked: int
    in_asked: Optional[int] = None

    @property
    def shortened(self) -> bool:
        return self.days < self.asked


def history_window(
    session: Session, *, now: datetime, days: int, most: int, agreement_ids: Optional[list[int]] = None,
) -> HistoryWindow:
    """The whole days of history, counted back from `now`, that hold at most `most` updates:
    `days` itself when they fit, else fewer (at least 1, which may hold more than `most` on a
    day busier than that). Two queries: a count, and the time of the (most + 1)-th newest update.

    Raises ValueError for days < 1 or most < 1."""
    if days < 1 or most < 1:
        raise ValueError("days and most must be at least 1")
    total = session.exec(_updates((func.count(),), now=now, days=days, agreement_ids=agreement_ids)).one()
    if total <= most:
        return HistoryWindow(days=days, asked=days)
    first_left_out = session.exec(
        _updates((ProgressUpdate.ts,), now=now, days=days, agreement_ids=agreement_ids)
        .order_by(ProgressUpdate.ts.desc(), ProgressUpdate.id.desc()).offset(most).limit(1)).one()
    age = naive_utc(now) - naive_utc(first_left_out)
    shown = age // timedelta(days=1)  # every update of the window is newer than first_left_out
    if naive_utc(now) - timedelta(days=shown) <= naive_utc(first_left_out):
        shown -= 1  # it falls on the window's first instant: one day fewer
    return HistoryWindow(days=max(1, min(shown, days)), asked=days, in_asked=total)


def naive_utc(value: Optional[datetime]) -> Optional[datetime]:
    """Excel has no time zones: timestamps are written as UTC wall-clock time."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(timezone.utc).replace(tzinfo=None)
