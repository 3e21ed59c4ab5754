"""Creating and editing agreements, commitment areas and action items; archive and restore.

Input is validated with plain pydantic models first (SQLModel table models skip validation),
so every field gets a clear message. Nothing with history is deleted: it is archived."""
from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from sqlmodel import Session, select

from models import (
    ActionItem, Agreement, AgreementCounterpart, AgreementKind, AgreementStatus, Category,
    CommitmentArea, ItemSupport, Meeting, Organisation, Priority, SourceDocument, User, utcnow,
)
from services.audit.trail import record_event
from models.gate import text_fields
from models.text import TextRefused, check_text, clean_text
from services.errors import Joined, NotFound, ValidationFailed, refusal
from services.forms import validation_failed
from services.i18n.translate import N_
from services.items.progress import commit_or_stale, item_org_ids, stale_error
from services.i18n.content import display
from services.permissions import can_edit_structure, can_update_item, require_item_update, require_structure
from services.seeding.facts import locate_quote


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


def _require(session: Session, model, object_id: Optional[int], missing: str):  # noqa: ANN001
    """`missing` is the refusal's catalog key, with {id}: whole sentences translate better
    than a sentence with a noun slotted in."""
    row = session.get(model, object_id) if object_id is not None else None
    if row is None:
        raise ValidationFailed(missing, id=object_id)
    return row


def _diff(row, values: dict) -> tuple[dict, dict]:  # noqa: ANN001
    before = {k: getattr(row, k) for k, v in values.items() if getattr(row, k) != v}
    return before, {k: values[k] for k in before}


# --- agreements --------------------------------------------------------------------------

def save_agreement(*, session: Session, actor: User, data: dict, agreement_id: Optional[int] = None) -> Agreement:
    """Create (no id) or edit an agreement and its counterparts."""
    require_structure(actor, N_("create or edit agreements"))
    inp = validate(AgreementInput, data)
    _require(session, Organisation, inp.lead_org_id, MISSING["lead"])
    for org_id in inp.counterpart_ids:
        _require(session, Organisation, org_id, MISSING["counterpart"])
    if inp.source_document_id is not None:
        _require(session, SourceDocument, inp.source_document_id, MISSING["source"])
    clash = session.exec(select(Agreement).where(Agreement.code == inp.code)).first()
    if clash is not None and clash.id != agreement_id:
        raise ValidationFailed(N_("The reference {code} is already used by another agreement."), code=inp.code)
    values = inp.model_dump(exclude={"counterpart_ids"})
    values = {k: (v.value if hasattr(v, "value") else v) for k, v in values.items()}
    row = Agreement(**values) if agreement_id is None else _require(session, Agreement, agreement_id, MISSING["agreement"])
    before, after = _diff(row, values) if agreement_id else ({}, values)
    for k, v in values.items():
        setattr(row, k, v)
    session.add(row)
    session.flush()
    _set_links(session, AgreementCounterpart, "agreement_id", row.id, inp.counterpart_ids)
    record_event(session=session, actor=actor, action="edit_agreement" if agreement_id else "create_agreement",
                 object_type="agreement", object_id=row.id, before=before or None,
                 after={**after, "counterpart_ids": inp.counterpart_ids})
    session.commit()
    return row


def _set_links(session: Session, model, key: str, owner_id: int, org_ids: list[int]) -> None:  # noqa: ANN001
    """Link tables hold no history of their own: the audit event records the new set."""
    current = {r.organisation_id: r for r in session.exec(select(model).where(getattr(model, key) == owner_id)).all()}
    for org_id, link in current.items():
        if org_id not in org_ids:
            session.delete(link)
    for org_id in dict.fromkeys(org_ids):
        if org_id not in current:
            session.add(model(**{key: owner_id, "organisation_id": org_id}))


# --- commitment areas --------------------------------------------------------------------

def save_area(*, session: Session, actor: User, data: dict, area_id: Optional[int] = None) -> CommitmentArea:
    """Create or edit an area. A source quote must be found, verbatim, in the agreement's
    stored source text; its offsets are stored so the clause can be shown and highlighted."""
    require_structure(actor, N_("create or edit commitment areas"))
    inp = validate(AreaInput, data)
    agreement = _require(session, Agreement, inp.agreement_id, MISSING["agreement"])
    values = inp.model_dump(exclude={"quote"})
    values["category"] = inp.category.value
    values.update(source_document_id=None, quote_start=None, quote_end=None)
    if inp.quote:
        doc = _quoted_document(session, agreement, area_id)
        if doc is None:
            raise ValidationFailed(N_("This agreement has no stored source document to quote from."))
        start, end = locate_quote(doc.text, inp.quote)
        values.update(source_document_id=doc.id, quote_start=start, quote_end=end)
    row = CommitmentArea(**values) if area_id is None else _require(session, CommitmentArea, area_id, MISSING["area"])
    before, after = _diff(row, values) if area_id else ({}, values)
    for k, v in values.items():
        setattr(row, k, v)
    session.add(row)
    session.flush()
    record_event(session=session, actor=actor, action="edit_area" if area_id else "create_area",
                 object_type="area", object_id=row.id, before=before or None, after=after)
    session.commit()
    return row


def _quoted_document(session: Session, agreement: Agreement, area_id: Optional[int]) -> Optional[SourceDocument]:
    """An area keeps quoting the document it quotes (an annex, say); a new one quotes the
    agreement's main text."""
    current = session.get(CommitmentArea, area_id) if area_id else None
    doc_id = (current.source_document_id if current is not None and current.source_document_id
              else agreement.source_document_id)
    return session.get(SourceDocument, doc_id) if doc_id else None


# --- action items ------------------------------------------------------------------------

def _item_values(session: Session, inp: ItemInput) -> dict:
    _require(session, CommitmentArea, inp.area_id, MISSING["area"])
    if inp.lead_org_id is not None:
        _require(session, Organisation, inp.lead_org_id, MISSING["lead"])
    for org_id in inp.supporting_org_ids:
        _require(session, Organisation, org_id, MISSING["supporting"])
    if inp.meeting_id is not None:
        _require(session, Meeting, inp.meeting_id, MISSING["meeting"])
    values = inp.model_dump(exclude={"supporting_org_ids"})
    return {k: (v.value if hasattr(v, "value") else v) for k, v in values.items()}


def create_item(*, session: Session, actor: User, data: dict, now: Optional[datetime] = None,
                commit: bool = True) -> ActionItem:
    """A new item starts Not started at 0%; its first progress update comes later."""
    require_structure(actor, N_("create action items"))
    inp = validate(ItemInput, data)
    values = _item_values(session, inp)
    item = ActionItem(**values, created_at=now or utcnow())
    session.add(item)
    session.flush()
    _set_links(session, ItemSupport, "item_id", item.id, inp.supporting_org_ids)
    record_event(session=session, actor=actor, action="create_item", object_type="item", object_id=item.id,
                 after={"title": item.title, "due_date": item.due_date, "owner_name": item.owner_name})
    if commit:
        session.commit()
    return item


OWNER_FIELDS = {"owner_name", "owner_email"}


def edit_item(*, session: Session, actor: User, item_id: int, expected_version: int, data: dict) -> ActionItem:
    """Edit an item's fields (not its status or progress: those are progress updates).
    Focal points may change the owner of their organisation's items; everything else is
    the secretariat's. A save based on an out-of-date version is refused."""
    item = _require(session, ActionItem, item_id, MISSING["item"])
    if not can_edit_structure(actor):
        require_item_update(actor, item_org_ids(session, item), item.title)
    current = {k: getattr(item, k) for k in ItemInput.model_fields if k != "supporting_org_ids"}
    supporting = [o for o in item_org_ids(session, item)[1:] if o is not None]
    inp = validate(ItemInput, {**current, "supporting_org_ids": supporting, **data})
    values = _item_values(session, inp)
    before, after = _diff(item, values)
    if set(inp.supporting_org_ids) != set(supporting):
        before["supporting_org_ids"], after["supporting_org_ids"] = supporting, inp.supporting_org_ids
    if not after:
        raise ValidationFailed(N_("Nothing changed."))
    if set(after) <= OWNER_FIELDS and can_update_item(actor, item_org_ids(session, item)):
        require_item_update(actor, item_org_ids(session, item), item.title)
    else:
        require_structure(actor, N_("edit action items (focal points may change the owner)"))
    if item.archived:
        raise ValidationFailed(N_("'{title}' is archived: restore it before editing it."), title=item.title)
    if item.version != expected_version:
        raise stale_error(session, item)
    _set_links(session, ItemSupport, "item_id", item.id, inp.supporting_org_ids)
    for k, v in values.items():
        setattr(item, k, v)
    session.add(item)
    record_event(session=session, actor=actor, action="edit_item", object_type="item", object_id=item.id,
                 before=before, after=after)
    commit_or_stale(session, item)
    return item


# --- archive and restore -----------------------------------------------------------------

ARCHIVABLE = {"agreement": Agreement, "area": CommitmentArea, "item": ActionItem}
ARCHIVABLE_MISSING = {"agreement": N_("No agreement with id {id}."), "area": N_("No commitment area with id {id}."),
                      "item": N_("No action item with id {id}.")}


def set_archived(*, session: Session, actor: User, kind: str, object_id: int, archived: bool) -> None:
    """Archive (hide from lists, reports and roll-ups) or restore; nothing is deleted."""
    require_structure(actor, N_("archive or restore"))
    if kind not in ARCHIVABLE:
        raise ValidationFailed(N_("Only {kinds} can be archived."), kinds=", ".join(ARCHIVABLE))
    row = session.get(ARCHIVABLE[kind], object_id)
    if row is None:
        raise NotFound(ARCHIVABLE_MISSING[kind], id=object_id)
    if row.archived == archived:
        raise ValidationFailed(N_("It is already archived.") if archived else N_("It is already live."))
    row.archived = archived
    session.add(row)
    record_event(session=session, actor=actor, action=("archive_" if archived else "restore_") + kind,
                 object_type=kind, object_id=object_id, before={"archived": not archived},
                 after={"archived": archived})
    session.commit()


def list_archived(*, session: Session, lang: str = "en") -> dict[str, list[tuple[int, str]]]:
    """Archived agreements, areas and items, as (id, label in `lang`), for the restore list."""
    return {
        "agreement": [(a.id, f"{a.code} — {display(a, 'title', lang)}") for a in session.exec(
            select(Agreement).where(Agreement.archived).order_by(Agreement.code)).all()],
        "area": [(a.id, display(a, "title", lang)) for a in session.exec(
            select(CommitmentArea).where(CommitmentArea.archived).order_by(CommitmentArea.id)).all()],
        "item": [(i.id, display(i, "title", lang)) for i in session.exec(
            select(ActionItem).where(ActionItem.archived).order_by(ActionItem.id)).all()],
    }
