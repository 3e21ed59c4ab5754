"""Enumerations stored as short strings. Labels and colours live in services/labels.py."""
from __future__ import annotations

from enum import Enum


class StrEnum(str, Enum):
    def __str__(self) -> str:
        return self.value


class OrgKind(StrEnum):
    MINISTRY = "ministry"
    AGENCY = "agency"
    UNIVERSITY = "university"
    COMPANY = "company"
    INTERNATIONAL = "international"
    OTHER = "other"


class AgreementKind(StrEnum):
    MOU = "MoU"
    LOI = "LOI"
    MOA = "MoA"
    AGREEMENT = "Agreement"
    OTHER = "Other"


class AgreementStatus(StrEnum):
    """The recorded status. Dates decide where they can (services/lifecycle/clock.py);
    terminated and superseded are acts, recorded when they happen."""

    DRAFT = "draft"
    UNDER_NEGOTIATION = "under_negotiation"  # older rows; read as a draft
    SIGNED = "signed"
    IN_FORCE = "in_force"
    RENEWED = "renewed"
    EXPIRED = "expired"
    TERMINATED = "terminated"
    SUPERSEDED = "superseded"


class RelationKind(StrEnum):
    SUCCEEDS = "succeeds"
    AMENDS = "amends"
    RELATED_TO = "related_to"


class ItemOutcomeKind(StrEnum):
    ACHIEVED = "achieved"
    PARTLY = "partly_achieved"
    NOT_ACHIEVED = "not_achieved"
    DROPPED = "dropped"


class ItemStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    ON_HOLD = "on_hold"
    CANCELLED = "cancelled"


class Category(StrEnum):
    JOINT_WORKING_GROUP = "joint_working_group"
    TECHNICAL_EXCHANGE = "technical_exchange"
    AI_DATASETS_INFRA = "ai_datasets_infrastructure"
    TALENT = "talent_programme"
    POLICY = "policy_regulation"
    ETHICS_SAFETY = "ethics_safety"
    CITY_ENTERPRISE = "city_enterprise_projects"
    PUBLIC_LITERACY = "public_literacy"
    OTHER = "other"


class Priority(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Role(StrEnum):
    VIEWER = "viewer"
    FOCAL_POINT = "focal_point"
    SECRETARIAT = "secretariat"
    ADMIN = "admin"


class RAG(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"
