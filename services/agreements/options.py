"""Choices for filters and forms: ids with short labels, read in a few small queries."""
from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from models import Agreement, AgreementCounterpart, CommitmentArea, ItemSupport, Organisation, SourceDocument
from services.i18n.content import display
from services.agreements.setup import ARCHIVABLE
from services.store.kept import memo, structure_version


@dataclass(frozen=True)
class Options:
    agreements: dict[int, str]  # id -> code
    areas: dict[int, str]  # id -> "CODE · title"
    area_agreement: dict[int, int]
    orgs: dict[int, str]  # id -> acronym
    org_names: dict[int, str]  # id -> "ACR — name"


def load_options(*, session: Session, include_archived: bool = False, lang: str = "en") -> Options:
    """Titles and names in `lang` (marked when they fall back to another language). Kept until
    the structure counter moves (services/store/kept.py: agreements, areas and organisations
    are all it reads); shared between callers, who must not change it."""
    return memo(session, ("options", structure_version(session=session), include_archived, lang),
                lambda: _read_options(session, include_archived, lang))


def _read_options(session: Session, include_archived: bool, lang: str) -> Options:
    agreements = session.exec(select(Agreement.id, Agreement.code, Agreement.archived).order_by(Agreement.code)).all()
    live = {a[0]: a[1] for a in agreements if include_archived or not a[2]}
    areas = session.exec(select(CommitmentArea).order_by(CommitmentArea.agreement_id, CommitmentArea.position)).all()
    areas = [a for a in areas if a.agreement_id in live and (include_archived or not a.archived)]
    orgs = session.exec(select(Organisation).order_by(Organisation.acronym)).all()
    return Options(
        agreements=live,
        areas={a.id: f"{live[a.agreement_id]} · {display(a, 'title', lang)}" for a in areas},
        area_agreement={a.id: a.agreement_id for a in areas},
        orgs={o.id: o.acronym for o in orgs},
        org_names={o.id: f"{o.acronym} — {display(o, 'name', lang)}" for o in orgs},
    )


def source_documents(*, session: Session) -> dict[int, str]:
    return {d.id: d.title for d in session.exec(select(SourceDocument).order_by(SourceDocument.id)).all()}


def source_text(*, session: Session, document_id: int) -> str:
    doc = session.get(SourceDocument, document_id)
    return doc.text if doc else ""


def form_values(*, session: Session, kind: str, object_id: int) -> dict:
    """An agreement's, area's or item's current values in the shape its form edits."""
    row = session.get(ARCHIVABLE[kind], object_id)
    if row is None:
        return {}
    values = row.model_dump()
    if kind == "agreement":
        values["counterpart_ids"] = list(session.exec(select(AgreementCounterpart.organisation_id).where(
            AgreementCounterpart.agreement_id == object_id)).all())
    elif kind == "area" and row.quote_start is not None and row.source_document_id:
        values["quote"] = source_text(session=session, document_id=row.source_document_id)[row.quote_start:row.quote_end]
    elif kind == "item":
        values["supporting_org_ids"] = list(session.exec(select(ItemSupport.organisation_id).where(
            ItemSupport.item_id == object_id)).all())
    return values
