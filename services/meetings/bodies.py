"""Joint bodies (joint working groups and any body that meets): the one list of bodies, a body's
agreements, its members, and the secretariat's form for them. Every screen and document asks
these functions; a body is referred to by its id."""
from __future__ import annotations

from typing import Optional

from pydantic import Field, field_validator
from sqlmodel import Session, select

from models import Agreement, BodyAgreement, BodyMember, JointBody, User
from services.agreements.inputs import FormInput, validate
from services.audit.trail import record_event
from services.errors import Joined, Message, NotFound, ValidationFailed
from services.i18n.content import display
from services.i18n.translate import N_
from services.permissions import require_structure

SIDES = ("my", "counterpart")
SIDE_LABELS = {"my": N_("Malaysia"), "counterpart": N_("Counterpart")}


class MemberInput(FormInput):
    """One member: text through the text gate with BodyMember's limits."""

    table = BodyMember
    side: Optional[str] = Field(default=None, validate_default=True)  # None: refused in words
    name: str = Field(min_length=2)
    organisation: Optional[str] = None
    role: Optional[str] = None

    @field_validator("side")
    @classmethod
    def _side(cls, v: Optional[str]) -> str:
        if v not in SIDES:
            raise ValueError(N_("choose Malaysia or Counterpart"))
        return v


class BodyInput(FormInput):
    name_en: str = Field(min_length=3, max_length=300)
    name_ms: Optional[str] = Field(default=None, max_length=300)
    name_zh: Optional[str] = Field(default=None, max_length=300)
    cadence_months: Optional[int] = Field(default=None, ge=1, le=24)
    agreement_ids: list[int] = Field(default_factory=list)


def list_bodies(*, session: Session) -> list[JointBody]:
    """Every live body, by English name. Meeting mode adds "all agreements" (None) itself."""
    return list(session.exec(select(JointBody).where(~JointBody.archived).order_by(JointBody.name_en)).all())


def get_body(*, session: Session, body_id: int) -> JointBody:
    """The body, or NotFound."""
    body = session.get(JointBody, body_id)
    if body is None:
        raise NotFound(N_("No joint body with id {id}."), id=body_id)
    return body


def find_body(*, session: Session, name: str) -> Optional[JointBody]:
    """The body whose name in any language is `name` (case-insensitive), for the command line."""
    wanted = (name or "").strip().casefold()
    for body in session.exec(select(JointBody)).all():
        if wanted in {(n or "").strip().casefold() for n in (body.name_en, body.name_ms, body.name_zh)}:
            return body
    return None


def body_name(body: Optional[JointBody], lang: str) -> str:
    """The body's name in `lang` (marked when it falls back); '' for no body."""
    return display(body, "name", lang) if body is not None else ""


def body_agreements(*, session: Session, body_id: Optional[int]) -> list[Agreement]:
    """The live agreements a body oversees, by code; None: every live agreement. A body that
    oversees none gets [] (the screens say so: they do not silently show everything)."""
    stmt = select(Agreement).where(~Agreement.archived).order_by(Agreement.code)
    if body_id is not None:
        stmt = stmt.join(BodyAgreement, BodyAgreement.agreement_id == Agreement.id).where(
            BodyAgreement.body_id == body_id)
    return list(session.exec(stmt).all())


def body_members(*, session: Session, body_id: int) -> dict[str, list[BodyMember]]:
    """{'my': [...], 'counterpart': [...]}, each in the order entered."""
    rows = session.exec(select(BodyMember).where(BodyMember.body_id == body_id).order_by(BodyMember.id)).all()
    return {side: [m for m in rows if m.side == side] for side in SIDES}


def _blank(row: dict) -> bool:
    return not any(str(row.get(k) or "").strip() for k in ("name", "organisation", "role"))


def validate_body(data: dict) -> tuple[BodyInput, list[MemberInput]]:
    """The body's fields and its members, data["members"] being rows of {side, name,
    organisation, role} as the form's table shows them. A row with no name, organisation or
    role is an empty row and skipped. Raises ValidationFailed listing every problem, a member's
    problem naming its row ("Members, row 3: Name: ...", rows counted from 1 as shown)."""
    problems: list = []
    members: list[MemberInput] = []
    try:
        inp = validate(BodyInput, {k: v for k, v in data.items() if k != "members"})
    except ValidationFailed as exc:
        inp, problems = None, list(exc.problems)
    for n, row in enumerate(data.get("members") or [], start=1):
        if _blank(row):
            continue
        try:
            members.append(validate(MemberInput, row))
        except ValidationFailed as exc:
            problems += [Message(N_("Members, row {n}: {problem}"), n=n, problem=p) for p in exc.problems]
    if problems:
        raise ValidationFailed(N_("Please correct: {details}"), problems, details=Joined(problems))
    return inp, members


def save_body(*, session: Session, actor: User, data: dict, body_id: Optional[int] = None) -> JointBody:
    """Create or edit a body with its agreements and members (replaced as a whole; `data` as
    validate_body takes it). Raises PermissionDenied, ValidationFailed (a field, a member's row,
    a duplicate name, an unknown agreement), NotFound. Nothing is written on a refusal."""
    require_structure(actor, N_("edit joint bodies"))
    inp, members = validate_body(data)
    body = JointBody() if body_id is None else get_body(session=session, body_id=body_id)
    clash = session.exec(select(JointBody).where(JointBody.name_en == inp.name_en)).first()
    if clash is not None and clash.id != body_id:
        raise ValidationFailed(N_("A joint body named {name} already exists."), name=inp.name_en)
    known = set(session.exec(select(Agreement.id).where(Agreement.id.in_(inp.agreement_ids))).all())
    if set(inp.agreement_ids) - known:
        raise ValidationFailed(N_("Choose an existing agreement (id {id} not found)."),
                               id=min(set(inp.agreement_ids) - known))
    values = inp.model_dump(exclude={"agreement_ids"})
    for key, value in values.items():
        setattr(body, key, value)
    session.add(body)
    session.flush()
    for row in session.exec(select(BodyAgreement).where(BodyAgreement.body_id == body.id)).all():
        session.delete(row)
    for row in session.exec(select(BodyMember).where(BodyMember.body_id == body.id)).all():
        session.delete(row)
    session.flush()
    session.add_all([BodyAgreement(body_id=body.id, agreement_id=a) for a in sorted(set(inp.agreement_ids))])
    session.add_all([BodyMember(body_id=body.id, **m.model_dump()) for m in members])
    record_event(session=session, actor=actor, action="edit_body" if body_id else "create_body",
                 object_type="body", object_id=body.id,
                 after={**values, "agreement_ids": sorted(set(inp.agreement_ids)), "members": len(members)})
    session.commit()
    return body
