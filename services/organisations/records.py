"""Organisations: create and edit, merge two records of the same body, delete one nobody uses.

Every write takes the acting user (secretariat or administrator), is audited, and commits
once: a refusal leaves nothing half-written."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy import func
from sqlmodel import Session, select

from models import ActionItem, Agreement, AgreementCounterpart, ItemSupport, Organisation, OrgKind, User
from models.text import clean_text
from services.audit.trail import record_event
from services.errors import NotFound, ValidationFailed
from services.forms import validation_failed
from services.i18n.translate import N_
from services.permissions import require_structure

KINDS = [k.value for k in OrgKind]
# The fields as a refusal names them ("Name en: Field required."), marked for the catalogs.
FIELD_NAMES = (N_("Acronym"), N_("Name en"), N_("Name ms"), N_("Name zh"), N_("Country"), N_("Parent id"))


class OrganisationInput(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    acronym: str = Field(min_length=2, max_length=40, pattern=r"^[^\s].*$")
    name_en: str = Field(min_length=2, max_length=300)
    name_ms: Optional[str] = Field(default=None, max_length=300)
    name_zh: Optional[str] = Field(default=None, max_length=300)
    country: str = Field(min_length=2, max_length=80)
    kind: OrgKind = OrgKind.OTHER
    parent_id: Optional[int] = None

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_none(cls, v):  # noqa: ANN001, ANN206
        return None if isinstance(v, str) and not v.strip() else v


def _get(session: Session, organisation_id: Optional[int]) -> Organisation:
    row = session.get(Organisation, organisation_id) if organisation_id is not None else None
    if row is None:
        raise NotFound(N_("No organisation with id {id}."), id=organisation_id)
    return row


def _check_parent(session: Session, parent_id: Optional[int], organisation_id: Optional[int]) -> None:
    """The parent must exist and must not be the organisation itself or one of its children."""
    seen = set()
    current = parent_id
    while current is not None and current not in seen:
        if current == organisation_id:
            raise ValidationFailed(N_("An organisation cannot be its own parent, directly or through another."))
        seen.add(current)
        current = _get(session, current).parent_id


def save_organisation(*, session: Session, actor: User, data: dict,
                      organisation_id: Optional[int] = None) -> Organisation:
    """Create (no id) or edit an organisation. `data`: acronym, name_en, name_ms, name_zh,
    country, kind (ministry, agency, university, company, international, other), parent_id.
    Raises PermissionDenied, NotFound, ValidationFailed (bad field, acronym already used,
    parent loop)."""
    require_structure(actor, N_("create or edit organisations"))
    try:
        inp = OrganisationInput(**{k: clean_text(v) if isinstance(v, str) else v for k, v in data.items()})
    except ValidationError as exc:
        raise validation_failed(exc) from None
    row = _get(session, organisation_id) if organisation_id is not None else Organisation(
        acronym=inp.acronym, name_en=inp.name_en, country=inp.country)
    clash = session.exec(select(Organisation).where(
        func.lower(Organisation.acronym) == inp.acronym.lower())).first()
    if clash is not None and clash.id != organisation_id:
        raise ValidationFailed(N_("The acronym {acronym} is already used by {name}."),
                               acronym=inp.acronym, name=clash.name_en)
    _check_parent(session, inp.parent_id, organisation_id)
    values = {**inp.model_dump(), "kind": inp.kind.value}
    before = {k: getattr(row, k) for k in values if organisation_id and getattr(row, k) != values[k]}
    if organisation_id and not before:
        raise ValidationFailed(N_("Nothing changed."))
    for k, v in values.items():
        setattr(row, k, v)
    session.add(row)
    session.flush()
    record_event(session=session, actor=actor, action="edit_organisation" if organisation_id else "create_organisation",
                 object_type="organisation", object_id=row.id, before=before or None,
                 after={k: values[k] for k in before} if organisation_id else values)
    session.commit()
    return row


@dataclass(frozen=True)
class Usage:
    """How many rows point at an organisation."""

    agreements_led: int
    counterpart_of: int
    items_led: int
    items_supported: int
    users: int
    children: int

    @property
    def total(self) -> int:
        return (self.agreements_led + self.counterpart_of + self.items_led + self.items_supported
                + self.users + self.children)


def organisation_usage(*, session: Session, organisation_id: int) -> Usage:
    def count(column) -> int:  # noqa: ANN001
        return session.exec(select(func.count()).where(column == organisation_id)).one()

    return Usage(
        agreements_led=count(Agreement.lead_org_id), counterpart_of=count(AgreementCounterpart.organisation_id),
        items_led=count(ActionItem.lead_org_id), items_supported=count(ItemSupport.organisation_id),
        users=count(User.organisation_id), children=count(Organisation.parent_id),
    )


def delete_organisation(*, session: Session, actor: User, organisation_id: int) -> None:
    """Delete an organisation no agreement, item, user or other organisation refers to.
    Raises ValidationFailed naming what still uses it (merge it instead)."""
    require_structure(actor, N_("delete organisations"))
    row = _get(session, organisation_id)
    usage = organisation_usage(session=session, organisation_id=organisation_id)
    if usage.total:
        raise ValidationFailed(
            N_("{acronym} is in use ({agreements} agreements, {items} action items, {users} users, "
               "{children} sub-organisations) and cannot be deleted; merge it into another record instead."),
            acronym=row.acronym, agreements=usage.agreements_led + usage.counterpart_of,
            items=usage.items_led + usage.items_supported, users=usage.users, children=usage.children)
    record_event(session=session, actor=actor, action="delete_organisation", object_type="organisation",
                 object_id=row.id, before=row.model_dump())
    session.delete(row)
    session.commit()


def _move_links(session: Session, model, owner: str, old: int, new: int) -> int:  # noqa: ANN001
    """Re-point link rows from `old` to `new`; a row that would duplicate one `new` has goes."""
    moved = 0
    for link in session.exec(select(model).where(model.organisation_id == old)).all():
        owner_id = getattr(link, owner)
        duplicate = session.get(model, (owner_id, new))
        session.delete(link)
        if duplicate is None:
            session.add(model(**{owner: owner_id, "organisation_id": new}))
        moved += 1
    return moved


def merge_organisations(*, session: Session, actor: User, keep_id: int, merge_id: int) -> Usage:
    """Two records of the same body become one: every agreement, counterpart link, item,
    supporting link, user and sub-organisation of `merge_id` moves to `keep_id`, then the
    `merge_id` record is removed. Returns what moved. One audited transaction."""
    require_structure(actor, N_("merge organisations"))
    keep, gone = _get(session, keep_id), _get(session, merge_id)
    if keep.id == gone.id:
        raise ValidationFailed(N_("Choose two different organisations to merge."))
    usage = organisation_usage(session=session, organisation_id=gone.id)
    for model, column in ((Agreement, "lead_org_id"), (ActionItem, "lead_org_id"), (User, "organisation_id"),
                          (Organisation, "parent_id")):
        for row in session.exec(select(model).where(getattr(model, column) == gone.id)).all():
            # `keep` itself may be a child of `gone`: it takes gone's parent instead.
            new = keep.id if not (model is Organisation and row.id == keep.id) else gone.parent_id
            setattr(row, column, None if new == row.id and model is Organisation else new)
            session.add(row)
    session.flush()
    _move_links(session, AgreementCounterpart, "agreement_id", gone.id, keep.id)
    _move_links(session, ItemSupport, "item_id", gone.id, keep.id)
    session.flush()
    record_event(session=session, actor=actor, action="merge_organisation", object_type="organisation",
                 object_id=keep.id, before=gone.model_dump(), after={"kept": keep.acronym, **usage.__dict__})
    session.delete(gone)
    session.commit()
    return usage


def list_organisations(*, session: Session) -> list[Organisation]:
    return list(session.exec(select(Organisation).order_by(Organisation.acronym)).all())
