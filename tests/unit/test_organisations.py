"""Organisations (issue 16): create, edit, refusals, merge moving everything, delete only unused."""
import pytest
from sqlmodel import select

from models import ActionItem, Agreement, AgreementCounterpart, AuditEvent, ItemSupport, Organisation, User
from services.errors import NotFound, PermissionDenied, ValidationFailed
from services.organisations.records import (
    delete_organisation, merge_organisations, organisation_usage, save_organisation,
)
from tests.unit.item_factories import add_item, org_id

MIC = {"acronym": "MIC-VN", "name_en": "Ministry of Information and Communications", "country": "Viet Nam",
       "kind": "ministry", "name_ms": "Kementerian Maklumat dan Komunikasi", "name_zh": "信息和传媒部"}


def count(session, model) -> int:
    return len(session.exec(select(model)).all())


@pytest.mark.parametrize("role", ["viewer", "focal_point"])
def test_only_the_secretariat_and_admins_create_organisations(seeded, users, role):
    before = count(seeded, Organisation)
    with pytest.raises(PermissionDenied):
        save_organisation(session=seeded, actor=users[role], data=MIC)
    assert count(seeded, Organisation) == before


def test_create_and_edit_are_audited(seeded, users):
    org = save_organisation(session=seeded, actor=users["secretariat"], data=MIC)
    assert org.id and org.kind == "ministry" and org.name_zh == "信息和传媒部"
    save_organisation(session=seeded, actor=users["secretariat"], organisation_id=org.id,
                      data={**MIC, "kind": "international", "parent_id": org_id(seeded, "NDRC")})
    events = seeded.exec(select(AuditEvent.action).where(AuditEvent.object_type == "organisation")).all()
    assert events == ["create_organisation", "edit_organisation"]
    assert seeded.get(Organisation, org.id).kind == "international"


@pytest.mark.parametrize("change, words", [
    ({"acronym": "mdec"}, "The acronym mdec is already used by"),
    ({"name_en": ""}, "Name (English)"),
    ({"kind": "club"}, "Kind"),
    ({"acronym": "X" * 41}, "at most 40"),
])
def test_bad_input_is_refused_and_nothing_written(seeded, users, change, words):
    before = count(seeded, Organisation)
    with pytest.raises(ValidationFailed) as exc:
        save_organisation(session=seeded, actor=users["secretariat"], data={**MIC, **change})
    assert words in " ".join(str(p) for p in exc.value.problems)
    assert count(seeded, Organisation) == before


def test_parent_loop_and_missing_parent_are_refused(seeded, users):
    a = save_organisation(session=seeded, actor=users["secretariat"], data=MIC)
    b = save_organisation(session=seeded, actor=users["secretariat"], data={**MIC, "acronym": "VNPT", "parent_id": a.id})
    with pytest.raises(ValidationFailed, match="its own parent"):
        save_organisation(session=seeded, actor=users["secretariat"], organisation_id=a.id, data={**MIC, "parent_id": b.id})
    with pytest.raises(NotFound):
        save_organisation(session=seeded, actor=users["secretariat"], data={**MIC, "acronym": "Z1", "parent_id": 999})


def test_an_organisation_in_use_is_not_deleted(seeded, users):
    mdec = org_id(seeded, "MDEC")
    with pytest.raises(ValidationFailed, match="in use"):
        delete_organisation(session=seeded, actor=users["secretariat"], organisation_id=mdec)
    assert seeded.get(Organisation, mdec) is not None
    spare = save_organisation(session=seeded, actor=users["secretariat"], data=MIC)
    delete_organisation(session=seeded, actor=users["secretariat"], organisation_id=spare.id)
    assert seeded.get(Organisation, spare.id) is None


def test_merge_moves_items_users_agreements_and_links(seeded, users):
    sec = users["secretariat"]
    dup = save_organisation(session=seeded, actor=sec, data={**MIC, "acronym": "MDEC2", "name_en": "MDEC (duplicate)"})
    mdec = org_id(seeded, "MDEC")
    item = add_item(seeded, lead="KD", support=("MDEC",))
    seeded.add(ItemSupport(item_id=item.id, organisation_id=dup.id))
    led = add_item(seeded, lead="KD")
    led.lead_org_id = dup.id
    agreement = seeded.exec(select(Agreement)).first()
    agreement.lead_org_id = dup.id
    seeded.add(AgreementCounterpart(agreement_id=agreement.id, organisation_id=dup.id))
    user = User(username="dupuser", display_name="D", organisation_id=dup.id)
    seeded.add_all([led, agreement, user])
    seeded.commit()
    moved = merge_organisations(session=seeded, actor=sec, keep_id=mdec, merge_id=dup.id)
    assert moved.items_led == 1 and moved.items_supported == 1 and moved.users == 1 and moved.agreements_led == 1
    assert seeded.get(Organisation, dup.id) is None
    assert seeded.get(ActionItem, led.id).lead_org_id == mdec
    assert seeded.get(Agreement, agreement.id).lead_org_id == mdec
    assert seeded.get(User, user.id).organisation_id == mdec
    supports = seeded.exec(select(ItemSupport.organisation_id).where(ItemSupport.item_id == item.id)).all()
    assert supports == [mdec]  # the duplicate link collapsed into one
    assert organisation_usage(session=seeded, organisation_id=dup.id).total == 0
    assert seeded.exec(select(AuditEvent).where(AuditEvent.action == "merge_organisation")).one().object_id == mdec


def test_merge_refuses_the_same_record_and_viewers(seeded, users):
    mdec = org_id(seeded, "MDEC")
    with pytest.raises(ValidationFailed):
        merge_organisations(session=seeded, actor=users["secretariat"], keep_id=mdec, merge_id=mdec)
    with pytest.raises(PermissionDenied):
        merge_organisations(session=seeded, actor=users["viewer"], keep_id=mdec, merge_id=org_id(seeded, "KD"))
