"""The package of a visit (AgreementPackage): its agreements with lead ministry, counterpart,
stage, coverage and clock; the funnel of stages; how many of the stated agreements are
recorded. Read in a handful of queries whatever the package's size."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Optional

from sqlmodel import Session, select

from models import Agreement, AgreementCounterpart, AgreementPackage, Organisation
from services.errors import NotFound
from services.i18n.content import display
from services.i18n.translate import N_
from services.lifecycle.clock import STAGES, Clock
from services.lifecycle.facts import AgreementFacts, agreement_facts


# Plain columns, not ORM objects: 500 rows load in a fraction of the time.
AGREEMENT_COLUMNS = [getattr(Agreement, name) for name in (
    "id", "code", "title_en", "title_ms", "title_zh", "lead_org_id", *Clock.__dataclass_fields__)]


@dataclass(frozen=True)
class PackageRow:
    id: int
    code: str
    title: str
    lead: str  # acronym
    lead_name: str
    counterparts: str
    signed_on: Optional[date]
    facts: AgreementFacts


@dataclass(frozen=True)
class PackageView:
    id: int
    name: str
    stated_total: Optional[int]
    rows: list[PackageRow]
    funnel: list[tuple[str, int]]  # (stage, agreements that reached it), signed -> closed

    @property
    def recorded(self) -> int:
        return len(self.rows)


def list_packages(*, session: Session, lang: str = "en") -> dict[int, str]:
    """package id -> name in `lang`, by name."""
    rows = session.exec(select(AgreementPackage).order_by(AgreementPackage.name)).all()
    return {p.id: display(p, "name", lang) for p in rows}


def funnel(facts: list[AgreementFacts]) -> list[tuple[str, int]]:
    """How many agreements reached each stage. Reaching a stage implies the ones before it;
    'closed' counts the closed ones, which count for 'signed' too. Unsigned ones are left out."""
    reached = [0] * len(STAGES)
    for f in facts:
        if f.stage == "draft":
            continue
        depth = STAGES.index(f.stage)
        for i in range(depth + 1 if f.stage != "closed" else 1):
            reached[i] += 1
        if f.stage == "closed":
            reached[-1] += 1
    return list(zip(STAGES, reached))


def package_view(*, session: Session, package_id: int, today: date, dormant_days: int,
                 lang: str = "en") -> PackageView:
    """The package's live agreements, by reference. NotFound for an unknown package."""
    package = session.get(AgreementPackage, package_id)
    if package is None:
        raise NotFound(N_("No package with id {id}."), id=package_id)
    agreements = session.exec(select(*AGREEMENT_COLUMNS).where(Agreement.package_id == package_id,
                                                               ~Agreement.archived).order_by(Agreement.code)).all()
    facts = agreement_facts(session=session, agreements=agreements, today=today, dormant_days=dormant_days)
    orgs = {o.id: o for o in session.exec(select(Organisation.id, Organisation.acronym, Organisation.name_en,
                                                 Organisation.name_ms, Organisation.name_zh)).all()}
    parties: dict[int, list[str]] = defaultdict(list)
    ids = [a.id for a in agreements]
    if ids:
        for link in session.exec(select(AgreementCounterpart).where(AgreementCounterpart.agreement_id.in_(ids))):
            parties[link.agreement_id].append(orgs[link.organisation_id].acronym)
    rows = [PackageRow(id=a.id, code=a.code, title=display(a, "title", lang), lead=orgs[a.lead_org_id].acronym,
                       lead_name=display(orgs[a.lead_org_id], "name", lang),
                       counterparts=", ".join(sorted(parties[a.id])), signed_on=a.signed_on, facts=facts[a.id])
            for a in agreements]
    return PackageView(id=package.id, name=display(package, "name", lang), stated_total=package.stated_total,
                       rows=rows, funnel=funnel(list(facts.values())))


def organisation_choices(*, session: Session, lang: str = "en") -> dict[int, str]:
    """id -> "ACR — name in `lang`", by acronym (the package page's form)."""
    rows = session.exec(select(Organisation).order_by(Organisation.acronym)).all()
    return {o.id: f"{o.acronym} — {display(o, 'name', lang)}" for o in rows}
