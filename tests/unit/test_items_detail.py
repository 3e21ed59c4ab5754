"""Item detail, history newest first, milestones, evidence, and the open-milestone confirmation."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlmodel import select

from models import AuditEvent, CommitmentArea, Milestone, SourceDocument
from services.errors import ConfirmationNeeded, NotFound, PermissionDenied, ValidationFailed
from services.items.detail import add_evidence, add_milestone, get_item_detail, set_milestone_done
from services.items.progress import update_progress
from services.agreements.setup import edit_item
from tests.conftest import TODAY
from tests.unit.item_factories import NOW, add_item


def test_detail_shows_source_clause_orgs_and_history_newest_first(seeded, users):
    item = add_item(seeded, "KD", support=("MDEC", "NDA"), counterpart_focal_point="Mr Li", owner_name="Aminah")
    sec = users["secretariat"]
    update_progress(session=seeded, actor=sec, item_id=item.id, expected_version=1, status="in_progress",
                    progress=20, note="Kick-off", now=NOW)
    update_progress(session=seeded, actor=users["focal_point"], item_id=item.id, expected_version=2,
                    status="in_progress", progress=45, note="Draft shared", evidence_url="https://example.gov.my/d",
                    now=NOW + timedelta(days=3))
    edit_item(session=seeded, actor=sec, item_id=item.id, expected_version=3, data={"owner_name": "Farid"})
    d = get_item_detail(session=seeded, item_id=item.id, today=TODAY)
    area = seeded.get(CommitmentArea, item.area_id)
    doc = seeded.get(SourceDocument, area.source_document_id)
    assert d.clause == doc.text[area.quote_start:area.quote_end] and d.clause
    assert d.lead.acronym == "KD" and [o.acronym for o in d.supporting] == ["MDEC", "NDA"]
    assert d.item.counterpart_focal_point == "Mr Li"
    assert [h.what for h in d.history] == [
        ["Owner: Aminah -> Farid"], ["Progress: 20% -> 45%"], ["Status: Not started -> In progress", "Progress: 0% -> 20%"]]
    assert [h.who for h in d.history] == ["Sec1", "Focal1", "Sec1"]
    assert d.history[1].note == "Draft shared" and d.history[1].evidence_url == "https://example.gov.my/d"


def test_unknown_item(seeded):
    with pytest.raises(NotFound):
        get_item_detail(session=seeded, item_id=999, today=TODAY)


def test_milestones_add_complete_reopen(seeded, users):
    item = add_item(seeded, "MDEC")
    focal = users["focal_point"]
    m = add_milestone(session=seeded, actor=focal, item_id=item.id, title="Concept note", due_date=date(2026, 3, 1))
    set_milestone_done(session=seeded, actor=focal, milestone_id=m.id, done=True, today=TODAY)
    assert seeded.get(Milestone, m.id).completed_on == TODAY
    set_milestone_done(session=seeded, actor=focal, milestone_id=m.id, done=False, today=TODAY)
    assert seeded.get(Milestone, m.id).completed_on is None
    actions = seeded.exec(select(AuditEvent.action).where(AuditEvent.object_type == "milestone")).all()
    assert actions == ["add_milestone", "complete_milestone", "reopen_milestone"]


@pytest.mark.parametrize("role,lead,title,due,error", [
    ("focal_point", "KD", "Plan", None, PermissionDenied),
    ("viewer", "MDEC", "Plan", None, PermissionDenied),
    ("admin", "MDEC", "", None, ValidationFailed),
    ("admin", "MDEC", "x" * 301, None, ValidationFailed),
    ("admin", "MDEC", "Plan", date(2025, 6, 1), ValidationFailed),  # before the item starts
])
def test_milestone_refusals(seeded, users, role, lead, title, due, error):
    item = add_item(seeded, lead)
    with pytest.raises(error):
        add_milestone(session=seeded, actor=users[role], item_id=item.id, title=title, due_date=due)


def test_milestone_cannot_be_completed_twice(seeded, users):
    item = add_item(seeded)
    m = add_milestone(session=seeded, actor=users["admin"], item_id=item.id, title="Plan")
    set_milestone_done(session=seeded, actor=users["admin"], milestone_id=m.id, done=True, today=TODAY)
    with pytest.raises(ValidationFailed, match="already complete"):
        set_milestone_done(session=seeded, actor=users["admin"], milestone_id=m.id, done=True, today=TODAY)


@pytest.mark.parametrize("url,ok", [
    ("https://example.gov.my/report.pdf", True), ("http://intranet.local/x", True),
    ("javascript:alert(1)", False), ("ftp://x/y", False), ("https://a b", False), ("", False),
])
def test_evidence_links(seeded, users, url, ok):
    item = add_item(seeded, "MDEC")
    call = lambda: add_evidence(session=seeded, actor=users["focal_point"], item_id=item.id, url=url,  # noqa: E731
                                label="Report", now=NOW)
    if ok:
        assert call().url == url
        assert get_item_detail(session=seeded, item_id=item.id, today=TODAY).evidence[0].label == "Report"
    else:
        with pytest.raises(ValidationFailed):
            call()


def test_completing_with_open_milestones_asks_for_confirmation(seeded, users):
    item = add_item(seeded, status="in_progress", progress=80)
    add_milestone(session=seeded, actor=users["admin"], item_id=item.id, title="Final report")
    with pytest.raises(ConfirmationNeeded, match="Final report"):
        update_progress(session=seeded, actor=users["admin"], item_id=item.id, expected_version=1,
                        status="completed", progress=100, now=NOW)
    seeded.rollback()
    update_progress(session=seeded, actor=users["admin"], item_id=item.id, expected_version=1,
                    status="completed", progress=100, now=NOW, confirm_open_milestones=True)


def test_completing_with_every_milestone_done_needs_no_confirmation(seeded, users):
    item = add_item(seeded, status="in_progress", progress=80)
    m = add_milestone(session=seeded, actor=users["admin"], item_id=item.id, title="Final report")
    set_milestone_done(session=seeded, actor=users["admin"], milestone_id=m.id, done=True,
                       today=datetime(2026, 3, 1, tzinfo=timezone.utc).date())
    update_progress(session=seeded, actor=users["admin"], item_id=item.id, expected_version=1,
                    status="completed", progress=100, now=NOW)
