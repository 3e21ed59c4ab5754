"""Every text field of every table, and every service that writes text, goes through the one
text gate (models/text.py), with the same result on SQLite and on PostgreSQL (which, unlike
SQLite, enforces VARCHAR lengths: a text over the limit must be refused before it gets there)."""
import ast
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import String
from sqlmodel import AutoString, Session, select

import models

from models import ActionItem, Agreement, AuditEvent, CommitmentArea, Decision, EvidenceLink, Meeting, Milestone, ProgressUpdate, User
from models.gate import gate_row, text_fields
from models.tables import RAW_TEXT
from models.text import TextRefused, clean_text, text_limit
from services.accounts.users import create_user
from services.agreements.setup import create_item, edit_item, save_agreement, save_area
from services.errors import ValidationFailed
from services.items.bulk import BulkEdit, bulk_update
from services.items.detail import add_evidence, add_milestone
from services.items.progress import update_progress
from services.meetings.register import create_meeting_item, ensure_meeting, record_decision, save_meeting
from services.seeding.facts import ensure_system_user
from services.seeding.sample import seed_sample
from tests.unit.scenario import TODAY, build_scenario

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 26, 9, tzinfo=timezone.utc)
# Word's manual line break (VT), CR LF, NUL, a non-character, a decomposed é, spaces around.
DIRTY = "  Pasted\x0bfrom Word\r\nline\x00 two\ufffe e\u0301  "
# One-line fields (names) must not hold line breaks; the rest of the dirt is the same.
DIRTY_LINE = "  Siti\x00 binti\ufffe Ali e\u0301  "
SHORT = " a\x0bb\x00e\u0301 "  # fits the shortest field (a language code, 5)


def tables() -> list[type]:
    """Every table model (models/__init__.py imports them all)."""
    found = [getattr(models, name) for name in models.__all__]
    return sorted((t for t in found if isinstance(t, type) and hasattr(t, "__table__")), key=lambda t: t.__name__)


def string_fields(table: type) -> list[str]:
    """Every column that stores text, whatever its Python annotation says."""
    return [f for f in table.model_fields if f in table.__table__.c and
            isinstance(table.__table__.c[f].type, (String, AutoString))]


# --- the walk over every table's text fields ---------------------------------------------

def test_every_text_field_is_gated_or_declared_raw():
    gated = {(t.__name__, f) for t in tables() for f in text_fields(t)}
    every = {(t.__name__, f) for t in tables() for f in string_fields(t)}
    assert every - gated == set(RAW_TEXT) & every  # only the declared machine-made text skips it
    assert set(RAW_TEXT) <= every, "RAW_TEXT names a field that no longer exists"


@pytest.mark.parametrize("table", tables(), ids=lambda t: t.__name__)
def test_every_varchar_limit_is_the_fields_limit(table):
    """One limit per field: the gate's limit (the SQLModel field) is the column's length."""
    for field in text_fields(table):
        length = getattr(table.__table__.c[field].type, "length", None)
        if length is not None:
            assert text_limit(table, field) == length, f"{table.__name__}.{field}"


@pytest.fixture
def world(store_engine):
    with Session(store_engine, expire_on_commit=False) as session:
        w = build_scenario(session)
        seed_sample(session=session, actor=ensure_system_user(session=session), today=TODAY)
        add_evidence(session=session, actor=w.users["secretariat"], item_id=w.a, url="https://example.gov.my/e")
        session.commit()
        yield session, w


# Tables of later features that the scenario does not fill; their fields are proven gated by
# test_every_text_field_is_gated_or_declared_raw (the same before-flush hook writes them).
EMPTY_IN_WORLD = {"SentMail", "UpdateRequest", "JointBody", "BodyMember", "BodyAgreement", "AgreementRelation",
                  "ItemCarry", "ItemOutcome", "SignInThrottle", "MeetingSnapshot", "SnapshotItem"}
# Append-only tables refuse updates (database triggers): a new row is written instead.
APPEND_ONLY = {
    AuditEvent: lambda session: AuditEvent(action="walk"),
    ProgressUpdate: lambda session: ProgressUpdate(**{
        k: v for k, v in session.exec(select(ProgressUpdate)).first().model_dump().items() if k != "id"}),
}


@pytest.mark.store
def test_every_text_field_is_cleaned_and_limited_when_written(world):
    """Any ORM write of any gated field (a service, the seed, a later feature that forgot the
    gate) stores the cleaned text, and text over the limit never reaches the database."""
    session, _ = world
    walked = 0
    for table in tables():
        for field in text_fields(table):
            row = APPEND_ONLY[table](session) if table in APPEND_ONLY else session.exec(select(table)).first()
            if row is None:  # a table the scenario leaves empty: gated by the same hook (see above)
                assert table.__name__ in EMPTY_IN_WORLD, f"the world has no {table.__name__} to write"
                continue
            session.add(row)
            setattr(row, field, SHORT)
            session.flush()
            session.expire(row)
            assert getattr(row, field) == clean_text(SHORT) == "a\nbé", f"{table.__name__}.{field}"
            session.rollback()
            limit = text_limit(table, field)
            if limit is not None:
                setattr(row, field, "x" * (limit + 1))
                session.add(row)
                with pytest.raises(TextRefused):
                    session.flush()
                session.rollback()
            walked += 1
    assert walked > 60


def test_core_inserts_pass_the_gate_too():
    row = gate_row(ProgressUpdate, {"note": DIRTY, "changes": '{"a": "\\u2028"}', "progress_after": 5})
    assert row == {"note": clean_text(DIRTY), "changes": '{"a": "\\u2028"}', "progress_after": 5}
    with pytest.raises(TextRefused):
        gate_row(ActionItem, {"owner_name": "x" * 274})


# --- every writing service ---------------------------------------------------------------

def _area(session, w):
    return session.get(ActionItem, w.a).area_id


def _body(session, w) -> int:
    from models import JointBody

    body = session.exec(select(JointBody).where(JointBody.name_en == "Gate JWG")).first()
    if body is None:
        body = JointBody(name_en="Gate JWG")
        session.add(body)
        session.commit()
    return body.id


def _meeting(session, w):
    return ensure_meeting(session=session, actor=w.users["secretariat"], body_id=_body(session, w), held_on=TODAY).id


def _lead(session, w) -> int:
    return session.get(ActionItem, w.a).lead_org_id


def _agreement(session, w, text):
    lead = session.get(Agreement, session.get(CommitmentArea, _area(session, w)).agreement_id).lead_org_id
    return save_agreement(session=session, actor=w.users["secretariat"], data={
        "code": "MY-GATE-1", "kind": "MoU", "title_en": "Gate agreement", "lead_org_id": lead, "signatories": text})


def _bulk(session, w, field, text):
    item = session.get(ActionItem, w.c)
    changes = {"owner_name": text} if field == "owner_name" else {"progress": 5}
    result = bulk_update(session=session, actor=w.users["secretariat"], note=text if field == "note" else "Batch",
                         edits=[BulkEdit(item.id, item.version, changes)], now=NOW)
    if not result.ok:
        raise ValidationFailed(" ".join(str(m) for p in result.problems for m in p.problems))
    return session.exec(select(ProgressUpdate).order_by(ProgressUpdate.id.desc())).first() if field == "note" \
        else session.get(ActionItem, w.c)


def _progress(session, w, text):
    item = session.get(ActionItem, w.a)
    return update_progress(session=session, actor=w.users["secretariat"], item_id=item.id,
                           expected_version=item.version, status="in_progress", progress=70, note=text, now=NOW)


def _edit(session, w, text):
    item = session.get(ActionItem, w.c)
    return edit_item(session=session, actor=w.users["secretariat"], item_id=item.id,
                     expected_version=item.version, data={"description": text})


def _sec(w):
    return w.users["secretariat"]


# service -> (how it writes `text`, the table and field it lands in, the dirty input)
WRITERS = {
    "save_agreement": (_agreement, Agreement, "signatories", DIRTY),
    "save_area": (lambda s, w, t: save_area(session=s, actor=_sec(w), data={
        "agreement_id": session_agreement(s, w), "title_en": t}), CommitmentArea, "title_en", DIRTY),
    "create_item": (lambda s, w, t: create_item(session=s, actor=_sec(w), data={
        "area_id": _area(s, w), "title": "Gate item", "owner_name": t}), ActionItem, "owner_name", DIRTY_LINE),
    "edit_item": (_edit, ActionItem, "description", DIRTY),
    "update_progress": (_progress, ProgressUpdate, "note", DIRTY),
    "bulk_update": (lambda s, w, t: _bulk(s, w, "owner_name", t), ActionItem, "owner_name", DIRTY_LINE),
    "bulk_update note": (lambda s, w, t: _bulk(s, w, "note", t), ProgressUpdate, "note", DIRTY),
    "add_milestone": (lambda s, w, t: add_milestone(session=s, actor=_sec(w), item_id=w.a, title=t),
                      Milestone, "title", DIRTY),
    "add_evidence": (lambda s, w, t: add_evidence(session=s, actor=_sec(w), item_id=w.a,
                                                  url="https://example.gov.my/x", label=t), EvidenceLink, "label", DIRTY),
    "save_meeting": (lambda s, w, t: save_meeting(session=s, actor=_sec(w), data={
        "body_id": _body(s, w), "held_on": TODAY, "summary": t}), Meeting, "summary", DIRTY),
    "record_decision": (lambda s, w, t: record_decision(session=s, actor=_sec(w), meeting_id=_meeting(s, w), text=t),
                        Decision, "text", DIRTY),
    "create_meeting_item": (lambda s, w, t: create_meeting_item(
        session=s, actor=_sec(w), meeting_id=_meeting(s, w), data={
            "area_id": _area(s, w), "title": "Agreed item", "lead_org_id": _lead(s, w), "owner_name": t}),
        ActionItem, "owner_name", DIRTY_LINE),
    "create_user": (lambda s, w, t: create_user(session=s, actor=admin(s, w),
                                                username="gate.user", role="viewer", display_name=t),
                    User, "display_name", DIRTY_LINE),
}
# Writes that take no free text (ids, dates, flags, enumerated values, passwords) and the
# bulk seeds that write through the ORM (gated by the walk above) or gate_row.
NO_FREE_TEXT = {
    "change_own_password", "set_user_language", "reset_password", "set_user_disabled", "change_user_role",
    "list_users", "set_archived", "export_events_xlsx", "record_event", "list_events", "audit_choices",
    "write_report", "check_bulk", "set_milestone_done", "stage_progress_update", "seed_facts", "seed_sample",
    "remove_sample", "issue_demo_passwords",
    # the Excel import (issue 20) checks its rows with models.text.check_text; its writes go
    # through stage_progress_update / ItemBatch (gate_row) and the ORM gate
    "apply_import", "read_import",
    # ids, dates, enumerated values and reads (issues 16, 17, 19)
    "delete_organisation", "merge_organisations", "get_original", "download_backup", "request_updates",
    "set_digest_frequency",
    # writes whose rows the ORM gate checks (the SentMail ledger: subjects built by the service)
    "send_reminders",
    # free text checked with models.text.check_text inside the service, each with its own tests
    # (tests/unit/test_organisations.py, test_documents*.py) on top of the ORM gate walked above
    "save_organisation", "add_document", "create_areas_from_clauses",
    # ids, dates, flags (issues 13, 14, 15, 18): their rows pass the ORM gate walked above
    "editable_item_ids", "ensure_meeting", "lift_address_wait", "list_locks", "unlock_account", "mark_held",
    "take_snapshot", "set_clock", "carry_items",
    # free text (names, titles, outcome notes) checked in the service and by the ORM gate; their own
    # tests: tests/unit/test_meetings.py, test_renewal.py, test_package.py
    "save_body", "add_stated_agreement", "renew_agreement", "close_agreement",
}


def session_agreement(session, w):
    return session.get(CommitmentArea, _area(session, w)).agreement_id


def admin(session, w):
    return w.users["admin"]


def writing_services() -> set[str]:
    """Every public service function that takes `session` and `actor` (the writes do)."""
    found = set()
    for path in (ROOT / "services").rglob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                names = {a.arg for a in node.args.args + node.args.kwonlyargs}
                if {"session", "actor"} <= names:
                    found.add(node.name)
    return found


def test_every_writing_service_is_walked():
    walked = {name.split()[0] for name in WRITERS}
    assert writing_services() - walked - NO_FREE_TEXT == set(), "add the new write to WRITERS or NO_FREE_TEXT"
    assert (walked | NO_FREE_TEXT) - writing_services() == set(), "a listed service no longer exists"


@pytest.mark.store
@pytest.mark.parametrize("name", sorted(WRITERS))
def test_each_service_stores_the_cleaned_text(world, name):
    session, w = world
    write, table, field, dirty = WRITERS[name]
    row = write(session, w, dirty)
    session.commit()
    session.expire_all()
    stored = session.get(table, row.id) if hasattr(row, "id") else row
    assert getattr(stored, field) == clean_text(dirty)


@pytest.mark.store
@pytest.mark.parametrize("name", sorted(WRITERS))
def test_each_service_refuses_text_over_the_limit_in_words(world, name):
    """The same refusal on SQLite and PostgreSQL, as a message, with nothing written."""
    session, w = world
    write, table, field, _ = WRITERS[name]
    limit = text_limit(table, field)
    before = session.exec(select(table)).all()
    with pytest.raises(ValidationFailed) as caught:
        write(session, w, "y" * (limit + 1))
    assert str(limit) in str(caught.value) or str(limit) in " ".join(map(str, caught.value.problems))
    session.rollback()
    assert len(session.exec(select(table)).all()) == len(before)


def test_the_long_owner_of_the_issue_is_refused_by_the_form_path(session, users):
    """274 characters of owner: refused in words naming the field and the limit."""
    area = session.exec(select(CommitmentArea)).first()
    with pytest.raises(ValidationFailed) as caught:
        create_item(session=session, actor=users["secretariat"],
                    data={"area_id": area.id, "title": "Owner check", "owner_name": "o" * 274})
    assert "Owner name is 274 characters long; the limit is 200." in str(caught.value)
    assert "Nama pegawai bertanggungjawab mempunyai 274 aksara; hadnya ialah 200." in caught.value.text("ms")


def test_the_word_line_break_note_is_stored_as_a_line_break(session, users):
    area = session.exec(select(CommitmentArea)).first()
    item = create_item(session=session, actor=users["secretariat"], data={"area_id": area.id, "title": "Note check"})
    update = update_progress(session=session, actor=users["secretariat"], item_id=item.id,
                             expected_version=item.version, status="in_progress", progress=10,
                             note="First line\x0bsecond line", now=NOW)
    assert session.get(ProgressUpdate, update.id).note == "First line\nsecond line"
