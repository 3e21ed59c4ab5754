"""Creating and editing agreements, areas and items: validation, permissions, quotes found in
the source text, versions, and archive/restore instead of delete."""
from datetime import date

import pytest
from sqlmodel import func, select

from models import ActionItem, Agreement, AgreementCounterpart, AuditEvent, CommitmentArea, ProgressUpdate, SourceDocument
from services.errors import NotFound, PermissionDenied, StaleVersion, ValidationFailed
from services.items.progress import update_progress
from services.agreements.setup import create_item, edit_item, list_archived, save_agreement, save_area, set_archived
from tests.unit.item_factories import NOW, add_item, org_id


def agreement_data(session, **kw):
    data = {"code": "MY-SG-DATA-2026", "kind": "MoU", "title_en": "MoU on data cooperation",
            "lead_org_id": org_id(session, "KD"), "counterpart_ids": [org_id(session, "NDRC")],
            "signed_on": date(2026, 2, 1), "status": "in_force"}
    data.update(kw)
    return data


def test_create_and_edit_agreement(seeded, users):
    sec = users["secretariat"]
    a = save_agreement(session=seeded, actor=sec, data=agreement_data(seeded))
    assert seeded.exec(select(AgreementCounterpart).where(AgreementCounterpart.agreement_id == a.id)).one()
    save_agreement(session=seeded, actor=sec, agreement_id=a.id,
                   data=agreement_data(seeded, title_en="MoU on data cooperation (amended)", counterpart_ids=[]))
    assert seeded.get(Agreement, a.id).title_en.endswith("(amended)")
    assert seeded.exec(select(AgreementCounterpart).where(AgreementCounterpart.agreement_id == a.id)).all() == []
    actions = seeded.exec(select(AuditEvent.action).where(AuditEvent.object_type == "agreement")).all()
    assert actions == ["create_agreement", "edit_agreement"]


def test_agreement_facts_are_entered_in_each_language(seeded, users):
    per_language = {"title_zh": "数据合作谅解备忘录", "signed_date_note_ms": "Ditandatangani pada 1 Februari 2026",
                    "signatories_zh": "某某，部长", "witnesses_ms": "Perdana Menteri"}
    a = save_agreement(session=seeded, actor=users["secretariat"], data=agreement_data(seeded, **per_language))
    stored = seeded.get(Agreement, a.id)
    assert {k: getattr(stored, k) for k in per_language} == per_language
    area = save_area(session=seeded, actor=users["secretariat"], data={
        "agreement_id": a.id, "title_en": "Data exchange", "title_zh": "数据交换"})
    assert seeded.get(CommitmentArea, area.id).title_zh == "数据交换"


@pytest.mark.parametrize("change,message", [
    ({"code": "x"}, "Reference code"),
    ({"code": "has spaces"}, "Reference code"),
    ({"kind": "Treaty"}, "Kind"),
    ({"title_en": ""}, "Title \\(English\\)"),
    ({"status": "ratified"}, "Status"),
    ({"signed_on": "2026-02-30"}, "Signed on"),
    ({"expires_on": date(2025, 1, 1)}, "expiry date must be after"),
    ({"lead_org_id": 999}, "lead organisation"),
    ({"counterpart_ids": [999]}, "counterpart organisation"),
    ({"code": "MY-CN-AI-2025"}, "already used"),
])
def test_agreement_validation(seeded, users, change, message):
    with pytest.raises(ValidationFailed, match=message):
        save_agreement(session=seeded, actor=users["secretariat"], data=agreement_data(seeded, **change))


@pytest.mark.parametrize("role", ["viewer", "focal_point"])
def test_only_structure_roles_create(seeded, users, role):
    with pytest.raises(PermissionDenied):
        save_agreement(session=seeded, actor=users[role], data=agreement_data(seeded))


def test_area_quote_must_be_found_in_the_source_text(seeded, users):
    agreement = seeded.exec(select(Agreement).where(Agreement.code == "MY-CN-AI-2025")).one()
    doc = seeded.get(SourceDocument, agreement.source_document_id)
    quote = "risiko keselamatan AI"
    area = save_area(session=seeded, actor=users["secretariat"], data={
        "agreement_id": agreement.id, "title_en": "AI safety (second look)", "category": "ethics_safety", "quote": quote})
    assert doc.text[area.quote_start:area.quote_end] == quote
    with pytest.raises(ValidationFailed, match="not found"):
        save_area(session=seeded, actor=users["secretariat"], area_id=area.id, data={
            "agreement_id": agreement.id, "title_en": "AI safety (second look)", "quote": "quantum supremacy"})
    assert seeded.get(CommitmentArea, area.id).quote_start is not None  # refused edit changed nothing


@pytest.mark.parametrize("change,message", [
    ({"title": "ab"}, "Title"),
    ({"area_id": 999}, "commitment area"),
    ({"due_date": date(2025, 12, 1)}, "due date cannot be before"),
    ({"owner_email": "not-an-email"}, "Owner e-mail"),
    ({"weight": 0}, "Weight"),
    ({"priority": "urgent"}, "Priority"),
    ({"category": "misc"}, "Category"),
    ({"supporting_org_ids": [999]}, "supporting organisation"),
    ({"surprise": 1}, "Surprise"),
])
def test_item_validation(seeded, users, change, message):
    area = seeded.exec(select(CommitmentArea)).first()
    data = {"area_id": area.id, "title": "Hold a workshop", "start_date": date(2026, 1, 1),
            "due_date": date(2026, 6, 30), **change}
    with pytest.raises(ValidationFailed, match=message):
        create_item(session=seeded, actor=users["secretariat"], data=data)
    assert seeded.exec(select(func.count()).select_from(ActionItem)).one() == 0


def test_create_item_starts_not_started_without_history(seeded, users):
    area = seeded.exec(select(CommitmentArea)).first()
    item = create_item(session=seeded, actor=users["admin"], data={
        "area_id": area.id, "title": "Hold a workshop", "lead_org_id": org_id(seeded, "MDEC"),
        "supporting_org_ids": [org_id(seeded, "KD")], "owner_email": "siti@digital.gov.my"})
    assert (item.status, item.progress, item.version) == ("not_started", 0, 1)
    assert seeded.exec(select(ProgressUpdate)).all() == []


def test_edit_item_bumps_version_and_refuses_stale(seeded, users):
    item = add_item(seeded)
    sec = users["secretariat"]
    edit_item(session=seeded, actor=sec, item_id=item.id, expected_version=1, data={"due_date": date(2026, 11, 1)})
    assert seeded.get(ActionItem, item.id).version == 2
    with pytest.raises(StaleVersion, match="Sec1"):
        edit_item(session=seeded, actor=sec, item_id=item.id, expected_version=1, data={"owner_name": "Someone"})
    with pytest.raises(ValidationFailed, match="Nothing changed"):
        edit_item(session=seeded, actor=sec, item_id=item.id, expected_version=2, data={"due_date": date(2026, 11, 1)})


@pytest.mark.parametrize("role,lead,data,allowed", [
    ("focal_point", "MDEC", {"owner_name": "Aminah"}, True),
    ("focal_point", "MDEC", {"due_date": date(2026, 10, 1)}, False),
    ("focal_point", "KD", {"owner_name": "Aminah"}, False),
    ("viewer", "MDEC", {"owner_name": "Aminah"}, False),
    ("secretariat", "KD", {"title": "Renamed item"}, True),
])
def test_who_may_edit_items(seeded, users, role, lead, data, allowed):
    item = add_item(seeded, lead)
    call = lambda: edit_item(session=seeded, actor=users[role], item_id=item.id, expected_version=1, data=data)  # noqa: E731
    if allowed:
        call()
    else:
        with pytest.raises(PermissionDenied):
            call()


def test_archive_and_restore_keep_everything(seeded, users):
    item = add_item(seeded)
    sec = users["secretariat"]
    update_progress(session=seeded, actor=sec, item_id=item.id, expected_version=1, status="in_progress",
                    progress=20, now=NOW)
    set_archived(session=seeded, actor=sec, kind="item", object_id=item.id, archived=True)
    assert list_archived(session=seeded)["item"] == [(item.id, item.title)]
    assert list_archived(session=seeded, lang="zh")["item"] == [(item.id, f"‹EN› {item.title}")]
    with pytest.raises(ValidationFailed, match="archived"):
        update_progress(session=seeded, actor=sec, item_id=item.id, expected_version=3, status="in_progress",
                        progress=30, now=NOW)
    seeded.rollback()
    with pytest.raises(ValidationFailed, match="already archived"):
        set_archived(session=seeded, actor=sec, kind="item", object_id=item.id, archived=True)
    set_archived(session=seeded, actor=sec, kind="item", object_id=item.id, archived=False)
    assert list_archived(session=seeded)["item"] == []
    assert len(seeded.exec(select(ProgressUpdate).where(ProgressUpdate.item_id == item.id)).all()) == 1


@pytest.mark.parametrize("kind,object_id,error", [("user", 1, ValidationFailed), ("item", 999, NotFound)])
def test_archive_refusals(seeded, users, kind, object_id, error):
    with pytest.raises(error):
        set_archived(session=seeded, actor=users["admin"], kind=kind, object_id=object_id, archived=True)


def test_focal_points_cannot_archive(seeded, users):
    item = add_item(seeded)
    with pytest.raises(PermissionDenied):
        set_archived(session=seeded, actor=users["focal_point"], kind="item", object_id=item.id, archived=True)
