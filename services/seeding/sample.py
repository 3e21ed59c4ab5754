"""Sample data: plausible action items, milestones, history and meetings for the seeded
areas. Not facts. Every row is flagged is_sample and its title says so; remove_sample()
takes all of it out without touching the facts."""
from __future__ import annotations

import json
import random
import secrets
from datetime import date, datetime, time, timedelta, timezone
from typing import Callable, Optional

from sqlalchemy import delete, exists, update
from sqlmodel import Session, select

from models import (
    ActionItem, Agreement, AgreementCounterpart, BodyAgreement, CommitmentArea, Decision, EvidenceLink, ItemSupport,
    JointBody, Meeting, MeetingSnapshot, Milestone, Organisation, ProgressUpdate, Role, SnapshotItem, User,
)
from services.audit.trail import record_event
from services.accounts.auth import hash_password, revoke_user_sessions
from services.seeding.sample_history import pick_state, plan_history
from services.i18n.translate import N_
from services.permissions import require_admin, require_admin_or_system
from services.seeding.facts import DATA_DIR

SAMPLE_PREFIX = "[Sample] "
SIGNED = date(2025, 4, 16)
JWG_BODY = "Joint Working Group on the Digital Economy"
DEMO_USERS = [  # username, role, organisation acronym
    ("demo.viewer", Role.VIEWER, "KD"),
    ("demo.focal", Role.FOCAL_POINT, "MDEC"),
    ("demo.secretariat", Role.SECRETARIAT, "KD"),
    ("demo.admin", Role.ADMIN, "KD"),
]


def has_sample(session: Session) -> bool:
    """Asked on every page (the banner): one probe each, not a count. The first sample item
    ends the search; with none, the partial index ix_actionitem_sample answers."""
    return bool(session.exec(select(exists().where(ActionItem.is_sample) | exists().where(Meeting.is_sample))).one())


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=timezone.utc)


def seed_sample(*, session: Session, actor: User, today: date, seed: int = 2025,
                now: Optional[datetime] = None) -> int:
    """Add sample items (with history) to every seeded area; returns how many items.
    With `now` (UTC) no sample time is later than it: a step dated today at 17:00 would
    otherwise show in the history as having happened in the future."""
    require_admin_or_system(actor, N_("load sample data"))
    if has_sample(session):
        return 0
    spec = json.loads((DATA_DIR / "sample_items.json").read_text(encoding="utf-8"))
    rng = random.Random(seed)
    orgs = {o.acronym: o for o in session.exec(select(Organisation)).all()}
    users = _demo_users(session, orgs)
    areas = session.exec(select(CommitmentArea).order_by(CommitmentArea.id)).all()
    items: list[ActionItem] = []
    for area in areas:
        for title, category, lead, support in spec["areas"].get(area.title_en, []):
            item = _sample_item(session, rng, area, title, category, orgs[lead], today, spec)
            for acronym in support:
                session.add(ItemSupport(item_id=item.id, organisation_id=orgs[acronym].id))
            _sample_history(session, rng, item, users["demo.focal"], today, spec["notes"], now)
            _sample_milestones(session, rng, item, today, spec["milestones"])
            items.append(item)
    _sample_meetings(session, items, users["demo.secretariat"], today)
    record_event(session=session, actor=actor, action="seed_sample", detail=f"{len(items)} items")
    session.commit()
    return len(items)


def _demo_users(session: Session, orgs: dict) -> dict[str, User]:
    users = {}
    for username, role, acronym in DEMO_USERS:
        user = session.exec(select(User).where(User.username == username)).first()
        if user is None:
            user = User(
                username=username, display_name=f"Demo {role.value.replace('_', ' ')} (sample)",
                role=role.value, organisation_id=orgs[acronym].id, is_sample=True,
            )
            session.add(user)
            session.flush()
        users[username] = user
    return users


def _sample_item(session, rng, area, title, category, lead, today, spec) -> ActionItem:  # noqa: ANN001
    # Nothing starts before the signing (16 April 2025): the window shrinks to fit.
    start = max(SIGNED, today - timedelta(days=rng.randrange(30, 420, 7)))
    due = start + timedelta(days=rng.randrange(180, 600, 30))
    item = ActionItem(
        area_id=area.id, title=SAMPLE_PREFIX + title, category=category, lead_org_id=lead.id,
        owner_name=rng.choice(spec["owners"]), start_date=start, due_date=due,
        priority=rng.choice(["high", "medium", "medium", "low"]),
        description="Sample data for demonstration; not stated in the source document.",
        created_at=_at(start), is_sample=True,
    )
    item.status, item.progress = pick_state(rng, start, due, today)
    session.add(item)
    session.flush()
    return item


def _sample_history(session, rng, item, author, today, notes, now=None) -> None:  # noqa: ANN001
    before_status, before_progress = "not_started", 0
    for when, status, progress in plan_history(rng, item.start_date, today, item.status, item.progress):
        ts = _at(when, rng.randrange(8, 18))
        ts = min(ts, now) if now is not None else ts
        session.add(ProgressUpdate(
            item_id=item.id, ts=ts, author_id=author.id,
            status_before=before_status, status_after=status, progress_before=before_progress,
            progress_after=progress, note=rng.choice(notes), source="seed", is_sample=True,
        ))
        before_status, before_progress = status, progress
        item.last_update_at = ts
    session.add(item)


def _sample_milestones(session, rng, item, today, titles) -> None:  # noqa: ANN001
    span = (item.due_date - item.start_date).days
    for i, title in enumerate(titles[: rng.randint(1, len(titles))], start=1):
        due = item.start_date + timedelta(days=span * i // (len(titles) + 1))
        done = due if (due <= today and item.progress >= 100 * i // (len(titles) + 1)) else None
        session.add(Milestone(item_id=item.id, title=title, due_date=due, completed_on=done, is_sample=True))


def _sample_meetings(session, items, author, today) -> None:  # noqa: ANN001
    jwg_items = [i for i in items if i.category == "joint_working_group"]
    body = session.exec(select(JointBody).where(JointBody.name_en == JWG_BODY)).one()
    for n, days_ago in enumerate((150, 40), start=1):
        meeting = Meeting(
            body_id=body.id, held_on=today - timedelta(days=days_ago), held_at=_at(today - timedelta(days=days_ago), 17),
            venue="Sample venue (online)",
            attendees_my="Sample: Ministry of Digital officials", attendees_counterpart="Sample: National Data Administration officials",
            summary=f"{SAMPLE_PREFIX}Meeting {n} of the working group (sample record).",
            created_by_id=author.id, is_sample=True,
        )
        session.add(meeting)
        session.flush()
        for item in jwg_items[n - 1 :: 2]:
            session.add(Decision(meeting_id=meeting.id, text=f"{SAMPLE_PREFIX}Agreed: {item.title.removeprefix(SAMPLE_PREFIX)}", item_id=item.id, is_sample=True))  # noqa: E501
            item.meeting_id = meeting.id
            session.add(item)


def remove_sample(*, session: Session, actor: User) -> dict[str, int]:
    """Delete every sample row; the facts and real users' work stay. Demo accounts are
    disabled, not deleted, so the audit trail keeps pointing at them."""
    require_admin(actor, N_("remove the sample data"))
    sample_agreements = select(Agreement.id).where(Agreement.is_sample)
    sample_areas = select(CommitmentArea.id).where(CommitmentArea.agreement_id.in_(sample_agreements))
    sample_items = select(ActionItem.id).where(ActionItem.is_sample | ActionItem.area_id.in_(sample_areas))
    sample_meetings = select(Meeting.id).where(Meeting.is_sample)
    counts: dict[str, int] = {}
    session.execute(update(Decision).where(Decision.item_id.in_(sample_items)).values(item_id=None))
    session.execute(update(ActionItem).where(ActionItem.meeting_id.in_(sample_meetings)).values(meeting_id=None))
    sample_snapshots = select(MeetingSnapshot.id).where(MeetingSnapshot.meeting_id.in_(sample_meetings))
    for model, cond in (
        (SnapshotItem, SnapshotItem.item_id.in_(sample_items) | SnapshotItem.snapshot_id.in_(sample_snapshots)),
        (MeetingSnapshot, MeetingSnapshot.meeting_id.in_(sample_meetings)),
        (Decision, Decision.is_sample | Decision.meeting_id.in_(sample_meetings)),
        (ProgressUpdate, ProgressUpdate.item_id.in_(sample_items)),
        (Milestone, Milestone.item_id.in_(sample_items)),
        (EvidenceLink, EvidenceLink.item_id.in_(sample_items)),
        (ItemSupport, ItemSupport.item_id.in_(sample_items)),
        (ActionItem, ActionItem.id.in_(sample_items)),
        (Meeting, Meeting.is_sample),
        (CommitmentArea, CommitmentArea.id.in_(sample_areas)),
        (AgreementCounterpart, AgreementCounterpart.agreement_id.in_(sample_agreements)),
        (BodyAgreement, BodyAgreement.agreement_id.in_(sample_agreements)),
        (Agreement, Agreement.is_sample),
    ):
        counts[model.__name__] = session.execute(delete(model).where(cond)).rowcount
    session.execute(update(User).where(User.is_sample).values(disabled=True))
    record_event(session=session, actor=actor, action="remove_sample", detail=json.dumps(counts))
    session.commit()
    return counts


def issue_demo_passwords(
    *, session: Session, actor: User, now: datetime,
    make_password: Callable[[], str] = lambda: secrets.token_urlsafe(12),
) -> dict[str, str]:
    """A fresh random password for each enabled demo account (sample mode only), returned
    once so `make run` can print it; no demo account ever has a fixed password."""
    require_admin_or_system(actor, N_("issue demo passwords"))
    demo = session.exec(select(User).where(User.is_sample, User.disabled == False,  # noqa: E712
                                           User.username.in_(demo_usernames())).order_by(User.id)).all()
    issued: dict[str, str] = {}
    for user in demo:
        password = make_password()
        user.password_hash = hash_password(password)
        user.failed_logins, user.locked_until = 0, None
        session.add(user)
        revoke_user_sessions(session=session, user_id=user.id, now=now)
        record_event(session=session, actor=actor, action="reset_password", object_type="user",
                     object_id=user.id, detail="demo account (sample data)")
        issued[user.username] = password
    session.commit()
    return issued


def demo_usernames() -> list[str]:
    return [u for u, _, _ in DEMO_USERS]


# The line every document written from the store carries while sample rows exist (the meeting
# pack's footer, the minutes, the renewal brief): sample data is labelled wherever it shows.
DOCUMENT_SAMPLE_NOTE = N_("SAMPLE DATA: items, history and meetings marked [Sample] are invented for demonstration.")


def document_sample_note(session: Session) -> Optional[str]:
    """DOCUMENT_SAMPLE_NOTE (a catalog key) while sample rows exist, else None."""
    return DOCUMENT_SAMPLE_NOTE if has_sample(session) else None


def sample_note(session: Session) -> Optional[str]:
    """The banner text while sample rows exist."""
    if not has_sample(session):
        return None
    return N_("SAMPLE DATA is loaded: action items, history and meetings marked [Sample] are "
              "invented for demonstration. An administrator can remove them on the Users page.")
