"""Every service that acts for someone, called as every kind of actor: the whole allow/refuse
matrix.

The services are FOUND, not listed by hand: every public function in services/ that takes an
`actor` must have a row in ALLOWED (who may) and a call in SERVICES (how), or an entry in
NOT_GATED saying why it checks no permission; every public function that takes a session (or
an engine) and writes without an actor must be in NO_ACTOR saying who may reach it. A new
service without a row fails test_every_service_has_a_row. Each row runs for each of the six
actors: a refusal must be PermissionDenied with a message; an allowed call must succeed."""
import importlib
import inspect
import io
import pkgutil
import re
from pathlib import Path
from datetime import date, datetime, timezone

import pytest
from sqlmodel import select

import services
from models import ActionItem, Agreement, CommitmentArea, ItemSupport, Milestone, Organisation, Role, SignInThrottle, User
from services.accounts import auth, preferences, throttle, users
from services.agreements import setup
from services.audit import export, trail
from services.errors import PermissionDenied
from services.excel.imports import apply, items_sheet
from services.excel.report import workbook
from services.items import bulk, detail, progress
from services.meetings import register, snapshot
from services.reminders import run
from services.reminders.plan import MailConfig
from services.seeding import facts, sample
from tests.conftest import TODAY, make_user, set_password

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)
PW = "matrix password"
ACTORS = ["signed_out", "disabled", "viewer", "focal_point", "secretariat", "admin"]
OUT, D, V, F, S, A = ACTORS
EVERYONE = {V, F, S, A}
STRUCTURE = {S, A}

ALLOWED: dict[str, set[str]] = {
    "accounts.auth.change_own_password": EVERYONE,
    "accounts.preferences.set_user_language (own)": EVERYONE,
    "accounts.throttle.list_locks": {A},
    "accounts.throttle.unlock_account": {A},
    "accounts.throttle.lift_address_wait": {A},
    "accounts.users.create_user": {A},
    "accounts.users.reset_password": {A},
    "accounts.users.set_user_disabled": {A},
    "accounts.users.change_user_role": {A},
    "accounts.users.list_users": {A},
    "agreements.setup.save_agreement": STRUCTURE,
    "agreements.setup.save_area": STRUCTURE,
    "agreements.setup.create_item": STRUCTURE,
    "agreements.setup.edit_item": STRUCTURE,
    "agreements.setup.set_archived": STRUCTURE,
    "audit.trail.list_events": STRUCTURE,
    "audit.trail.audit_choices": STRUCTURE,
    "audit.export.export_events_xlsx": STRUCTURE,
    # the report is for every role, and the command line writes it with no account (None)
    "excel.report.workbook.write_report": {OUT, D, V, F, S, A},
    "excel.imports.items_sheet.read_import": STRUCTURE,
    "excel.imports.apply.apply_import": STRUCTURE,
    "items.progress.update_progress (item led by own org)": {F, S, A},
    "items.progress.update_progress (item supported by own org)": {F, S, A},
    "items.progress.update_progress (item of another org)": STRUCTURE,
    "items.progress.stage_progress_update (item of another org)": STRUCTURE,
    "items.progress.check_progress_update (item of another org)": STRUCTURE,
    "items.bulk.bulk_update (item of another org)": STRUCTURE,
    "items.bulk.check_bulk (item of another org)": STRUCTURE,
    "items.detail.add_evidence (item led by own org)": {F, S, A},
    "items.detail.add_milestone (item led by own org)": {F, S, A},
    "items.detail.set_milestone_done (item led by own org)": {F, S, A},
    "meetings.register.save_meeting": STRUCTURE,
    "meetings.register.ensure_meeting": STRUCTURE,
    "meetings.register.record_decision": STRUCTURE,
    "meetings.register.create_meeting_item": STRUCTURE,
    "meetings.snapshot.mark_held": STRUCTURE,
    "meetings.snapshot.take_snapshot": STRUCTURE,
    "reminders.run.send_reminders": {A},  # and the system account (manage.py send-reminders)
    "seeding.facts.seed_facts": {A},
    "seeding.sample.seed_sample": {A},
    "seeding.sample.remove_sample": {A},
    "seeding.sample.issue_demo_passwords": {A},
}
# Services of later features whose every role is checked by their own tests (each names the
# test that runs it for the roles that may and may not): name -> test. The discovery below
# still fails on a new service that is in neither list.
COVERED_ELSEWHERE = {
    "agreements.intake.create_areas_from_clauses": "tests/unit/test_documents_intake.py",
    "documents.store.add_document": "tests/unit/test_documents_intake.py",
    "documents.store.get_original": "tests/unit/test_documents_intake.py",
    "organisations.records.save_organisation": "tests/unit/test_organisations.py",
    "organisations.records.merge_organisations": "tests/unit/test_organisations.py",
    "organisations.records.delete_organisation": "tests/unit/test_organisations.py",
    "meetings.bodies.save_body": "tests/unit/test_meetings.py",
    "lifecycle.renewal.renew_agreement": "tests/unit/test_renewal.py",
    "lifecycle.renewal.close_agreement": "tests/unit/test_renewal.py",
    "lifecycle.renewal.carry_items": "tests/unit/test_renewal.py",
    "lifecycle.edit.set_clock": "tests/unit/test_package.py",
    "lifecycle.edit.add_stated_agreement": "tests/unit/test_package.py",
    "reminders.requests.request_updates": "tests/unit/test_reminders.py",
    "reminders.frequency.set_digest_frequency": "tests/unit/test_reminders.py",
    "store.backup.download_backup": "tests/unit/test_store_backup.py",
}
# Take an actor but decide nothing about it: name -> why.
NOT_GATED = {
    "items.bulk.editable_item_ids": "lists the rows the actor may edit (the bulk grid); writes nothing",
    "audit.trail.record_event": "writes the event of a change its caller has already allowed",
    "audit.trail.event_values": "builds an event's values; writes nothing",
    "items.listing.my_items_filter": "builds a list filter from the actor's organisation; reads nothing",
    "items.progress.progress_update_values": "builds the row of an update already checked by check_progress_update",
}
# Write (or may write) with no actor: name -> who can reach it.
NO_ACTOR = {
    "accounts.auth.sign_in_sso": "the sign-in itself (identity vouched for by the provider)",
    "accounts.auth.create_session_token": "after a successful sign-in only",
    "accounts.auth.validate_session_token": "the session check of every page run",
    "accounts.auth.revoke_session_token": "sign-out of the token's own holder",
    "accounts.auth.revoke_user_sessions": "inside reset_password / set_user_disabled / change_own_password",
    "accounts.throttle.record_address_failure": "inside sign_in, after a failure",
    "items.progress.commit_or_stale": "inside update_progress after its check",
    "excel.imports.items_sheet.read_items_rows": "inside read_import after its check; writes nothing",
    "seeding.facts.ensure_system_user": "start-up and manage.py (the operator)",
    "reminders.ledger.claim": "inside send_reminders after its check (the sent-mail ledger)",
    "reminders.ledger.mark_sent": "inside send_reminders after its check (the sent-mail ledger)",
    "reminders.ledger.release": "inside send_reminders after its check (the sent-mail ledger)",
    "excel.imports.status_words.remember": "inside read_import / apply_import after their check (the status words chosen)",
    "seeding.startup.prepare_database": "start-up and manage.py (the operator)",
    "seeding.synthetic.generate_synthetic": "manage.py bench only (the operator)",
}
WRITES = re.compile(r"\.(commit|add|add_all|delete|flush)\(|execute\((update|delete|insert)\(")


def _public_functions():
    for info in pkgutil.walk_packages(services.__path__, "services."):
        module = importlib.import_module(info.name)
        if info.name == "services.permissions":
            continue  # the rules themselves, tested through every row below
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if not name.startswith("_") and fn.__module__ == module.__name__:
                yield info.name.removeprefix("services.") + "." + name, fn


def _discovered() -> tuple[set[str], set[str]]:
    with_actor, writers = set(), set()
    for name, fn in _public_functions():
        params = inspect.signature(fn).parameters
        if "actor" in params:
            with_actor.add(name)
        elif ({"session", "engine"} & set(params)) and WRITES.search(inspect.getsource(fn)):
            writers.add(name)
    return with_actor, writers


def test_every_service_has_a_row():
    with_actor, writers = _discovered()
    rows = {key.split(" (")[0] for key in ALLOWED}
    assert with_actor - rows - set(NOT_GATED) - set(COVERED_ELSEWHERE) == set(), \
        "add a row to ALLOWED and a call to SERVICES"
    for name, test_file in COVERED_ELSEWHERE.items():
        source = (ROOT / test_file).read_text(encoding="utf-8")
        assert name.rsplit(".", 1)[1] in source and "PermissionDenied" in source, f"{test_file} does not test {name}"
    assert writers - set(NO_ACTOR) == set(), "a service that writes takes the actor and checks it (or say why not)"
    assert set(SERVICES) == set(ALLOWED)
    assert (rows | set(NOT_GATED) | set(COVERED_ELSEWHERE)) - with_actor == set() and set(NO_ACTOR) - writers == set(), "stale rows"


# --- how each row is called ------------------------------------------------------------------

def _org(session, acronym: str) -> int:
    return session.exec(select(Organisation).where(Organisation.acronym == acronym)).one().id


def _item(session, lead: str, support: str | None = None) -> ActionItem:
    area = session.exec(select(CommitmentArea)).first()
    item = ActionItem(area_id=area.id, title=f"Item led by {lead}", lead_org_id=_org(session, lead))
    session.add(item)
    session.flush()
    if support:
        session.add(ItemSupport(item_id=item.id, organisation_id=_org(session, support)))
    session.commit()
    return item


def _progress(lead, support=None, fn="update_progress"):
    def call(s, actor, ctx):
        item = _item(s, lead, support)
        if fn == "update_progress":
            progress.update_progress(session=s, actor=actor, item_id=item.id, expected_version=item.version,
                                     status="in_progress", progress=10, note="matrix", now=NOW)
        elif fn == "stage":
            progress.stage_progress_update(session=s, actor=actor, item=item, expected_version=item.version,
                                           status="in_progress", progress=10, now=NOW)
        else:
            progress.check_progress_update(actor=actor, item=item, org_ids=[item.lead_org_id], status="in_progress",
                                           progress=10, note=None, evidence_url=None, changes=None, today=TODAY)
    return call


def _bulk(fn):
    def call(s, actor, ctx):
        item = _item(s, "KD", "NDRC")
        edits = [bulk.BulkEdit(item_id=item.id, expected_version=item.version, changes={"progress": 20})]
        if fn == "update":
            result = bulk.bulk_update(session=s, actor=actor, edits=edits, note="matrix", now=NOW)
        else:
            _plans, result = bulk.check_bulk(session=s, actor=actor, edits=edits, note="matrix", today=TODAY)
        _raise_row_refusals(result)
    return call


def _raise_row_refusals(result) -> None:
    """Bulk services report per-row refusals instead of raising: a refused row is a refusal."""
    problems = result if isinstance(result, list) else result.problems
    if problems:
        raise PermissionDenied(" ".join(str(m) for p in problems for m in p.problems))


def _agreement_data(s, code="MY-SG-MATRIX-2026"):
    return {"code": code, "kind": "MoU", "title_en": "MoU on matrix cooperation", "lead_org_id": _org(s, "KD"),
            "counterpart_ids": [_org(s, "NDRC")], "signed_on": date(2026, 2, 1), "status": "in_force"}


def _body(s) -> int:
    from models import JointBody

    body = s.exec(select(JointBody).where(JointBody.name_en == "Matrix body")).first()
    if body is None:
        body = JointBody(name_en="Matrix body")
        s.add(body)
        s.commit()
    return body.id


def _meeting(s):
    sec = s.exec(select(User).where(User.role == Role.SECRETARIAT.value)).first()
    return register.ensure_meeting(session=s, actor=sec, body_id=_body(s), held_on=TODAY)


def _import_plan(s, actor):
    _item(s, "KD")
    buf = io.BytesIO()
    workbook.write_report(session=s, actor=None, today=TODAY, now=NOW, out=buf)
    return items_sheet.read_import(session=s, actor=actor, data=buf.getvalue(), filename="r.xlsx", today=TODAY)


def _apply(s, actor, ctx):
    plan = _import_plan(s, ctx["actors"]["secretariat"])
    apply.apply_import(session=s, actor=actor, plan=plan, now=NOW)


def _milestone(s):
    item = _item(s, "MDEC")
    m = Milestone(item_id=item.id, title="Matrix milestone")
    s.add(m)
    s.commit()
    return m


def _lock_target(s, ctx):
    target = ctx["target"]
    target.locked_until = datetime(2100, 1, 1, tzinfo=timezone.utc)
    s.add(target)
    s.commit()
    return target


def _address_wait(s):
    s.add(SignInThrottle(address="10.9.8.7", failures=20, first_failure_at=NOW, last_failure_at=NOW,
                                  blocked_until=datetime(2100, 1, 1, tzinfo=timezone.utc)))
    s.commit()
    return "10.9.8.7"


SERVICES = {
    "accounts.auth.change_own_password": lambda s, actor, ctx: auth.change_own_password(
        session=s, actor=actor, current_password=PW, new_password="a changed password", now=NOW),
    "accounts.preferences.set_user_language (own)": lambda s, actor, ctx: preferences.set_user_language(
        session=s, actor=actor, user_id=(actor or ctx["target"]).id, language="ms"),
    "accounts.throttle.list_locks": lambda s, actor, ctx: throttle.list_locks(session=s, actor=actor, now=NOW),
    "accounts.throttle.unlock_account": lambda s, actor, ctx: throttle.unlock_account(
        session=s, actor=actor, username=_lock_target(s, ctx).username, now=NOW),
    "accounts.throttle.lift_address_wait": lambda s, actor, ctx: throttle.lift_address_wait(
        session=s, actor=actor, address=_address_wait(s), now=NOW),
    "accounts.users.create_user": lambda s, actor, ctx: users.create_user(
        session=s, actor=actor, username="newcomer", role="viewer", organisation="KD", password="newcomer pw"),
    "accounts.users.reset_password": lambda s, actor, ctx: users.reset_password(
        session=s, actor=actor, user_id=ctx["target"].id, new_password="another password", now=NOW),
    "accounts.users.set_user_disabled": lambda s, actor, ctx: users.set_user_disabled(
        session=s, actor=actor, user_id=ctx["target"].id, disabled=True, now=NOW),
    "accounts.users.change_user_role": lambda s, actor, ctx: users.change_user_role(
        session=s, actor=actor, user_id=ctx["target"].id, role="secretariat"),
    "accounts.users.list_users": lambda s, actor, ctx: users.list_users(session=s, actor=actor),
    "agreements.setup.save_agreement": lambda s, actor, ctx: setup.save_agreement(
        session=s, actor=actor, data=_agreement_data(s)),
    "agreements.setup.save_area": lambda s, actor, ctx: setup.save_area(session=s, actor=actor, data={
        "agreement_id": s.exec(select(Agreement)).first().id, "title_en": "Matrix area"}),
    "agreements.setup.create_item": lambda s, actor, ctx: setup.create_item(session=s, actor=actor, data={
        "area_id": s.exec(select(CommitmentArea)).first().id, "title": "Matrix item"}, now=NOW),
    "agreements.setup.edit_item": lambda s, actor, ctx: (lambda item: setup.edit_item(
        session=s, actor=actor, item_id=item.id, expected_version=item.version,
        data={"area_id": item.area_id, "title": "Matrix item, edited"}))(_item(s, "KD")),
    "agreements.setup.set_archived": lambda s, actor, ctx: setup.set_archived(
        session=s, actor=actor, kind="item", object_id=_item(s, "KD").id, archived=True),
    "audit.trail.list_events": lambda s, actor, ctx: trail.list_events(session=s, actor=actor, filters=trail.AuditFilter()),
    "audit.trail.audit_choices": lambda s, actor, ctx: trail.audit_choices(session=s, actor=actor),
    "audit.export.export_events_xlsx": lambda s, actor, ctx: export.export_events_xlsx(
        session=s, actor=actor, filters=trail.AuditFilter(), now=NOW),
    "excel.report.workbook.write_report": lambda s, actor, ctx: workbook.write_report(
        session=s, actor=actor, today=TODAY, now=NOW, out=io.BytesIO()),
    "excel.imports.items_sheet.read_import": lambda s, actor, ctx: _import_plan(s, actor),
    "excel.imports.apply.apply_import": _apply,
    "items.progress.update_progress (item led by own org)": _progress("MDEC"),
    "items.progress.update_progress (item supported by own org)": _progress("KD", "MDEC"),
    "items.progress.update_progress (item of another org)": _progress("KD", "NDRC"),
    "items.progress.stage_progress_update (item of another org)": _progress("KD", "NDRC", fn="stage"),
    "items.progress.check_progress_update (item of another org)": _progress("KD", "NDRC", fn="check"),
    "items.bulk.bulk_update (item of another org)": _bulk("update"),
    "items.bulk.check_bulk (item of another org)": _bulk("check"),
    "items.detail.add_evidence (item led by own org)": lambda s, actor, ctx: detail.add_evidence(
        session=s, actor=actor, item_id=_item(s, "MDEC").id, url="https://www.digital.gov.my/x.pdf", now=NOW),
    "items.detail.add_milestone (item led by own org)": lambda s, actor, ctx: detail.add_milestone(
        session=s, actor=actor, item_id=_item(s, "MDEC").id, title="Matrix milestone"),
    "items.detail.set_milestone_done (item led by own org)": lambda s, actor, ctx: detail.set_milestone_done(
        session=s, actor=actor, milestone_id=_milestone(s).id, done=True, today=TODAY),
    "meetings.register.save_meeting": lambda s, actor, ctx: register.save_meeting(
        session=s, actor=actor, data={"body_id": _body(s), "held_on": TODAY}),
    "meetings.register.ensure_meeting": lambda s, actor, ctx: register.ensure_meeting(
        session=s, actor=actor, body_id=_body(s), held_on=date(2026, 12, 1)),
    "meetings.register.record_decision": lambda s, actor, ctx: register.record_decision(
        session=s, actor=actor, meeting_id=_meeting(s).id, text="Matrix decision"),
    "meetings.register.create_meeting_item": lambda s, actor, ctx: register.create_meeting_item(
        session=s, actor=actor, meeting_id=_meeting(s).id, data={
            "area_id": s.exec(select(CommitmentArea)).first().id, "title": "Matrix item from a meeting",
            "lead_org_id": _org(s, "KD")}),
    "meetings.snapshot.mark_held": lambda s, actor, ctx: snapshot.mark_held(
        session=s, actor=actor, meeting_id=_meeting(s).id, today=TODAY, now=NOW),
    "meetings.snapshot.take_snapshot": lambda s, actor, ctx: snapshot.take_snapshot(
        session=s, actor=actor, meeting_id=_meeting(s).id, reason="held", now=NOW),
    "reminders.run.send_reminders": lambda s, actor, ctx: run.send_reminders(
        session=s, actor=actor, today=TODAY, now=NOW, sender=None, cfg=MailConfig(
            public_url="http://localhost:8501", mail_from="tracker@example.gov.my", stale_days=30,
            default_language="en")),
    "seeding.facts.seed_facts": lambda s, actor, ctx: facts.seed_facts(session=s, actor=actor),
    "seeding.sample.seed_sample": lambda s, actor, ctx: sample.seed_sample(session=s, actor=actor, today=TODAY),
    "seeding.sample.remove_sample": lambda s, actor, ctx: sample.remove_sample(session=s, actor=actor),
    "seeding.sample.issue_demo_passwords": lambda s, actor, ctx: sample.issue_demo_passwords(
        session=s, actor=actor, now=NOW),
}


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
