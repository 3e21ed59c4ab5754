"""The import's single transaction on the real stores (SQLite file in WAL mode, PostgreSQL)."""
from __future__ import annotations

import pytest
from sqlmodel import Session, select

from models import ActionItem, ProgressUpdate, Role, User
from services.errors import ValidationFailed
from services.excel.imports.apply import apply_import
from services.excel.imports.items_sheet import read_import
from services.items.batch import ItemBatch
from services.items.progress import update_progress
from services.seeding.sample import seed_sample
from services.seeding.facts import ensure_system_user, seed_facts
from tests.conftest import TODAY, make_user
from tests.unit.excel_fixtures import NOW, export_bytes, items_header, reopen, snapshot, to_bytes


@pytest.fixture
def store(store_engine):
    with Session(store_engine, expire_on_commit=False) as s:
        system = ensure_system_user(session=s)
        s.commit()
        seed_facts(session=s, actor=system)
        seed_sample(session=s, actor=system, today=TODAY)
        yield s, make_user(s, "sec.store", Role.SECRETARIAT)


def _edit_two(session) -> tuple[bytes, list[ActionItem]]:
    items = [i for i in session.exec(select(ActionItem).order_by(ActionItem.id)).all()
             if i.status == "in_progress" and i.progress < 90][:2]
    wb = reopen(export_bytes(session))
    ws = wb["Items"]
    col = items_header(ws)
    rows = {ws.cell(r, col["Item ID"]).value: r for r in range(2, ws.max_row + 1)}
    for item in items:
        ws.cell(rows[item.id], col["Progress (%)"]).value = item.progress + 3
        ws.cell(rows[item.id], col["Note"]).value = "From the store test"
    return to_bytes(wb), items


def test_round_trip_on_the_store(store):
    session, sec = store
    data, items = _edit_two(session)
    expected = {i.id: i.progress + 3 for i in items}
    plan = read_import(session=session, actor=sec, data=data, filename="r.xlsx", today=TODAY)
    apply_import(session=session, actor=sec, plan=plan, now=NOW)
    session.expire_all()
    assert {i: session.get(ActionItem, i).progress for i in expected} == expected
    assert len(session.exec(select(ProgressUpdate).where(ProgressUpdate.source == "import")).all()) == 2


def test_failure_rolls_everything_back_on_the_store(store):
    session, sec = store
    data, items = _edit_two(session)
    plan = read_import(session=session, actor=sec, data=data, filename="r.xlsx", today=TODAY)
    before = snapshot(session)
    last = session.get(ActionItem, max(i.id for i in items))
    last.archived = True  # archived after the preview: its row fails inside the transaction
    with pytest.raises(ValidationFailed, match="Nothing was saved"):
        apply_import(session=session, actor=sec, plan=plan, now=NOW)
    assert snapshot(session) == before


def _change_elsewhere(engine, actor_id: int, item_id: int) -> None:
    """Another user's progress update, committed on its own connection."""
    with Session(engine) as other:
        item = other.get(ActionItem, item_id)
        update_progress(session=other, actor=other.get(User, actor_id), item_id=item_id,
                        expected_version=item.version, status="in_progress", progress=item.progress + 1,
                        note="Changed in the dashboard meanwhile", now=NOW)


def test_item_changed_after_the_preview_refuses_the_whole_import(store, store_engine):
    session, sec = store
    data, items = _edit_two(session)
    plan = read_import(session=session, actor=sec, data=data, filename="r.xlsx", today=TODAY)
    session.commit()  # the preview's page run ends; the confirmation comes in another
    _change_elsewhere(store_engine, sec.id, items[1].id)
    before = snapshot(session)
    with pytest.raises(ValidationFailed, match="was changed by .* Nothing was saved"):
        apply_import(session=session, actor=sec, plan=plan, now=NOW)
    assert snapshot(session) == before
    assert not session.exec(select(ProgressUpdate).where(ProgressUpdate.source == "import")).all()


def test_owner_only_edit_of_an_item_changed_after_the_preview_is_refused(store, store_engine):
    """A row that edits only the owner must not overwrite a change made after the preview
    either: someone else's save is never silently written over."""
    session, sec = store
    item = next(i for i in session.exec(select(ActionItem).order_by(ActionItem.id)).all() if i.status == "in_progress")
    wb = reopen(export_bytes(session))
    ws = wb["Items"]
    col = items_header(ws)
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col["Item ID"]).value == item.id)
    ws.cell(row, col["Owner"]).value = "Puan Baharu"
    plan = read_import(session=session, actor=sec, data=to_bytes(wb), filename="r.xlsx", today=TODAY)
    assert plan.ok and not any(r.conflict for r in plan.changed_rows)
    session.commit()
    _change_elsewhere(store_engine, sec.id, item.id)
    before = snapshot(session)
    with pytest.raises(ValidationFailed, match="was changed by .* Nothing was saved"):
        apply_import(session=session, actor=sec, plan=plan, now=NOW)
    assert snapshot(session) == before


def test_item_changed_while_the_import_is_saved_refuses_it(store, store_engine, monkeypatch):
    """A change that lands after the checks read the items is caught by the versioned UPDATE."""
    session, sec = store
    data, items = _edit_two(session)
    plan = read_import(session=session, actor=sec, data=data, filename="r.xlsx", today=TODAY)
    session.commit()
    after_change = []
    real_load = ItemBatch.load

    def load_then_someone_else_saves(self, ids):
        states = real_load(self, ids)
        _change_elsewhere(store_engine, sec.id, items[0].id)
        with Session(store_engine) as other:
            after_change.append(snapshot(other))
        return states

    monkeypatch.setattr(ItemBatch, "load", load_then_someone_else_saves)
    with pytest.raises(ValidationFailed, match="while the import was being saved; nothing was saved"):
        apply_import(session=session, actor=sec, plan=plan, now=NOW)
    assert snapshot(session) == after_change[0]
