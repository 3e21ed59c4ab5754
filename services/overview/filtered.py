"""The Overview's data: filters, per-item states (current or as of a past date) and the
GROUP BY aggregations the charts draw. Only a few narrow columns per item ever leave SQL;
RAG needs the rule in services/rules.py, so it is computed on those narrow tuples."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Optional

from sqlalchemy import and_, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, func, select

from models import (
    ActionItem, Agreement, AuditEvent, CommitmentArea, ItemStatus, ItemSupport, Organisation,
    ProgressUpdate,
)
from services.i18n.content import display
from services.store.kept import memo, structure_version
from services.items.states import ItemState, item_states, joined_to_agreement, live_conditions, state_from_row
from services.overview.months import end_of, year_month


@dataclass(frozen=True)
class Filters:
    """What the user narrowed the Overview to; empty means everything. Hashable: a cache key."""

    agreements: tuple[str, ...] = ()  # agreement codes
    orgs: tuple[str, ...] = ()  # organisation acronyms, leading or supporting
    categories: tuple[str, ...] = ()
    date_from: Optional[date] = None
    date_to: Optional[date] = None


# Audit events that change nothing the Overview shows: a sign-in must not empty its cache.
NO_DATA_ACTIONS = ("sign_in", "failed_sign_in", "lockout", "sign_out", "session_expired",
                   "export", "change_password", "reset_password", "create_user", "disable_user",
                   "enable_user", "change_role")


def data_version(*, session: Session) -> tuple:
    """Cheap fingerprint of everything the Overview shows; every data write is audited, so
    the newest data-changing audit event (with the newest update) moves when data moves."""
    return (
        session.exec(select(func.max(ProgressUpdate.id))).one(),
        session.exec(select(func.max(AuditEvent.id)).where(AuditEvent.action.not_in(NO_DATA_ACTIONS))).one(),
    )


def item_conditions(filters: Filters) -> list:
    """WHERE clauses for live items matching the filters (query joins area and agreement)."""
    return [*live_conditions(), *filter_conditions(filters)]


def filter_conditions(filters: Filters) -> list:
    """WHERE clauses for the filters alone (agreements, categories, organisations, dates)."""
    conds = []
    if filters.agreements:
        conds.append(Agreement.code.in_(filters.agreements))
    if filters.categories:
        conds.append(ActionItem.category.in_(filters.categories))
    if filters.orgs:
        org_ids = select(Organisation.id).where(Organisation.acronym.in_(filters.orgs))
        supported = select(ItemSupport.item_id).where(ItemSupport.organisation_id.in_(org_ids))
        conds.append(or_(ActionItem.lead_org_id.in_(org_ids), ActionItem.id.in_(supported)))
    if filters.date_to:
        conds.append(or_(ActionItem.start_date.is_(None), ActionItem.start_date <= filters.date_to))
    if filters.date_from:
        conds.append(or_(ActionItem.due_date.is_(None), ActionItem.due_date >= filters.date_from))
    return conds


def current_states(*, session: Session, filters: Filters) -> list[ItemState]:
    """Live items matching the filters, as they stand now (items.states.item_states)."""
    return item_states(session, where=filter_conditions(filters))


def states_as_of(*, session: Session, filters: Filters, when: date) -> list[ItemState]:
    """Each item as it stood at the end of `when`: its last ProgressUpdate with ts <= then
    (none: not started). Items created later are left out."""
    cut = end_of(when)
    last_id = (
        select(ProgressUpdate.id)
        .where(ProgressUpdate.item_id == ActionItem.id, ProgressUpdate.ts < cut)
        .order_by(ProgressUpdate.ts.desc(), ProgressUpdate.id.desc()).limit(1)
        .correlate(ActionItem).scalar_subquery()
    )
    pu = aliased(ProgressUpdate)
    stmt = joined_to_agreement(select(
        ActionItem.id, ActionItem.area_id,
        func.coalesce(pu.status_after, ItemStatus.NOT_STARTED.value), func.coalesce(pu.progress_after, 0),
        ActionItem.weight, ActionItem.start_date, ActionItem.due_date, pu.ts, ActionItem.created_at,
    )).outerjoin(pu, pu.id == last_id).where(and_(*item_conditions(filters)), ActionItem.created_at < cut)
    return [state_from_row(r) for r in session.exec(stmt).all()]


def agreements_in_force(*, session: Session, filters: Filters, when: date) -> int:
    stmt = select(func.count()).select_from(Agreement).where(
        ~Agreement.archived, Agreement.status == "in_force",
        or_(Agreement.signed_on.is_(None), Agreement.signed_on <= when),
    )
    if filters.agreements:
        stmt = stmt.where(Agreement.code.in_(filters.agreements))
    return session.exec(stmt).one()


def status_by_agreement(*, session: Session, filters: Filters) -> list[tuple[str, str, int]]:
    """(agreement code, status, item count), GROUP BY in SQL."""
    stmt = joined_to_agreement(select(Agreement.code, ActionItem.status, func.count())).where(
        and_(*item_conditions(filters))).group_by(Agreement.code, ActionItem.status).order_by(Agreement.code)
    return [(c, s, n) for c, s, n in session.exec(stmt).all()]


def area_labels(*, session: Session, lang: str = "en") -> dict[int, tuple[str, str, int]]:
    """area id -> (agreement code, area title in `lang` or marked as another's, position);
    kept until the structure counter moves (services/store/kept.py). Shared: do not change it."""
    return memo(session, ("area_labels", structure_version(session=session), lang),
                lambda: _area_labels(session, lang))


def _area_labels(session: Session, lang: str) -> dict[int, tuple[str, str, int]]:
    rows = session.exec(
        select(CommitmentArea.id, Agreement.code, CommitmentArea.title_en, CommitmentArea.title_ms,
               CommitmentArea.title_zh, CommitmentArea.position)
        .join(Agreement, Agreement.id == CommitmentArea.agreement_id)
    ).all()
    # A row has the columns as attributes, as the table does: display() reads it the same way.
    return {r.id: (r.code, display(r, "title", lang), r.position) for r in rows}


def monthly_progress(*, session: Session, filters: Filters) -> list[tuple[str, float]]:
    """Portfolio weighted % complete at the end of each month, from the history.

    Each update moves the weighted total by weight * (after - before): summing those deltas
    per month in SQL and accumulating gives the curve without reading the updates."""
    conds = [*item_conditions(filters), ActionItem.status != ItemStatus.CANCELLED.value]
    month = year_month(ProgressUpdate.ts).label("month")
    # One sequential pass over the updates, grouped per item and month, then the item joins:
    # cheaper than a lookup per update from each item.
    per_item = select(
        ProgressUpdate.item_id, month,
        func.sum(ProgressUpdate.progress_after - func.coalesce(ProgressUpdate.progress_before, 0)).label("delta"),
    ).group_by(ProgressUpdate.item_id, month).subquery()
    moves = dict(session.exec(joined_to_agreement(
        select(per_item.c.month, func.sum(ActionItem.weight * per_item.c.delta)).select_from(per_item)
        .join(ActionItem, ActionItem.id == per_item.c.item_id)
    ).where(*conds).group_by(per_item.c.month)).all())
    created = year_month(ActionItem.created_at)
    weights = dict(session.exec(joined_to_agreement(select(created, func.sum(ActionItem.weight))).where(*conds).group_by(created)).all())
    total = done = 0.0
    out = []
    for m in sorted(set(moves) | set(weights)):
        done += float(moves.get(m) or 0)
        total += float(weights.get(m) or 0)
        if total > 0:
            out.append((m, done / total))
    lo = filters.date_from.strftime("%Y-%m") if filters.date_from else ""
    hi = filters.date_to.strftime("%Y-%m") if filters.date_to else "9999"
    return [(m, v) for m, v in out if lo <= m <= hi]


def update_activity(*, session: Session, filters: Filters, today: date, months: int = 12) -> list[tuple[str, str, int]]:
    """(lead organisation acronym, 'YYYY-MM', number of updates), GROUP BY in SQL.

    The inner GROUP BY reads only item_id and ts, which the (item_id, ts) index covers, so
    SQLite never visits the update rows themselves; the joins then see one row per item and
    month instead of one per update. The range is whole months and tested on the month
    itself: a test on ts would tempt SQLite into the ts index and a lookup per update."""
    start = filters.date_from or (today.replace(day=1) - timedelta(days=31 * (months - 1))).replace(day=1)
    stop = filters.date_to or today
    month = year_month(ProgressUpdate.ts).label("month")
    per_item = (
        select(ProgressUpdate.item_id, month, func.count().label("n"))
        .where(year_month(ProgressUpdate.ts).between(start.strftime("%Y-%m"), stop.strftime("%Y-%m")))
        .group_by(ProgressUpdate.item_id, month).subquery()
    )
    stmt = joined_to_agreement(
        select(Organisation.acronym, per_item.c.month, func.sum(per_item.c.n)).select_from(per_item)
        .join(ActionItem, ActionItem.id == per_item.c.item_id)
    ).join(Organisation, Organisation.id == ActionItem.lead_org_id).where(
        *item_conditions(filters)).group_by(Organisation.acronym, per_item.c.month)
    return [(o, m, int(n)) for o, m, n in session.exec(stmt).all()]


def filter_choices(*, session: Session) -> dict[str, list[str]]:
    """What the filter widgets offer."""
    return {
        "agreements": list(session.exec(select(Agreement.code).where(~Agreement.archived).order_by(Agreement.code)).all()),
        "orgs": list(session.exec(select(Organisation.acronym).order_by(Organisation.acronym)).all()),
    }
