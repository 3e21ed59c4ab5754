"""The package of a visit on the seeded facts and a known history: stage from data, coverage,
the funnel, 'N of 31 recorded', adding stated agreements, and the clock's writes."""
from datetime import date

import pytest
from sqlmodel import select

from models import (ActionItem, Agreement, AgreementPackage, AuditEvent, BodyAgreement, Category, CommitmentArea, JointBody,
                    Meeting, Organisation)
from services.errors import NotFound, PermissionDenied, ValidationFailed
from services.lifecycle.edit import add_stated_agreement, set_clock
from services.lifecycle.facts import agreement_facts, expiring_within
from services.lifecycle.package import package_view
from tests.unit.scenario import TODAY, build_scenario


@pytest.fixture
def scenario(session):
    return build_scenario(session)


def _package(session) -> AgreementPackage:
    return session.exec(select(AgreementPackage)).one()


def _agreement(session, code) -> Agreement:
    return session.exec(select(Agreement).where(Agreement.code == code)).one()


def _org(session, acronym) -> int:
    return session.exec(select(Organisation.id).where(Organisation.acronym == acronym)).one()


def _view(session):
    return package_view(session=session, package_id=_package(session).id, today=TODAY, dormant_days=90)


def test_seeded_package_counts_recorded_of_stated(session, scenario):
    view = _view(session)
    assert (view.recorded, view.stated_total) == (3, 31)
    assert [r.code for r in view.rows] == ["MY-CN-AI-2025", "MY-CN-DE-2025", "MY-CN-LOI-ZJU-2025"]
    by_code = {r.code: r for r in view.rows}
    assert by_code["MY-CN-DE-2025"].lead == "KD" and by_code["MY-CN-DE-2025"].counterparts == "NDRC"
    # the source gives no term: nothing derived
    assert all(r.facts.expiry is None and r.facts.notice_deadline is None for r in view.rows)


def test_coverage_counts_areas_with_a_live_item(session, scenario):
    de = _agreement(session, "MY-CN-DE-2025")
    areas = session.exec(select(CommitmentArea).where(CommitmentArea.agreement_id == de.id, ~CommitmentArea.archived)).all()
    facts = agreement_facts(session=session, agreements=[de], today=TODAY, dormant_days=90)[de.id]
    assert (facts.areas, facts.covered) == (len(areas), 1)  # items A and C share the first area
    assert facts.coverage == pytest.approx(1 / len(areas))
    # a cancelled item is not live: the area is no longer covered
    for item in session.exec(select(ActionItem).where(ActionItem.area_id == areas[0].id)).all():
        item.status = "cancelled"
        session.add(item)
    session.commit()
    assert agreement_facts(session=session, agreements=[de], today=TODAY, dormant_days=90)[de.id].covered == 0


def test_stage_follows_the_data(session, scenario):
    de = _agreement(session, "MY-CN-DE-2025")
    stage = lambda: agreement_facts(session=session, agreements=[de], today=TODAY, dormant_days=90)[de.id].stage  # noqa: E731
    assert stage() == "signed"
    item = session.get(ActionItem, scenario.a)
    item.owner_name = "Aisyah"
    session.add(item)
    session.commit()
    assert stage() == "focal_points"
    jwg = session.exec(select(CommitmentArea).where(CommitmentArea.agreement_id == de.id,
                                                    CommitmentArea.category == Category.JOINT_WORKING_GROUP.value)).first()
    session.add(ActionItem(area_id=jwg.id, title="Set up the JWG"))
    session.commit()
    assert stage() == "joint_body"
    body = session.exec(select(JointBody).join(BodyAgreement, BodyAgreement.body_id == JointBody.id)
                        .where(BodyAgreement.agreement_id == de.id)).one()  # the seed's record of the source's JWG
    session.add(Meeting(body_id=body.id, held_on=date(2026, 9, 1)))
    session.add(Meeting(body_id=body.id, held_on=date(2027, 1, 1)))  # planned: not held yet
    session.commit()
    facts = agreement_facts(session=session, agreements=[de], today=TODAY, dormant_days=90)[de.id]
    assert (facts.stage, facts.last_meeting) == ("first_meeting", date(2026, 9, 1))


def test_funnel_and_dormant(session, scenario):
    view = _view(session)
    funnel = dict(view.funnel)
    assert funnel["signed"] == 3 and funnel["closed"] == 0
    by_code = {r.code: r.facts for r in view.rows}
    # AI MoU: last update 5 Mar 2026, no meeting: dormant at 90 days, not at 365
    assert by_code["MY-CN-AI-2025"].dormant is True
    assert by_code["MY-CN-DE-2025"].dormant is False  # updated 1 Oct 2026
    assert by_code["MY-CN-LOI-ZJU-2025"].dormant is False  # no date at all: cannot tell
    relaxed = package_view(session=session, package_id=_package(session).id, today=TODAY, dormant_days=365)
    assert not any(r.facts.dormant for r in relaxed.rows)


def test_secretariat_adds_stated_agreements_not_yet_broken_down(session, scenario):
    sec, package = scenario.users["secretariat"], _package(session)
    added = add_stated_agreement(session=session, actor=sec, package_id=package.id, data={
        "title_en": "MoU on Green Technology", "lead_org_id": _org(session, "MDEC"),
        "counterpart_ids": [_org(session, "NDRC")], "signed_on": date(2025, 4, 16)})
    view = _view(session)
    row = next(r for r in view.rows if r.id == added.id)
    assert view.recorded == 4 and row.facts.broken_down is False and row.facts.coverage is None
    assert row.lead == "MDEC" and row.counterparts == "NDRC" and row.code.startswith(f"PKG{package.id}-")
    assert session.exec(select(AuditEvent).where(AuditEvent.object_id == added.id,
                                                 AuditEvent.object_type == "agreement")).first()


@pytest.mark.parametrize("data,field", [
    ({"title_en": "", "lead_org_id": 1}, "Title (English)"),
    ({"title_en": "MoU on X", "lead_org_id": 99999}, "id 99999"),
    ({"title_en": "MoU on X", "lead_org_id": 1, "signed_on": "16/04/2025"}, "Signed on"),
])
def test_adding_refuses_bad_input(session, scenario, data, field):
    before = session.exec(select(Agreement)).all()
    with pytest.raises(ValidationFailed) as caught:
        add_stated_agreement(session=session, actor=scenario.users["secretariat"], package_id=_package(session).id,
                             data=data)
    assert field in str(caught.value)
    assert len(session.exec(select(Agreement)).all()) == len(before)


def test_adding_is_for_the_secretariat_and_stops_at_the_stated_total(session, scenario):
    package = _package(session)
    data = {"title_en": "MoU on Y", "lead_org_id": _org(session, "KD")}
    with pytest.raises(PermissionDenied):
        add_stated_agreement(session=session, actor=scenario.users["viewer"], package_id=package.id, data=data)
    with pytest.raises(NotFound):
        add_stated_agreement(session=session, actor=scenario.users["secretariat"], package_id=999, data=data)
    package.stated_total = 4
    session.add(package)
    session.commit()
    add_stated_agreement(session=session, actor=scenario.users["secretariat"], package_id=package.id, data=data)
    with pytest.raises(ValidationFailed, match="all 4 agreements"):
        add_stated_agreement(session=session, actor=scenario.users["secretariat"], package_id=package.id, data=data)


def test_set_clock_then_the_expiry_list(session, scenario):
    sec, de = scenario.users["secretariat"], _agreement(session, "MY-CN-DE-2025")
    set_clock(session=session, actor=sec, agreement_id=de.id, data={
        "status": "in_force", "signed_on": date(2025, 4, 16), "term_years": 1, "term_months": 9,
        "notice_days": 90, "auto_renews": False})
    assert de.term_months == 21
    facts = agreement_facts(session=session, agreements=[de], today=TODAY, dormant_days=90)
    f = facts[de.id]
    assert (f.expiry, f.notice_deadline) == (date(2027, 1, 16), date(2026, 10, 18))
    assert (f.days_to_expiry, f.days_to_notice) == (51, -39)
    assert [x.agreement_id for x in expiring_within(facts.values(), days=365)] == [de.id]
    assert expiring_within(facts.values(), days=30) == []


@pytest.mark.parametrize("data,field", [
    ({"signed_on": date(2025, 4, 16), "expires_on": date(2025, 1, 1)}, "Expiry date"),
    ({"signed_on": date(2025, 4, 16), "term_months": 6, "notice_days": 365}, "Notice period"),
    ({"status": "terminated"}, "Status"),
    ({"term_years": 0}, "Term years"),
    ({"notice_days": "soon"}, "Notice days"),
])
def test_set_clock_refuses_naming_the_field_and_writes_nothing(session, scenario, data, field):
    de = _agreement(session, "MY-CN-DE-2025")
    with pytest.raises(ValidationFailed) as caught:
        set_clock(session=session, actor=scenario.users["secretariat"], agreement_id=de.id, data=data)
    assert field in str(caught.value)
    session.refresh(de)
    assert (de.expires_on, de.term_months, de.notice_days) == (None, None, None)
