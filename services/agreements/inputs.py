"""The Set-up forms' input: one pydantic model per form (agreement, commitment area, action
item) whose text fields pass the text gate with their table's limits (models/text.py), and the
validation that turns pydantic's errors into messages in the user's language. SQLModel table
models skip validation, so every write validates here first."""
from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from sqlmodel import Session

from models import ActionItem, Agreement, AgreementKind, AgreementStatus, Category, CommitmentArea, Priority
from models.gate import text_fields
from models.text import TextRefused, check_text, clean_text
from services.errors import Joined, ValidationFailed, refusal
from services.forms import validation_failed
from services.i18n.translate import N_


class FormInput(BaseModel):
    """A form's fields. Text of the `table`'s fields passes the text gate (models/text.py)
    with the table's limit before pydantic checks the rest; other text is cleaned."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")
    table: ClassVar[Optional[type]] = None

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_none(cls, v):  # noqa: ANN001, ANN206
        return None if isinstance(v, str) and not v.strip() else v


class AgreementInput(FormInput):
    table = Agreement
    code: str = Field(min_length=2, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    kind: AgreementKind
    title_en: str = Field(min_length=3)
    title_ms: Optional[str] = None
    title_zh: Optional[str] = None
    lead_org_id: int
    counterpart_ids: list[int] = Field(default_factory=list)
    signed_on: Optional[date] = None
    signed_date_note: Optional[str] = None
    signed_date_note_ms: Optional[str] = None
    signed_date_note_zh: Optional[str] = None
    place: Optional[str] = None
    signatories: Optional[str] = None
    signatories_ms: Optional[str] = None
    signatories_zh: Optional[str] = None
    witnesses: Optional[str] = None
    witnesses_ms: Optional[str] = None
    witnesses_zh: Optional[str] = None
    status: AgreementStatus = AgreementStatus.IN_FORCE
    expires_on: Optional[date] = None
    source_document_id: Optional[int] = None

    @model_validator(mode="after")
    def _dates(self):
        if self.signed_on and self.expires_on and self.expires_on <= self.signed_on:
            raise ValueError(N_("the expiry date must be after the signing date"))
        return self


class AreaInput(FormInput):
    table = CommitmentArea
    agreement_id: int
    title_en: str = Field(min_length=3)
    title_ms: Optional[str] = None
    title_zh: Optional[str] = None
    category: Category = Category.OTHER
    position: int = Field(default=0, ge=0, le=1000)
    quote: Optional[str] = Field(default=None, max_length=5000)

    @field_validator("category", mode="before")
    @classmethod
    def _category_chosen(cls, v):  # noqa: ANN001, ANN206
        # The form offers no pre-selected category (a joint working group creates a meeting
        # body): an empty choice is refused in words, not as a list of codes.
        if v is None or (isinstance(v, str) and not v.strip()):
            raise ValueError(N_("choose one of the categories"))
        return v


class ItemInput(FormInput):
    table = ActionItem
    area_id: int
    title: str = Field(min_length=3)
    title_ms: Optional[str] = None
    title_zh: Optional[str] = None
    description: Optional[str] = None
    category: Category = Category.OTHER
    lead_org_id: Optional[int] = None
    supporting_org_ids: list[int] = Field(default_factory=list)
    counterpart_focal_point: Optional[str] = None
    owner_name: Optional[str] = None
    owner_email: Optional[str] = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    start_date: Optional[date] = None
    due_date: Optional[date] = None
    priority: Priority = Priority.MEDIUM
    weight: float = Field(default=1.0, gt=0, le=100)
    meeting_id: Optional[int] = None

    @model_validator(mode="after")
    def _dates(self):
        if self.start_date and self.due_date and self.due_date < self.start_date:
            raise ValueError(N_("the due date cannot be before the start date"))
        return self


def gate_form(model: type[FormInput], data: dict) -> dict:
    """`data` with its text through the text gate: the table's fields checked against the
    table's limits, other text cleaned. Raises ValidationFailed naming each field too long."""
    fields = set(text_fields(model.table)) if model.table else set()
    gated, problems = {}, []
    for key, value in data.items():
        if not isinstance(value, str):
            gated[key] = value
            continue
        try:
            gated[key] = check_text(model.table, key, value) if key in fields else clean_text(value)
        except TextRefused as exc:
            problems.append(refusal(exc))
    if problems:
        raise ValidationFailed(N_("Please correct: {details}"), problems, details=Joined(problems))
    return gated


def validate(model: type[FormInput], data: dict) -> FormInput:
    """The model, or ValidationFailed listing each field's problem in plain words."""
    data = gate_form(model, data)
    try:
        return model(**data)
    except ValidationError as exc:
        raise validation_failed(exc) from None


# The refusal when a form names a row that does not exist, per kind of row.
MISSING = {
    "lead": N_("Choose an existing lead organisation (id {id} not found)."),
    "counterpart": N_("Choose an existing counterpart organisation (id {id} not found)."),
    "source": N_("Choose an existing source document (id {id} not found)."),
    "agreement": N_("Choose an existing agreement (id {id} not found)."),
    "area": N_("Choose an existing commitment area (id {id} not found)."),
    "supporting": N_("Choose an existing supporting organisation (id {id} not found)."),
    "meeting": N_("Choose an existing meeting (id {id} not found)."),
    "item": N_("Choose an existing action item (id {id} not found)."),
}


def require_row(session: Session, model, object_id: Optional[int], missing: str) -> Any:  # noqa: ANN001
    """The `model` row with id `object_id`; raises ValidationFailed(`missing`) when there is none.
    `missing` is the refusal's catalog key, with {id}: whole sentences translate better than a
    sentence with a noun slotted in."""
    row = session.get(model, object_id) if object_id is not None else None
    if row is None:
        raise ValidationFailed(missing, id=object_id)
    return row


def diff_values(row, values: dict) -> tuple[dict, dict]:  # noqa: ANN001
    """(before, after) of the fields of `values` that differ from `row`'s: an audit event's pair."""
    before = {k: getattr(row, k) for k, v in values.items() if getattr(row, k) != v}
    return before, {k: values[k] for k in before}
