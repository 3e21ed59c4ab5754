"""Every write service, called as every role: the whole allow/refuse matrix.

To add a service: one entry in SERVICES (how to call it) and one row in ALLOWED (who may).
A refusal must be PermissionDenied with a message; an allowed call must succeed."""
from datetime import datetime, timezone

import pytest
from sqlmodel import select

from models import ActionItem, Agreement, CommitmentArea, ItemSupport, Organisation, Role
from services.agreements import intake
from services.documents import store
from services.organisations import records
from services.items import progress
from services.seeding import sample
from services.accounts import users
from services.audit.trail import AuditFilter, list_events
from services.audit.export import export_events_xlsx
from services.accounts.auth import change_own_password
from services.errors import PermissionDenied
from tests.conftest import TODAY, make_user, set_password

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)
PW = "matrix password"
ACTORS = ["signed_out", "disabled", "viewer", "focal_point", "secretariat", "admin"]
V, F, S, A = "viewer", "focal_point", "secretariat", "admin"

ALLOWED: dict[str, set[str]] = {
    "progress.update_progress (item led by own org)": {F, S, A},
    "progress.update_progress (item supported by own org)": {F, S, A},
    "progress.update_progress (item of another org)": {S, A},
    "sample.seed_sample": {A},
    "sample.remove_sample": {A},
    "sample.issue_demo_passwords": {A},
    "users.create_user": {A},
    "users.reset_password": {A},
    "users.set_user_disabled": {A},
    "users.change_user_role": {A},
    "users.list_users": {A},
    "audit.list_events": {S, A},
    "audit_export.export_events_xlsx": {S, A},
    "auth.change_own_password": {V, F, S, A},
    "organisations.save_organisation": {S, A},
    "organisations.merge_organisations": {S, A},
    "organisations.delete_organisation": {S, A},
    "documents.add_document": {S, A},
    "intake.create_areas_from_clauses": {S, A},
}


def _item(session, lead: str, support: str | None = None) -> ActionItem:
    org = {o.acronym: o.id for o in session.exec(select(Organisation)).all()}
    area = session.exec(select(CommitmentArea)).first()
    item = ActionItem(area_id=area.id, title=f"Item led by {lead}", lead_org_id=org[lead])
    session.add(item)
    session.flush()
    if support:
        session.add(ItemSupport(item_id=item.id, organisation_id=org[support]))
    session.commit()
    return item


def _progress(lead, support=None):
    def call(s, actor, ctx):
        item = _item(s, lead, support)
        progress.update_progress(session=s, actor=actor, item_id=item.id, expected_version=item.version,
                              status="in_progress", progress=10, note="matrix", now=NOW)
    return call


SERVICES = {
    "progress.update_progress (item led by own org)": _progress("MDEC"),
    "progress.update_progress (item supported by own org)": _progress("KD", "MDEC"),
    "progress.update_progress (item of another org)": _progress("KD", "NDRC"),
    "sample.seed_sample": lambda s, actor, ctx: sample.seed_sample(session=s, actor=actor, today=TODAY),
    "sample.remove_sample": lambda s, actor, ctx: sample.remove_sample(session=s, actor=actor),
    "sample.issue_demo_passwords": lambda s, actor, ctx: sample.issue_demo_passwords(session=s, actor=actor, now=NOW),
    "users.create_user": lambda s, actor, ctx: users.create_user(
        session=s, actor=actor, username="newcomer", role="viewer", organisation="KD", password="newcomer pw"),
    "users.reset_password": lambda s, actor, ctx: users.reset_password(
        session=s, actor=actor, user_id=ctx["target"].id, new_password="another password", now=NOW),
    "users.set_user_disabled": lambda s, actor, ctx: users.set_user_disabled(
        session=s, actor=actor, user_id=ctx["target"].id, disabled=True, now=NOW),
    "users.change_user_role": lambda s, actor, ctx: users.change_user_role(
        session=s, actor=actor, user_id=ctx["target"].id, role="secretariat"),
    "users.list_users": lambda s, actor, ctx: users.list_users(session=s, actor=actor),
    "audit.list_events": lambda s, actor, ctx: list_events(session=s, actor=actor, filters=AuditFilter()),
    "audit_export.export_events_xlsx": lambda s, actor, ctx: export_events_xlsx(
        session=s, actor=actor, filters=AuditFilter(), now=NOW),
    "auth.change_own_password": lambda s, actor, ctx: change_own_password(
        session=s, actor=actor, current_password=PW, new_password="a changed password", now=NOW),
    "organisations.save_organisation": lambda s, actor, ctx: records.save_organisation(session=s, actor=actor, data={
        "acronym": "MIC-VN", "name_en": "Ministry of Information and Communications", "country": "Viet Nam"}),
    "organisations.merge_organisations": lambda s, actor, ctx: records.merge_organisations(
        session=s, actor=actor, keep_id=_org(s, "A1"), merge_id=_org(s, "A2")),
    "organisations.delete_organisation": lambda s, actor, ctx: records.delete_organisation(
        session=s, actor=actor, organisation_id=_org(s, "UNUSED")),
    "documents.add_document": lambda s, actor, ctx: store.add_document(
        session=s, actor=actor, agreement_id=_agreement(s).id, language="en", now=NOW, text="Article 1 The Parties agree."),
    "intake.create_areas_from_clauses": lambda s, actor, ctx: intake.create_areas_from_clauses(
        session=s, actor=actor, agreement_id=_agreement(s).id, document_id=_agreement(s).source_document_id,
        picks=[{"start": 0, "end": 12, "title_en": "Matrix area"}]),
}


def _org(session, acronym: str) -> int:
    """A fresh organisation nobody uses."""
    org = Organisation(acronym=acronym, name_en=f"Organisation {acronym}", country="Malaysia")
    session.add(org)
    session.commit()
    return org.id


def _agreement(session) -> Agreement:
    return session.exec(select(Agreement).order_by(Agreement.id)).first()


def test_matrix_covers_every_service():
    assert set(SERVICES) == set(ALLOWED)


@pytest.fixture
def ctx(users, seeded, fast_hasher):
    for user in users.values():
        set_password(seeded, user, PW)
    disabled = set_password(seeded, make_user(seeded, "gone", Role.ADMIN), PW)
    disabled.disabled = True
    seeded.add(disabled)
    target = make_user(seeded, "target", Role.VIEWER)
    seeded.commit()
    return {"actors": {**users, "signed_out": None, "disabled": disabled}, "target": target}


@pytest.mark.parametrize("actor_kind", ACTORS)
@pytest.mark.parametrize("service", sorted(SERVICES))
def test_permission(seeded, ctx, service, actor_kind):
    actor = ctx["actors"][actor_kind]
    if actor_kind in ALLOWED[service]:
        SERVICES[service](seeded, actor, ctx)
    else:
        with pytest.raises(PermissionDenied) as exc:
            SERVICES[service](seeded, actor, ctx)
        assert len(str(exc.value)) > 10
