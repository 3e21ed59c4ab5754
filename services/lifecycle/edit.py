"""Writes of the agreement's clock and of a package's agreements (secretariat). Each checks
permission inside, validates everything before writing, and records an audit event."""
from __future__ import annotations

from datetime import date
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlmodel import Session, func, select

from models import Agreement, AgreementCounterpart, AgreementKind, AgreementPackage, AgreementStatus, Organisation, User
from services.audit.trail import record_event
from services.errors import NotFound, Plural, ValidationFailed
from services.forms import validation_failed
from services.i18n.translate import N_
from services.lifecycle.clock import MAX_NOTICE_DAYS, MAX_TERM_MONTHS, Clock, check_clock
from services.permissions import require_structure

EDITABLE_STATUSES = (AgreementStatus.DRAFT, AgreementStatus.SIGNED, AgreementStatus.IN_FORCE)
# The clock form's field names as a refusal names them (services/forms.py), for the catalog.
FIELD_NAMES = (N_("Term years"), N_("Term months"), N_("Notice days"), N_("Renewal months"), N_("Auto renews"),
               N_("In force from"))
CLOCK_FIELDS = ("status", "signed_on", "in_force_from", "term_months", "expires_on", "auto_renews",
                "renewal_months", "notice_days")


class _Form(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_none(cls, v):  # noqa: ANN001, ANN206
        return None if isinstance(v, str) and not v.strip() else v


class ClockInput(_Form):
    status: AgreementStatus = AgreementStatus.IN_FORCE
    signed_on: Optional[date] = None
    in_force_from: Optional[date] = None
    term_years: Optional[int] = Field(default=None, ge=1, le=MAX_TERM_MONTHS // 12)
    term_months: Optional[int] = Field(default=None, ge=1, le=MAX_TERM_MONTHS)
    expires_on: Optional[date] = None
    auto_renews: Optional[bool] = None
    renewal_months: Optional[int] = Field(default=None, ge=1, le=MAX_TERM_MONTHS)
    notice_days: Optional[int] = Field(default=None, ge=0, le=MAX_NOTICE_DAYS)


class StatedAgreementInput(_Form):
    title_en: str = Field(min_length=3, max_length=500)
    kind: AgreementKind = AgreementKind.MOU
    lead_org_id: int
    counterpart_ids: list[int] = Field(default_factory=list)
    signed_on: Optional[date] = None


def _validate(model: type[BaseModel], data: dict) -> BaseModel:
    try:
        return model(**data)
    except ValidationError as exc:
        raise validation_failed(exc) from None


def clock_values(data: dict) -> dict:
    """The clock's columns from a form: a term in years and months adds up; only the statuses
    a person sets by hand are accepted (the others follow from dates, renewal or closing)."""
    inp = _validate(ClockInput, data)
    if inp.status not in EDITABLE_STATUSES:
        raise ValidationFailed(N_("Status: set draft, signed or in force; expiry follows from the dates, "
                                  "renewal and closing have their own buttons."))
    months = (inp.term_years or 0) * 12 + (inp.term_months or 0) or None
    values = {"status": inp.status.value, "signed_on": inp.signed_on, "in_force_from": inp.in_force_from,
              "term_months": months, "expires_on": inp.expires_on, "auto_renews": inp.auto_renews,
              "renewal_months": inp.renewal_months, "notice_days": inp.notice_days}
    check_clock(Clock(**values))
    return values


def set_clock(*, session: Session, actor: User, agreement_id: int, data: dict) -> Agreement:
    """Save an agreement's dates, term, renewal and notice. Raises PermissionDenied, NotFound,
    ValidationFailed / RuleError (naming the field); nothing is written on a refusal."""
    require_structure(actor, N_("change an agreement's dates and term"))
    agreement = session.get(Agreement, agreement_id)
    if agreement is None:
        raise NotFound(N_("No agreement with id {id}."), id=agreement_id)
    if agreement.status in ("terminated", "superseded"):
        raise ValidationFailed(N_("This agreement is closed ({status}): its dates can no longer change."),
                               status=agreement.status)
    values = clock_values(data)
    before = {k: getattr(agreement, k) for k in CLOCK_FIELDS if getattr(agreement, k) != values[k]}
    if not before:
        raise ValidationFailed(N_("Nothing changed."))
    for k, v in values.items():
        setattr(agreement, k, v)
    session.add(agreement)
    record_event(session=session, actor=actor, action="edit_agreement_clock", object_type="agreement",
                 object_id=agreement.id, before=before, after={k: values[k] for k in before})
    session.commit()
    return agreement


def _next_code(session: Session, package_id: int) -> str:
    taken = session.exec(select(func.count()).select_from(Agreement).where(Agreement.package_id == package_id)).one()
    n = taken + 1
    while session.exec(select(Agreement.id).where(Agreement.code == f"PKG{package_id}-{n:02d}")).first():
        n += 1
    return f"PKG{package_id}-{n:02d}"


def add_stated_agreement(*, session: Session, actor: User, package_id: int, data: dict) -> Agreement:
    """Record one more agreement the package's statement counts (title, kind, lead ministry,
    counterparts, signed on). It has no commitment areas yet: shown as 'not yet broken down'.
    Its reference is PKG<package>-<n>, editable in Set-up. Refused when the package already
    records as many agreements as it states."""
    require_structure(actor, N_("add agreements to a package"))
    package = session.get(AgreementPackage, package_id)
    if package is None:
        raise NotFound(N_("No package with id {id}."), id=package_id)
    inp = _validate(StatedAgreementInput, data)
    for org_id in [inp.lead_org_id, *inp.counterpart_ids]:
        if session.get(Organisation, org_id) is None:
            raise ValidationFailed(N_("Choose an existing organisation (id {id} not found)."), id=org_id)
    recorded = session.exec(select(func.count()).select_from(Agreement)
                            .where(Agreement.package_id == package_id, ~Agreement.archived)).one()
    if package.stated_total is not None and recorded >= package.stated_total:
        raise ValidationFailed(Plural(N_("The package already records the {n} agreement its statement gives."),
                                      N_("The package already records all {n} agreements its statement gives."),
                                      n=package.stated_total))
    agreement = Agreement(code=_next_code(session, package_id), kind=inp.kind.value, title_en=inp.title_en,
                          lead_org_id=inp.lead_org_id, signed_on=inp.signed_on, package_id=package_id,
                          status=(AgreementStatus.IN_FORCE if inp.signed_on else AgreementStatus.DRAFT).value)
    session.add(agreement)
    session.flush()
    for org_id in dict.fromkeys(inp.counterpart_ids):
        session.add(AgreementCounterpart(agreement_id=agreement.id, organisation_id=org_id))
    record_event(session=session, actor=actor, action="create_agreement", object_type="agreement",
                 object_id=agreement.id, after={"code": agreement.code, "title_en": inp.title_en,
                                                "package_id": package_id, "counterpart_ids": inp.counterpart_ids})
    session.commit()
    return agreement
