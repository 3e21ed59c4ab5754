"""Every table is imported here so SQLModel.metadata (and Alembic) sees them all."""
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
from models.tables import (
    ActionItem,
    Agreement,
    AgreementCounterpart,
    AgreementPackage,
    AgreementRelation,
    AppSetting,
    AuditEvent,
    AuthSession,
    CommitmentArea,
    Decision,
    EvidenceLink,
    ItemCarry,
    ItemOutcome,
    ItemSupport,
    Meeting,
    Milestone,
    Organisation,
    ProgressUpdate,
    SourceDocument,
    User,
)

__all__ = [
    "RAG", "ActionItem", "Agreement", "AgreementCounterpart", "AgreementKind", "AgreementPackage",
    "AgreementStatus", "AppSetting", "AuditEvent", "AuthSession", "Category", "CommitmentArea",
    "Decision", "EvidenceLink", "ItemStatus", "ItemSupport", "Meeting", "Milestone", "OrgKind",
    "Organisation", "Priority", "ProgressUpdate", "Role", "SourceDocument", "User", "UTCDateTime",
    "utcnow", "AgreementRelation", "ItemCarry", "ItemOutcome", "ItemOutcomeKind", "RelationKind",
]
