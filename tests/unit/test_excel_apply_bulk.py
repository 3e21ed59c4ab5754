"""The import's bulk apply (services/items/batch.py) leaves exactly the database that
applying the same rows one by one through the single-item service leaves: the items,
their progress history and the audit trail, row for row."""
from __future__ import annotations

import json
from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session, select

from core.db import make_engine
from models import ActionItem, AuditEvent, CommitmentArea, Milestone, Organisation, ProgressUpdate, User
from services.audit.trail import record_event
from services.excel.imports.apply import SOURCE, ApplyResult, apply_import
from services.excel.imports.items_sheet import read_import
from services.excel.imports.plan import EDIT_FIELDS, PROGRESS_FIELDS, RowPlan
from services.items.progress import stage_progress_update, update_progress
from tests.conftest import TODAY
from tests.unit.excel_fixtures import NOW
from tests.unit.test_excel_import import edited


def clone(session: Session) -> Engine:
    """A second in-memory database holding a copy of this one."""
    session.commit()
    engine = make_engine("sqlite://")
    with engine.connect() as conn:
        session.connection().connection.driver_connection.backup(conn.connection.driver_connection)
    return engine


def one_by_one(session: Session, actor: User, plan, accepted, area_id) -> ApplyResult:
    """The reference: each row through stage_progress_update and record_event (the
    single-item path the pages use), as the import did before it wrote in bulk."""
    result = ApplyResult(0, 0, 0, 0, 0, 0)
    area = session.get(CommitmentArea, area_id) if area_id else None
    for r in plan.changed_rows:
        if r.item_id is None:
            if area is None:
                result.skipped_new += 1
                continue
            item = _create(session, actor, r, area)
            result.created += 1
        elif r.conflict and r.item_id not in accepted:
            result.skipped_conflicts += 1
            continue
        else:
            item = session.get(ActionItem, r.item_id)
        _apply(session, actor, item, r, result)
        result.updated += r.item_id is not None
    record_event(session=session, actor=actor, action="excel_import", detail=json.dumps(
        {"file": plan.filename, "sheet": plan.sheet, "result": str(result)}, ensure_ascii=False))
    session.commit()
    return result


def _create(session: Session, actor: User, r: RowPlan, area: CommitmentArea) -> ActionItem:
    lead = next((o.id for o in session.exec(select(Organisation)).all() if o.acronym == r.lead), None)
    item = ActionItem(area_id=area.id, title=r.title, category=area.category, lead_org_id=lead, created_at=NOW)
    session.add(item)
    session.flush()
    record_event(session=session, actor=actor, action="create_item", object_type="item", object_id=item.id,
                 after={"title": item.title, "area_id": area.id, "lead_org_id": lead}, detail=SOURCE)
    return item


def _apply(session: Session, actor: User, item: ActionItem, r: RowPlan, result: ApplyResult) -> None:
    plain = lambda v: v.isoformat() if hasattr(v, "isoformat") else v  # noqa: E731
    changes = r.changes
    edits = {k: v for k, v in changes.items() if k in EDIT_FIELDS}
    if edits:
        item.due_date = edits["due_date"][1] if "due_date" in edits else item.due_date
        item.owner_name = edits["owner"][1] if "owner" in edits else item.owner_name
        session.add(item)
        record_event(session=session, actor=actor, action="edit_item", object_type="item", object_id=item.id,
                     before={k: plain(o) for k, (o, _) in edits.items()},
                     after={k: plain(n) for k, (_, n) in edits.items()}, detail=SOURCE)
        result.edits += len(edits)
    if any(k in changes for k in PROGRESS_FIELDS):
        expected = r.expected_version if (r.expected_version is not None and not r.conflict) else item.version
        update = stage_progress_update(
            session=session, actor=actor, item=item, expected_version=expected,
            status=changes.get("status", (None, item.status))[1],
            progress=changes.get("progress", (None, item.progress))[1],
            note=changes.get("note", (None, None))[1], evidence_url=changes.get("evidence", (None, None))[1],
            source=SOURCE, now=NOW, confirm_open_milestones=True)
        if edits:
            update.changes = json.dumps({k: [plain(o), plain(n)] for k, (o, n) in edits.items()})
        result.progress_updates += 1


def state(engine: Engine) -> dict:
    """Every row an import writes; audit times are wall-clock, so they are left out."""
    def rows(model, skip=()):
        names = [c.name for c in model.__table__.columns if c.name not in skip]
        with Session(engine) as s:
            return [tuple(getattr(o, n) for n in names) for o in s.exec(select(model).order_by(model.id)).all()]
    return {"items": rows(ActionItem), "updates": rows(ProgressUpdate), "events": rows(AuditEvent, skip=("ts",))}


def pick(session: Session) -> list[ActionItem]:
    return [i for i in session.exec(select(ActionItem).order_by(ActionItem.id)).all()
            if i.status == "in_progress" and 10 <= i.progress < 80]


def test_bulk_apply_writes_what_one_by_one_writes(sampled, users):
    sec = users["secretariat"]
    a, b, c, d, e, f, g = pick(sampled)[:7]
    sampled.add(Milestone(item_id=b.id, title="Sign-off"))  # completing b confirms past it
    sampled.commit()

    def edit(ws, col, rows):
        ws.cell(rows[a.id], col["Progress (%)"]).value = a.progress + 5
        ws.cell(rows[a.id], col["Note"]).value = "Workshop held"
        ws.cell(rows[b.id], col["Status"]).value = "Completed"
        ws.cell(rows[b.id], col["Progress (%)"]).value = 100
        ws.cell(rows[b.id], col["Due date"]).value = date(2027, 3, 31)
        ws.cell(rows[b.id], col["Owner"]).value = "Puan Aminah"
        ws.cell(rows[c.id], col["Due date"]).value = date(2027, 6, 30)  # a field edit only
        ws.cell(rows[d.id], col["Owner"]).value = "Encik Lim"
        ws.cell(rows[e.id], col["Evidence link"]).value = "https://example.gov.my/minutes.pdf"
        ws.cell(rows[e.id], col["Note"]).value = "Minutes filed"
        for item in (f, g):  # both changed in the dashboard after the export: conflicts
            ws.cell(rows[item.id], col["Progress (%)"]).value = item.progress + 2
            ws.cell(rows[item.id], col["Note"]).value = "From the file"

    data = edited(sampled, edit)
    for item in (f, g):
        update_progress(session=sampled, actor=sec, item_id=item.id, expected_version=item.version,
                        status="in_progress", progress=item.progress + 1, note="In the dashboard", now=NOW)
    plan = read_import(session=sampled, actor=sec, data=data, filename="r.xlsx", today=TODAY)
    assert plan.ok, plan.problems
    area = sampled.exec(select(CommitmentArea).order_by(CommitmentArea.id)).first()
    plan.rows.append(RowPlan(row=99, item_id=None, title="A new item from a tracker", lead="MDEC",
                             target={"status": "in_progress", "progress": 10, "due_date": date(2027, 1, 31),
                                     "owner": "Dr Tan", "note": "Started"}))
    reference = clone(sampled)

    bulk = apply_import(session=sampled, actor=sec, plan=plan, now=NOW, accept_conflicts=[f.id], area_id=area.id)
    with Session(reference, expire_on_commit=False) as other:
        expected = one_by_one(other, other.get(User, sec.id), plan, {f.id}, area.id)

    assert str(bulk) == str(expected)
    assert (bulk.updated, bulk.progress_updates, bulk.edits, bulk.created, bulk.skipped_conflicts) == (6, 5, 6, 1, 1)
    ours, theirs = state(sampled.get_bind()), state(reference)
    assert len(ours["updates"]) > 0 and len(ours["events"]) > 0
    assert ours == theirs


def test_bulk_apply_refreshes_items_loaded_in_the_session(sampled, users):
    """ORM copies loaded before the apply show the new state, not the old one."""
    sec = users["secretariat"]
    a = pick(sampled)[0]

    def edit(ws, col, rows):
        ws.cell(rows[a.id], col["Progress (%)"]).value = a.progress + 4
        ws.cell(rows[a.id], col["Note"]).value = "Moving"

    data = edited(sampled, edit)
    plan = read_import(session=sampled, actor=sec, data=data, filename="r.xlsx", today=TODAY)
    old = (a.progress, a.version)
    apply_import(session=sampled, actor=sec, plan=plan, now=NOW)
    assert (a.progress, a.version) == (old[0] + 4, old[1] + 1)
