"""Synthetic data for the benchmarks: many agreements, items and updates at three scales.

Built on the seed (organisations, source document, system user) and on services/seeding/sample_history.py,
so synthetic histories keep the same invariant as the sample data: an item's status and
progress equal its last update's. Synthetic data is sample data: every agreement, item and
update is flagged is_sample and titles start with "[Synthetic] "."""
from __future__ import annotations

import json
import random
from datetime import date, datetime, time, timedelta, timezone
from typing import Callable, NamedTuple, Optional

from sqlalchemy import insert, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from models.gate import gate_row
from models import (
    ActionItem, Agreement, AgreementCounterpart, AgreementKind, Category, CommitmentArea,
    ItemStatus, Organisation, Priority, ProgressUpdate, SourceDocument,
)
from services.audit.trail import record_event
from services.seeding.sample_history import pick_state, plan_history
from services.errors import ValidationFailed
from services.seeding.facts import DATA_DIR, ensure_system_user, seed_facts

SCALES: dict[str, tuple[int, int, int]] = {  # agreements, action items, progress updates
    "S": (31, 600, 10_000),
    "M": (500, 10_000, 200_000),
    "L": (5_000, 100_000, 2_000_000),
}
SYNTHETIC_PREFIX = "[Synthetic] "
CODE_PREFIX = "SYN-"
EARLIEST_START = date(2025, 4, 16)  # the signing: no work starts before it
WINDOW_DAYS = 730
CHUNK_ITEMS = 2_000  # ~40,000 updates per INSERT batch: bounded memory even at scale L
CATEGORIES = [c.value for c in Category]
TOPICS = ["the digital economy", "artificial intelligence", "data centres", "cybersecurity",
          "smart cities", "digital talent", "e-commerce", "cross-border data"]
Progress = Callable[[int, int], None]  # (updates written, updates planned)


class ItemPlan(NamedTuple):
    area_id: int
    category: str
    lead_org_id: int
    start: date
    due: date
    status: str
    progress: int
    priority: str
    owner: str


def generate_synthetic(
    *, engine: Engine, scale: str, today: date, seed: int = 1,
    sizes: Optional[tuple[int, int, int]] = None, progress: Optional[Progress] = None,
) -> dict[str, int]:
    """Seed the facts, then add synthetic agreements, areas, items and updates; returns counts.

    `sizes` (agreements, items, updates) overrides SCALES[scale]. The counts are exact."""
    n_agreements, n_items, n_updates = sizes or SCALES[scale]
    floor = max(EARLIEST_START, today - timedelta(days=WINDOW_DAYS))
    if floor > today:
        raise ValidationFailed(f"today ({today}) is before the earliest start ({EARLIEST_START})")
    rng = random.Random(seed)
    spec = json.loads((DATA_DIR / "sample_items.json").read_text(encoding="utf-8"))
    with Session(engine, expire_on_commit=False) as session:
        system = ensure_system_user(session=session)
        seed_facts(session=session, actor=system)
        _refuse_second_load(session)
        org_ids = list(session.exec(select(Organisation.id).order_by(Organisation.id)).all())
        doc_id = session.exec(select(SourceDocument.id)).first()
        areas = _add_agreements(session, rng, n_agreements, org_ids, doc_id, floor, today)
        plans = _plan_items(rng, n_items, areas, org_ids, floor, today, spec["owners"])
        counts = allocate_updates(rng, [_capacity(p, today) for p in plans], n_updates)
        author = (system.id, spec["notes"])
        _add_items(session, rng, plans, counts, author, today, progress)
        _sync_sequences(session)
        result = {"agreements": n_agreements, "areas": len(areas), "items": n_items,
                  "updates": n_updates}
        record_event(session=session, actor=system, action="seed_synthetic",
                     detail=json.dumps({"scale": scale, **result}))
        session.commit()
    return result


def _refuse_second_load(session: Session) -> None:
    found = session.exec(select(func.count()).select_from(Agreement)
                         .where(Agreement.code.startswith(CODE_PREFIX))).one()
    if found:
        raise ValidationFailed("synthetic data is already loaded: use a fresh database")


def _next_id(session: Session, model) -> int:  # noqa: ANN001
    # Ids are assigned here so bulk inserts need no RETURNING round trip per row.
    return session.exec(select(func.coalesce(func.max(model.id), 0))).one() + 1


def _insert(session: Session, model, rows: list[dict]) -> None:  # noqa: ANN001
    # The table, not the ORM entity: ORM bulk insert splits a batch wherever a value is None
    # and costs ~35% more at scale M. The rows give every column that has a Python-side
    # default, so nothing the ORM would have filled in is missed.
    if not rows:
        return
    gated = [gate_row(model, row) for row in rows]  # Core and COPY skip the ORM's text gate
    if session.get_bind().dialect.driver == "psycopg":
        _copy(session, model.__table__, gated)
    else:
        session.execute(insert(model.__table__), gated)


def _copy(session: Session, table, rows: list[dict]) -> None:  # noqa: ANN001
    """PostgreSQL's COPY through psycopg's public copy API, inside the session's transaction:
    the rows stream as one COPY instead of an INSERT per batch. Every row names the same
    columns; values are adapted by psycopg as for a query (dates, UTC datetimes, booleans)."""
    columns = list(rows[0])
    names = ", ".join(f'"{c}"' for c in columns)
    driver = session.connection().connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])


def _day_in(rng: random.Random, floor: date, today: date) -> date:
    return floor + timedelta(days=rng.randrange((today - floor).days + 1))


def _add_agreements(session, rng, n, org_ids, doc_id, floor, today) -> list[tuple[int, str]]:  # noqa: ANN001
    """Agreements with 2-6 areas each and one or two counterparts; returns (area id, category)."""
    agreement_id, area_id = _next_id(session, Agreement), _next_id(session, CommitmentArea)
    agreements, counterparts, areas = [], [], []
    kinds = [k.value for k in AgreementKind]
    for k in range(1, n + 1):
        kind, lead = rng.choice(kinds), rng.choice(org_ids)
        status = rng.choices(["in_force", "draft", "expired"], [85, 10, 5])[0]
        agreements.append({
            "id": agreement_id, "code": f"{CODE_PREFIX}{k:04d}", "kind": kind,
            "title_en": f"{SYNTHETIC_PREFIX}{kind} on {rng.choice(TOPICS)} no. {k}",
            "lead_org_id": lead, "status": status, "source_document_id": doc_id,
            "signed_on": None if status == "draft" else _day_in(rng, floor, today),
            "archived": False, "is_sample": True,
        })
        others = [o for o in org_ids if o != lead]
        for org in rng.sample(others, min(len(others), rng.randint(1, 2))):
            counterparts.append({"agreement_id": agreement_id, "organisation_id": org})
        for position in range(1, rng.randint(2, 6) + 1):
            category = rng.choice(CATEGORIES)
            areas.append({
                "id": area_id, "agreement_id": agreement_id, "position": position,
                "title_en": f"{SYNTHETIC_PREFIX}Area {position}: {category.replace('_', ' ')}",
                "category": category, "archived": False,
            })
            area_id += 1
        agreement_id += 1
    for model, rows in ((Agreement, agreements), (AgreementCounterpart, counterparts),
                        (CommitmentArea, areas)):
        _insert(session, model, rows)
    return [(a["id"], a["category"]) for a in areas]


def _plan_items(rng, n, areas, org_ids, floor, today, owners) -> list[ItemPlan]:  # noqa: ANN001
    """Every area gets an item before any gets a second; items are kept in area order."""
    if n <= len(areas):
        picks = rng.sample(areas, n)
    else:
        picks = list(areas) + [rng.choice(areas) for _ in range(n - len(areas))]
    picks.sort()
    priorities = [p.value for p in Priority]
    plans = []
    for area_id, area_category in picks:
        start = _day_in(rng, floor, today)
        due = start + timedelta(days=rng.randrange(90, 721, 15))
        status, progress = pick_state(rng, start, due, today)
        category = area_category if rng.random() < 0.7 else rng.choice(CATEGORIES)
        plans.append(ItemPlan(area_id, category, rng.choice(org_ids), start, due, status,
                              progress, rng.choice(priorities), rng.choice(owners)))
    return plans


def _capacity(plan: ItemPlan, today: date) -> int:
    """Most updates an item can have: one per day since its start; none if not started."""
    if plan.status == ItemStatus.NOT_STARTED.value:
        return 0
    return (today - plan.start).days + 1


def allocate_updates(rng: random.Random, caps: list[int], total: int) -> list[int]:
    """Split exactly `total` updates: one per item that has a history, the rest weighted by
    how long the item has run (with noise), never more than an item's capacity."""
    active = [i for i, cap in enumerate(caps) if cap > 0]
    if not len(active) <= total <= sum(caps):
        raise ValidationFailed(f"{total} updates cannot fit {len(active)} started items "
                         f"(room for {sum(caps)})")
    counts = [1 if cap > 0 else 0 for cap in caps]
    weights = {i: caps[i] * rng.uniform(0.3, 1.7) for i in active}
    left = total - len(active)
    while left:
        room = [i for i in active if counts[i] < caps[i]]
        pool, scale = left, left / sum(weights[i] for i in room)
        for i in room:
            add = min(caps[i] - counts[i], int(weights[i] * scale))
            counts[i] += add
            left -= add
        if left == pool:  # every share rounded to zero: hand out the remainder one by one
            for i in rng.sample(room, min(left, len(room))):
                counts[i] += 1
                left -= 1
    return counts


def _add_items(session, rng, plans, counts, author, today, progress) -> None:  # noqa: ANN001
    item_id, done, total = _next_id(session, ActionItem), 0, sum(counts)
    for lo in range(0, len(plans), CHUNK_ITEMS):
        items, updates = [], []
        for plan, n in zip(plans[lo:lo + CHUNK_ITEMS], counts[lo:lo + CHUNK_ITEMS]):
            history = _update_rows(rng, plan, n, item_id, author, today)
            items.append(_item_row(plan, item_id, history[-1]["ts"] if history else None))
            updates.extend(history)
            item_id += 1
        _insert(session, ActionItem, items)
        _insert(session, ProgressUpdate, updates)
        done += len(updates)
        if progress:
            progress(done, total)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.utc)


def _item_row(plan: ItemPlan, item_id: int, last_ts: Optional[datetime]) -> dict:
    return {
        "id": item_id, "area_id": plan.area_id, "title": f"{SYNTHETIC_PREFIX}Action item {item_id}",
        "description": "Synthetic data for benchmarks; not stated in the source document.",
        "category": plan.category, "lead_org_id": plan.lead_org_id, "owner_name": plan.owner,
        "start_date": plan.start, "due_date": plan.due, "status": plan.status,
        "progress": plan.progress, "weight": 1.0, "priority": plan.priority,
        "created_at": _at(plan.start, 8), "last_update_at": last_ts, "archived": False,
        "is_sample": True, "version": 1,
    }


def _update_rows(rng, plan: ItemPlan, n: int, item_id: int, author, today) -> list[dict]:  # noqa: ANN001
    if n == 0:
        return []
    author_id, notes = author
    rows, status, pct = [], ItemStatus.NOT_STARTED.value, 0
    for when, after, after_pct in plan_history(rng, plan.start, today, plan.status,
                                                plan.progress, n_steps=n):
        rows.append({
            "item_id": item_id, "ts": _at(when, rng.randrange(8, 18), rng.randrange(60)),
            "author_id": author_id, "status_before": status, "status_after": after,
            "progress_before": pct, "progress_after": after_pct, "note": rng.choice(notes),
            "source": "seed", "is_sample": True,
        })
        status, pct = after, after_pct
    return rows


def _sync_sequences(session: Session) -> None:
    """PostgreSQL sequences do not see explicit ids: move them past the rows just added."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in ("agreement", "commitmentarea", "actionitem"):
        session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
        ))
