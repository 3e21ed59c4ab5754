"""The action items list: filters, sorting and paging, done in SQL as far as possible.

RAG depends on today, so it is computed in Python, but only on the few columns it needs:
phase one reads those columns for every matching item in the requested order, phase two
reads the display columns for the one page shown. That keeps the page fast at 10,000 items."""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from types import SimpleNamespace
from typing import Mapping, Optional

from sqlalchemy import exists, func, or_
from sqlmodel import Session, select

from models import ActionItem, Agreement, CommitmentArea, ItemSupport, Organisation, User
from services import rules
from services.i18n.content import display
from services.labels import NO_RAG, RAG_ORDER, STATUS_ORDER

SORTS = ("due", "title", "status", "progress", "updated", "rag", "agreement")


@dataclass(frozen=True)
class ItemFilter:
    """Everything a view of the list depends on; round-trips through a URL query string."""

    agreement: Optional[int] = None
    area: Optional[int] = None
    category: Optional[str] = None
    lead: Optional[int] = None
    org: Optional[int] = None  # lead or supporting organisation ("my items")
    status: tuple[str, ...] = ()
    rag: tuple[str, ...] = ()
    owner: Optional[str] = None
    due_from: Optional[date] = None
    due_to: Optional[date] = None
    q: Optional[str] = None
    open_only: bool = False
    archived: bool = False
    sort: str = "due"
    desc: bool = False


_INTS, _DATES, _LISTS, _FLAGS = ("agreement", "area", "lead", "org"), ("due_from", "due_to"), ("status", "rag"), ("open_only", "archived", "desc")  # noqa: E501


def filter_from_params(params: Mapping[str, object]) -> ItemFilter:
    """Read a filter from query parameters; unknown or malformed values are ignored."""
    values: dict = {}
    for f in fields(ItemFilter):
        raw = params.get(f.name)
        if raw in (None, ""):
            continue
        text = raw if isinstance(raw, str) else ",".join(map(str, raw)) if isinstance(raw, (list, tuple)) else str(raw)
        try:
            values[f.name] = _parse(f.name, text)
        except ValueError:
            continue
    if values.get("sort") not in SORTS:
        values.pop("sort", None)
    return ItemFilter(**values)


def _parse(name: str, text: str) -> object:
    if name in _INTS:
        return int(text)
    if name in _DATES:
        return date.fromisoformat(text)
    if name in _LISTS:
        allowed = STATUS_ORDER if name == "status" else RAG_ORDER
        return tuple(v for v in text.split(",") if v in allowed)
    if name in _FLAGS:
        return text.lower() in ("1", "true", "yes")
    return text.strip()[:200]


def filter_to_params(flt: ItemFilter) -> dict[str, str]:
    """The non-default values as query parameters, so a copied link reproduces the view."""
    out: dict[str, str] = {}
    default = ItemFilter()
    for f in fields(ItemFilter):
        value = getattr(flt, f.name)
        if value == getattr(default, f.name):
            continue
        if isinstance(value, tuple):
            out[f.name] = ",".join(value)
        elif isinstance(value, bool):
            out[f.name] = "1"
        elif isinstance(value, date):
            out[f.name] = value.isoformat()
        else:
            out[f.name] = str(value)
    return out


@dataclass(frozen=True)
class ItemListRow:
    id: int
    version: int
    title: str
    agreement: str
    area: str
    category: str
    lead: str
    owner: str
    status: str
    progress: int
    start: Optional[date]
    due: Optional[date]
    last_update: Optional[date]
    rag: Optional[str]
    archived: bool


@dataclass(frozen=True)
class ItemPage:
    rows: list[ItemListRow]
    total: int
    offset: int
    limit: int


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _where(stmt, flt: ItemFilter):  # noqa: ANN001
    stmt = stmt.where(ActionItem.archived == flt.archived)
    if not flt.archived:
        stmt = stmt.where(~CommitmentArea.archived, ~Agreement.archived)
    simple = ((flt.agreement, Agreement.id), (flt.area, ActionItem.area_id),
              (flt.category, ActionItem.category), (flt.lead, ActionItem.lead_org_id))
    for value, column in simple:
        if value is not None:
            stmt = stmt.where(column == value)
    if flt.org is not None:
        supports = exists().where(ItemSupport.item_id == ActionItem.id, ItemSupport.organisation_id == flt.org)
        stmt = stmt.where(or_(ActionItem.lead_org_id == flt.org, supports))
    if flt.status:
        stmt = stmt.where(ActionItem.status.in_(flt.status))
    if flt.open_only:
        stmt = stmt.where(ActionItem.status.not_in(rules.CLOSED_STATUSES))
    if flt.owner:
        stmt = stmt.where(ActionItem.owner_name.ilike(_like(flt.owner), escape="\\"))
    if flt.due_from:
        stmt = stmt.where(ActionItem.due_date >= flt.due_from)
    if flt.due_to:
        stmt = stmt.where(ActionItem.due_date <= flt.due_to)
    if flt.q:
        pattern = _like(flt.q)
        stmt = stmt.where(or_(*(c.ilike(pattern, escape="\\") for c in (
            ActionItem.title, ActionItem.description, ActionItem.owner_name,
            ActionItem.counterpart_focal_point))))
    return stmt


def _order(flt: ItemFilter) -> list:
    """SQL order for the chosen sort; empty dates go last either way. RAG sorts in Python
    (stably, so items of one rating stay in due-date order)."""
    desc = flt.desc and flt.sort != "rag"

    def way(column):  # noqa: ANN001
        return column.desc() if desc else column

    def nulls_last(column):  # noqa: ANN001
        return [column.is_(None), way(column)]

    keys = {
        "due": nulls_last(ActionItem.due_date), "rag": nulls_last(ActionItem.due_date),
        "updated": nulls_last(ActionItem.last_update_at), "title": [way(ActionItem.title)],
        "status": [way(ActionItem.status)], "progress": [way(ActionItem.progress)],
        "agreement": [way(Agreement.code), way(CommitmentArea.position)],
    }[flt.sort]
    return [*keys, ActionItem.id]


def _joined(*columns):
    return (select(*columns).join(CommitmentArea, CommitmentArea.id == ActionItem.area_id)
            .join(Agreement, Agreement.id == CommitmentArea.agreement_id))


def list_items(*, session: Session, flt: ItemFilter, today: date, offset: int = 0, limit: int = 200,
               lang: str = "en") -> ItemPage:
    """One page of the items matching `flt`, in its order, with the total count; titles in `lang`."""
    if flt.rag or flt.sort == "rag":
        ids = _ids_by_rag(session, flt, today)
        total = len(ids)
    else:  # the order and the count come from SQL; RAG is computed for the page only
        total = session.exec(_where(_joined(func.count(ActionItem.id)), flt)).one()
    if limit > 0:  # past the end: show the last page rather than nothing
        offset = max(0, min(offset, (total - 1) // limit * limit))
    if flt.rag or flt.sort == "rag":
        page_ids = ids[offset:offset + limit]
    else:
        page_ids = list(session.exec(_where(_joined(ActionItem.id), flt).order_by(*_order(flt))
                                     .offset(offset).limit(limit)).all())
    return ItemPage(rows=_rows(session, page_ids, today, lang), total=total, offset=offset, limit=limit)


def _ids_by_rag(session: Session, flt: ItemFilter, today: date) -> list[int]:
    """Every matching id in the requested order, filtered and sorted by RAG in Python on the
    few columns the rule needs."""
    states = session.exec(_where(_joined(
        ActionItem.id, ActionItem.status, ActionItem.progress, ActionItem.start_date,
        ActionItem.due_date, ActionItem.last_update_at, ActionItem.created_at,
    ), flt).order_by(*_order(flt))).all()
    rags = {r[0]: rules.compute_rag(status=r[1], progress=r[2], start=r[3], due=r[4],
                                     last_update=rules.as_date(r[5] or r[6]), today=today) or NO_RAG
            for r in states}
    ids = [r[0] for r in states if not flt.rag or rags[r[0]] in flt.rag]
    if flt.sort == "rag":
        rank = {k: n for n, k in enumerate(RAG_ORDER)}
        ids.sort(key=lambda i: rank[rags[i]], reverse=flt.desc)
    return ids


def _titles(r, lang: str) -> tuple[str, str]:  # noqa: ANN001
    """(item title, area title) in `lang`, marked when they fall back to another language."""
    item = SimpleNamespace(title=r[2], title_ms=r[15], title_zh=r[16])
    area = SimpleNamespace(title_en=r[4], title_ms=r[17], title_zh=r[18])
    return display(item, "title", lang), display(area, "title", lang)


def _rows(session: Session, ids: list[int], today: date, lang: str = "en") -> list[ItemListRow]:
    if not ids:
        return []
    found = session.exec(_joined(
        ActionItem.id, ActionItem.version, ActionItem.title, Agreement.code, CommitmentArea.title_en,
        ActionItem.category, Organisation.acronym, ActionItem.owner_name, ActionItem.status,
        ActionItem.progress, ActionItem.start_date, ActionItem.due_date, ActionItem.last_update_at,
        ActionItem.archived, ActionItem.created_at,
        ActionItem.title_ms, ActionItem.title_zh, CommitmentArea.title_ms, CommitmentArea.title_zh,
    ).outerjoin(Organisation, Organisation.id == ActionItem.lead_org_id).where(ActionItem.id.in_(ids))).all()
    by_id = {r[0]: r for r in found}
    rows = []
    for r in (by_id[i] for i in ids):
        last_update = rules.as_date(r[12] or r[14])
        rag = rules.compute_rag(status=r[8], progress=r[9], start=r[10], due=r[11], last_update=last_update, today=today)
        title, area = _titles(r, lang)
        rows.append(ItemListRow(id=r[0], version=r[1], title=title, agreement=r[3], area=area, category=r[5],
                            lead=r[6] or "", owner=r[7] or "", status=r[8], progress=r[9], start=r[10],
                            due=r[11], last_update=rules.as_date(r[12]), rag=rag, archived=r[13]))
    return rows


def my_items_filter(actor: User, *, open_only: bool = True) -> ItemFilter:
    """The items the actor's organisation leads or supports, due soonest first."""
    return ItemFilter(org=actor.organisation_id if actor.organisation_id is not None else -1,
                      open_only=open_only, sort="due")
