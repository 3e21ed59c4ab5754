"""Every write service, called as every role: the whole allow/refuse matrix.

To add a service: one entry in SERVICES (how to call it) and one row in ALLOWED (who may).
A refusal must be PermissionDenied with a message; an allowed call must succeed."""
from datetime import datetime, timezone

import pytest
from sqlmodel import select

from models import ActionItem, CommitmentArea, ItemSupport, Organisation, Role
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
}


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
