"""Every table is imported here so SQLModel.metadata (and Alembic) sees them all."""
from models import gate  # noqa: F401 - installs the text gate on every table's text fields
from models.base import UTCDateTime, utcnow
from models.enums import (
    RAG,
    AgreementKind,
    AgreementStatus,
    Category,
    ItemOutcomeKind,
    ItemStatus,
    OrgKind,
    Priority,
    RelationKind,
    Role,
)
from models.security import SignInThrottle
from models.tables import (
    ActionItem,
    Agreement,
    AgreementCounterpart,
    AgreementPackage,
    AgreementRelation,
    AppSetting,
    ChangeCounter,
    AuditEvent,
    AuthSession,
    BodyAgreement,
    BodyMember,
    CommitmentArea,
    Decision,
    EvidenceLink,
    ItemCarry,
    ItemOutcome,
    ItemSupport,
    JointBody,
    Meeting,
    MeetingSnapshot,
    Milestone,
    Organisation,
    ProgressUpdate,
    SentMail,
    SnapshotItem,
    SourceDocument,
    UpdateRequest,
    User,
)

__all__ = [
    "RAG", "ActionItem", "Agreement", "AgreementCounterpart", "AgreementKind", "AgreementPackage",
    "AgreementStatus", "AppSetting",
    "ChangeCounter", "AuditEvent", "AuthSession", "BodyAgreement", "BodyMember", "Category", "CommitmentArea",
    "Decision", "EvidenceLink", "ItemStatus", "ItemSupport", "JointBody", "Meeting", "MeetingSnapshot", "Milestone", "OrgKind",
    "Organisation", "Priority", "ProgressUpdate", "Role", "SentMail", "SignInThrottle", "SnapshotItem", "SourceDocument",
    "UpdateRequest", "User", "UTCDateTime",
    "utcnow", "AgreementRelation", "ItemCarry", "ItemOutcome", "ItemOutcomeKind", "RelationKind",
]
