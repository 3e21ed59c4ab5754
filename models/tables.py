"""The tables. Enumerated values are stored as short strings (see models/enums.py);
services validate them, so PostgreSQL needs no native enum types in migrations.

Every text field's limit is its max_length here, also on TEXT columns (the database does not
enforce it there; the text gate, models/text.py, does on every path). Fields listed in
RAW_TEXT hold machine-made text (JSON, hashes, settings) and skip the gate."""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import Column, ForeignKey, Index, Integer, LargeBinary, Text, UniqueConstraint
from sqlalchemy import text as sql_text
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime, utcnow


def _ts(**kw) -> object:  # a UTC timestamp column
    return Field(sa_type=UTCDateTime, **kw)


class Organisation(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    acronym: str = Field(max_length=40, unique=True, index=True)
    name_en: str = Field(max_length=300)
    name_ms: Optional[str] = Field(default=None, max_length=300)
    name_zh: Optional[str] = Field(default=None, max_length=300)
    country: str = Field(max_length=80)
    kind: str = Field(default="other", max_length=20)
    parent_id: Optional[int] = Field(default=None, foreign_key="organisation.id")


class SourceDocument(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    slug: str = Field(max_length=120, unique=True)
    title: str = Field(max_length=500)
    language: str = Field(max_length=10)
    issued_on: Optional[date] = None
    issuer: str = Field(max_length=300)
    text: str = Field(sa_column=Column(Text, nullable=False))
    translation_en: Optional[str] = Field(default=None, sa_column=Column(Text))
    # Issue 16: documents attached to one agreement (the seed's statement belongs to none).
    agreement_id: Optional[int] = Field(default=None, sa_column=Column(
        Integer, ForeignKey("agreement.id", use_alter=True, name="fk_sourcedocument_agreement"), index=True))
    translation_of_id: Optional[int] = Field(default=None, foreign_key="sourcedocument.id")
    # The uploaded file as received (None for pasted text), so every process and a backup have it.
    original: Optional[bytes] = Field(default=None, sa_column=Column(LargeBinary))
    original_name: Optional[str] = Field(default=None, max_length=255)
    original_kind: str = Field(default="paste", max_length=10)  # paste, txt, pdf, docx, seed
    added_at: Optional[datetime] = _ts(default=None)


class AgreementPackage(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=300, unique=True)  # English; also the seed's key
    name_ms: Optional[str] = Field(default=None, max_length=300)
    name_zh: Optional[str] = Field(default=None, max_length=300)
    stated_total: Optional[int] = None
    source_document_id: Optional[int] = Field(default=None, foreign_key="sourcedocument.id")


class Agreement(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True, index=True)
    kind: str = Field(max_length=20)
    title_en: str = Field(max_length=500)
    title_ms: Optional[str] = Field(default=None, max_length=500)
    title_zh: Optional[str] = Field(default=None, max_length=500)
    lead_org_id: int = Field(foreign_key="organisation.id")
    signed_on: Optional[date] = None
    # The English text keeps the plain column name (as ActionItem.title); _ms and _zh beside it.
    signed_date_note: Optional[str] = Field(default=None, max_length=200)
    signed_date_note_ms: Optional[str] = Field(default=None, max_length=200)
    signed_date_note_zh: Optional[str] = Field(default=None, max_length=200)
    place: Optional[str] = Field(default=None, max_length=200)
    signatories: Optional[str] = Field(default=None, max_length=1000)
    signatories_ms: Optional[str] = Field(default=None, max_length=1000)
    signatories_zh: Optional[str] = Field(default=None, max_length=1000)
    witnesses: Optional[str] = Field(default=None, max_length=1000)
    witnesses_ms: Optional[str] = Field(default=None, max_length=1000)
    witnesses_zh: Optional[str] = Field(default=None, max_length=1000)
    status: str = Field(default="in_force", max_length=30)
    expires_on: Optional[date] = None
    # The clock (issue 18). None means the source does not say; nothing is invented.
    in_force_from: Optional[date] = None
    term_months: Optional[int] = None  # a term in years is stored as 12 x years
    auto_renews: Optional[bool] = None
    renewal_months: Optional[int] = None  # each automatic renewal; None: the term again
    notice_days: Optional[int] = None  # notice to terminate or to stop a renewal
    closed_on: Optional[date] = None
    package_id: Optional[int] = Field(default=None, foreign_key="agreementpackage.id")
    source_document_id: Optional[int] = Field(default=None, foreign_key="sourcedocument.id")
    archived: bool = False
    is_sample: bool = False


class AgreementCounterpart(SQLModel, table=True):
    agreement_id: int = Field(foreign_key="agreement.id", primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", primary_key=True)


class AgreementRelation(SQLModel, table=True):
    """`agreement_id` succeeds / amends / is related to `other_id`."""

    id: Optional[int] = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", index=True)
    other_id: int = Field(foreign_key="agreement.id", index=True)
    kind: str = Field(max_length=20)
    created_at: datetime = _ts(default_factory=utcnow)
    created_by_id: Optional[int] = Field(default=None, foreign_key="user.id")


class CommitmentArea(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", index=True)
    position: int = 0
    title_en: str = Field(max_length=500)
    title_ms: Optional[str] = Field(default=None, max_length=500)
    title_zh: Optional[str] = Field(default=None, max_length=500)
    category: str = Field(default="other", max_length=40)
    source_document_id: Optional[int] = Field(default=None, foreign_key="sourcedocument.id")
    quote_start: Optional[int] = None
    quote_end: Optional[int] = None
    archived: bool = False


_ITEM_VERSION = Column("version", Integer, nullable=False)


class ActionItem(SQLModel, table=True):
    __table_args__ = (
        Index("ix_actionitem_status_due", "status", "due_date"),
        Index("ix_actionitem_lead_due", "lead_org_id", "due_date"),
        # Only the sample items (none in production): the banner's check on every page.
        Index("ix_actionitem_sample", "id", postgresql_where=sql_text("is_sample"),
              sqlite_where=sql_text("is_sample")),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    area_id: int = Field(foreign_key="commitmentarea.id", index=True)
    title: str = Field(max_length=500)
    title_ms: Optional[str] = Field(default=None, max_length=500)
    title_zh: Optional[str] = Field(default=None, max_length=500)
    description: Optional[str] = Field(default=None, max_length=10000, sa_column=Column(Text))
    category: str = Field(default="other", max_length=40)
    lead_org_id: Optional[int] = Field(default=None, foreign_key="organisation.id")
    counterpart_focal_point: Optional[str] = Field(default=None, max_length=300)
    owner_name: Optional[str] = Field(default=None, max_length=200)
    owner_email: Optional[str] = Field(default=None, max_length=320)
    start_date: Optional[date] = None
    due_date: Optional[date] = None
    status: str = Field(default="not_started", max_length=20)
    progress: int = 0
    weight: float = 1.0
    priority: str = Field(default="medium", max_length=10)
    meeting_id: Optional[int] = Field(default=None, foreign_key="meeting.id")
    created_at: datetime = _ts(default_factory=utcnow)
    last_update_at: Optional[datetime] = _ts(default=None)
    archived: bool = False
    is_sample: bool = False
    # Optimistic locking: SQLAlchemy bumps this on every UPDATE and refuses stale writes.
    version: int = Field(default=1, sa_column=_ITEM_VERSION)

    __mapper_args__ = {"version_id_col": _ITEM_VERSION}


class ItemCarry(SQLModel, table=True):
    """An item carried from an agreement into its successor: the item (and its history) is
    the same row; this records where it came from, so both agreements reach it."""

    id: Optional[int] = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="actionitem.id", index=True)
    from_agreement_id: int = Field(foreign_key="agreement.id", index=True)
    from_area_id: int = Field(foreign_key="commitmentarea.id")
    to_agreement_id: int = Field(foreign_key="agreement.id", index=True)
    carried_at: datetime = _ts(default_factory=utcnow)


class ItemOutcome(SQLModel, table=True):
    """The outcome recorded for an item still open when its agreement closed."""

    id: Optional[int] = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="actionitem.id", index=True)
    agreement_id: int = Field(foreign_key="agreement.id", index=True)
    outcome: str = Field(max_length=20)
    note: Optional[str] = Field(default=None, max_length=2000)
    recorded_at: datetime = _ts(default_factory=utcnow)
    recorded_by_id: Optional[int] = Field(default=None, foreign_key="user.id")


class ItemSupport(SQLModel, table=True):
    item_id: int = Field(foreign_key="actionitem.id", primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", primary_key=True)


class Milestone(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="actionitem.id", index=True)
    title: str = Field(max_length=300)
    due_date: Optional[date] = None
    completed_on: Optional[date] = None
    is_sample: bool = False


class EvidenceLink(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="actionitem.id", index=True)
    url: str = Field(max_length=1000)
    label: Optional[str] = Field(default=None, max_length=300)
    added_by_id: Optional[int] = Field(default=None, foreign_key="user.id")
    added_at: datetime = _ts(default_factory=utcnow)
    is_sample: bool = False


class ProgressUpdate(SQLModel, table=True):
    """Append-only: no service updates or deletes a row of this table."""

    # (item_id, ts, id): an item's updates in order, and its last one before a date with no sort.
    __table_args__ = (Index("ix_progressupdate_item_ts_id", "item_id", "ts", "id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="actionitem.id")
    ts: datetime = _ts(default_factory=utcnow, index=True)
    author_id: Optional[int] = Field(default=None, foreign_key="user.id")
    status_before: Optional[str] = Field(default=None, max_length=20)
    status_after: str = Field(max_length=20)
    progress_before: Optional[int] = None
    progress_after: int
    changes: Optional[str] = Field(default=None, sa_column=Column(Text))  # JSON of other fields
    note: Optional[str] = Field(default=None, max_length=4000, sa_column=Column(Text))
    evidence_url: Optional[str] = Field(default=None, max_length=1000)
    source: str = Field(default="web", max_length=20)  # web, bulk, import, cli, seed
    is_sample: bool = False


class JointBody(SQLModel, table=True):
    """A joint working group (or any body that meets): its names, the agreements it oversees
    (BodyAgreement), its members (BodyMember) and how often it meets."""

    id: Optional[int] = Field(default=None, primary_key=True)
    name_en: str = Field(max_length=300, unique=True)
    name_ms: Optional[str] = Field(default=None, max_length=300)
    name_zh: Optional[str] = Field(default=None, max_length=300)
    cadence_months: Optional[int] = None  # meets every N months
    archived: bool = False
    is_sample: bool = False


class BodyAgreement(SQLModel, table=True):
    body_id: int = Field(foreign_key="jointbody.id", primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", primary_key=True)


class BodyMember(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    body_id: int = Field(foreign_key="jointbody.id", index=True)
    side: str = Field(max_length=20)  # "my" (Malaysia) or "counterpart"
    name: str = Field(max_length=200)
    organisation: Optional[str] = Field(default=None, max_length=300)
    role: Optional[str] = Field(default=None, max_length=200)


class Meeting(SQLModel, table=True):
    """A meeting of a body: planned while held_at is empty, then marked held (once)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    body_id: int = Field(foreign_key="jointbody.id", index=True)
    held_on: date
    held_at: Optional[datetime] = _ts(default=None)
    held_by_id: Optional[int] = Field(default=None, foreign_key="user.id")
    venue: Optional[str] = Field(default=None, max_length=300)
    attendees_my: Optional[str] = Field(default=None, max_length=5000, sa_column=Column(Text))
    attendees_counterpart: Optional[str] = Field(default=None, max_length=5000, sa_column=Column(Text))
    summary: Optional[str] = Field(default=None, max_length=20000, sa_column=Column(Text))
    created_by_id: Optional[int] = Field(default=None, foreign_key="user.id")
    is_sample: bool = False


class Decision(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    text: str = Field(max_length=5000, sa_column=Column(Text, nullable=False))
    item_id: Optional[int] = Field(default=None, foreign_key="actionitem.id")
    is_sample: bool = False


class MeetingSnapshot(SQLModel, table=True):
    """The agenda as presented at a meeting; written once, never updated (one per meeting)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", unique=True)
    taken_at: datetime = _ts(default_factory=utcnow)
    taken_by_id: Optional[int] = Field(default=None, foreign_key="user.id")
    reason: str = Field(max_length=20)  # "held" or "pack"
    figures: str = Field(sa_column=Column(Text, nullable=False))  # JSON: per agreement code, its KPIs


class SnapshotItem(SQLModel, table=True):
    snapshot_id: int = Field(foreign_key="meetingsnapshot.id", primary_key=True)
    item_id: int = Field(foreign_key="actionitem.id", primary_key=True)
    agreement_id: int
    on_agenda: bool = False
    title: str = Field(max_length=500)
    status: str = Field(max_length=20)
    progress: int
    rag: Optional[str] = Field(default=None, max_length=10)
    due_date: Optional[date] = None
    owner_name: Optional[str] = Field(default=None, max_length=200)
    last_note: Optional[str] = Field(default=None, sa_column=Column(Text))


class User(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True, index=True)
    display_name: str = Field(max_length=200)
    email: Optional[str] = Field(default=None, max_length=320, index=True)
    organisation_id: Optional[int] = Field(default=None, foreign_key="organisation.id")
    role: str = Field(default="viewer", max_length=20)
    password_hash: Optional[str] = Field(default=None, max_length=300)
    disabled: bool = False
    failed_logins: int = 0
    locked_until: Optional[datetime] = _ts(default=None)
    language: Optional[str] = Field(default=None, max_length=5)
    # off / daily / weekly; None = the default (weekly for focal points, off for other roles).
    digest_frequency: Optional[str] = Field(default=None, max_length=10)
    created_at: datetime = _ts(default_factory=utcnow)
    is_sample: bool = False


class AuthSession(SQLModel, table=True):
    """A signed-in browser: only the SHA-256 of the random token is stored."""

    id: Optional[int] = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = _ts(default_factory=utcnow)
    last_seen_at: datetime = _ts(default_factory=utcnow)
    revoked_at: Optional[datetime] = _ts(default=None)


class AuditEvent(SQLModel, table=True):
    __table_args__ = (Index("ix_auditevent_object", "object_type", "object_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    ts: datetime = _ts(default_factory=utcnow, index=True)
    user_id: Optional[int] = Field(default=None, foreign_key="user.id", index=True)
    username: Optional[str] = Field(default=None, max_length=64)
    action: str = Field(max_length=40)
    object_type: Optional[str] = Field(default=None, max_length=40)
    object_id: Optional[int] = None
    before: Optional[str] = Field(default=None, sa_column=Column(Text))
    after: Optional[str] = Field(default=None, sa_column=Column(Text))
    detail: Optional[str] = Field(default=None, sa_column=Column(Text))


class AppSetting(SQLModel, table=True):
    key: str = Field(max_length=80, primary_key=True)
    value: str = Field(sa_column=Column(Text, nullable=False))


class ChangeCounter(SQLModel, table=True):
    """Counters moved by database triggers in the same transaction as the change they count
    (core/change_counters.py): the 'structure' row moves with every change to agreements,
    commitment areas, organisations and counterparts, never with a progress update."""

    name: str = Field(max_length=40, primary_key=True)
    value: int = Field(default=0)


class SentMail(SQLModel, table=True):
    """One row per reminder mail: claimed before it is sent, marked sent after. The unique key
    (recipient, kind, subject, period) stops two runs, even overlapping ones, from sending the
    same thing twice: the second run's INSERT of the claim fails and it skips that mail."""

    __table_args__ = (
        UniqueConstraint("recipient_id", "kind", "subject_key", "period", name="uq_sentmail_once"),
        Index("ix_sentmail_recipient_kind", "recipient_id", "kind", "sent_at"),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    recipient_id: int = Field(foreign_key="user.id")
    recipient_email: str = Field(max_length=320)
    kind: str = Field(max_length=20)  # digest, request, expiry
    subject_key: str = Field(max_length=120)  # what the mail is about, e.g. "meeting:7"
    period: str = Field(max_length=20)  # e.g. the day of a digest, the date of a meeting
    subject: str = Field(max_length=500)
    state: str = Field(default="claimed", max_length=10)  # claimed, sent
    claimed_at: datetime = _ts(default_factory=utcnow)
    sent_at: Optional[datetime] = _ts(default=None)
    message_id: Optional[str] = Field(default=None, max_length=300)


class UpdateRequest(SQLModel, table=True):
    """The secretariat's "Request updates" before a meeting; send-reminders mails it."""

    id: Optional[int] = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", unique=True)  # one request per meeting
    window_end: date  # updates are wanted by this day
    item_ids: str = Field(sa_column=Column(Text, nullable=False))  # JSON list of the agenda's items
    requested_by_id: int = Field(foreign_key="user.id")
    requested_at: datetime = _ts(default_factory=utcnow)
# Machine-made text: JSON of changes, hashes, settings. The text gate (models/gate.py) leaves
# these alone; cleaning JSON could turn an escaped line separator into an invalid one.
RAW_TEXT: frozenset[tuple[str, str]] = frozenset({
    ("ProgressUpdate", "changes"), ("AuditEvent", "before"), ("AuditEvent", "after"),
    ("AuditEvent", "detail"), ("User", "password_hash"), ("AuthSession", "token_hash"),
    ("AppSetting", "value"), ("AppSetting", "key"), ("ChangeCounter", "name"),
})
