"""From a document's text to commitment areas: propose its clauses, turn the ticked ones into
areas with their exact quotes, and say how much of the text live items cover."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from sqlmodel import Session, select

from models import ActionItem, Agreement, Category, CommitmentArea, SourceDocument, User
from services.agreements.inputs import AreaInput, validate
from services.audit.trail import record_event
from services.documents.splitter import Clause, split_clauses
from services.errors import Joined, Message, NotFound, ValidationFailed
from services.i18n.translate import N_
from services.permissions import require_structure


@dataclass(frozen=True)
class Proposal:
    clause: Clause
    area_id: Optional[int]  # the live area already quoting (overlapping) this clause


def _document(session: Session, document_id: int) -> SourceDocument:
    doc = session.get(SourceDocument, document_id)
    if doc is None:
        raise NotFound(N_("No source document with id {id}."), id=document_id)
    return doc


def _areas_quoting(session: Session, document_id: int) -> list[CommitmentArea]:
    return list(session.exec(select(CommitmentArea).where(
        CommitmentArea.source_document_id == document_id, ~CommitmentArea.archived,
        CommitmentArea.quote_start.is_not(None))).all())


def propose_clauses(*, session: Session, document_id: int) -> list[Proposal]:
    """The splitter's clauses of the document (in its language), each with the live area that
    already quotes it, if any."""
    doc = _document(session, document_id)
    areas = _areas_quoting(session, document_id)
    out = []
    for clause in split_clauses(doc.text, doc.language):
        hit = next((a.id for a in areas if a.quote_start < clause.end and clause.start < a.quote_end), None)
        out.append(Proposal(clause=clause, area_id=hit))
    return out


def _span(text: str, pick: dict, n: int) -> tuple[int, int]:
    """The quote's offsets: the edited quote must be found verbatim in the text (nearest to
    where the clause was); offsets alone must be inside the text."""
    quote = (pick.get("quote") or "").strip()
    start = int(pick.get("start") or 0)
    if quote:
        found = [i for i in _find_all(text, quote)]
        if not found:
            raise ValidationFailed(N_("Clause {n}: the quote is not in the document's text; copy it exactly "
                                      "from the text (it may be shorter or longer than proposed)."), n=n)
        best = min(found, key=lambda i: abs(i - start))
        return best, best + len(quote)
    end = int(pick.get("end") or 0)
    if not 0 <= start < end <= len(text):
        raise ValidationFailed(N_("Clause {n}: its boundaries are outside the document's text."), n=n)
    return start, end


def _find_all(text: str, quote: str) -> list[int]:
    out, pos = [], text.find(quote)
    while pos >= 0:
        out.append(pos)
        pos = text.find(quote, pos + 1)
    return out


def create_areas_from_clauses(*, session: Session, actor: User, agreement_id: int, document_id: int,
                              picks: list[dict]) -> list[CommitmentArea]:
    """One commitment area per ticked clause. Each pick: start, end (offsets into the
    document's text), optional quote (the edited clause text, found verbatim), title_en,
    title_ms, title_zh, category. Every pick is checked first; one bad pick saves none
    (ValidationFailed lists each problem). The document must belong to the agreement or be
    the one it quotes."""
    require_structure(actor, N_("create commitment areas"))
    agreement = session.get(Agreement, agreement_id)
    if agreement is None:
        raise NotFound(N_("No agreement with id {id}."), id=agreement_id)
    doc = _document(session, document_id)
    if doc.agreement_id != agreement.id and doc.id != agreement.source_document_id:
        raise ValidationFailed(N_("This document belongs to another agreement."))
    if not picks:
        raise ValidationFailed(N_("Tick at least one clause."))
    position = len(session.exec(select(CommitmentArea.id).where(CommitmentArea.agreement_id == agreement.id)).all())
    rows, problems = [], []
    for n, pick in enumerate(picks, start=1):
        try:
            start, end = _span(doc.text, pick, n)
        except ValidationFailed as exc:
            problems.extend(exc.problems)
            continue
        try:
            inp = validate(AreaInput, {"agreement_id": agreement.id, "position": min(position + n, 1000),
                                       "category": pick.get("category") or Category.OTHER.value,
                                       **{k: pick.get(k) for k in ("title_en", "title_ms", "title_zh")}})
        except ValidationFailed as exc:
            problems.extend(Joined([Message(N_("Clause {n}:"), n=n), p]) for p in exc.problems)
            continue
        rows.append(CommitmentArea(**inp.model_dump(exclude={"quote"}) | {"category": inp.category.value},
                                   source_document_id=doc.id, quote_start=start, quote_end=end))
    if problems:
        raise ValidationFailed(N_("No commitment area was saved:"), problems=problems)
    for row in rows:
        session.add(row)
        session.flush()
        record_event(session=session, actor=actor, action="create_area", object_type="area", object_id=row.id,
                     after={"title_en": row.title_en, "category": row.category, "document": doc.id,
                            "quote_start": row.quote_start, "quote_end": row.quote_end})
    session.commit()
    return rows


@dataclass(frozen=True)
class Coverage:
    quoted_areas: int  # live areas quoting a clause
    covered_areas: int  # ... of which have at least one live action item
    open_clauses: list[Clause]  # proposed clauses of the agreement's own text no live area quotes

    @property
    def percent(self) -> Optional[float]:
        return 100.0 * self.covered_areas / self.quoted_areas if self.quoted_areas else None


def agreement_coverage(*, session: Session, agreement_id: int) -> Coverage:
    """How many of the agreement's quoted clauses have a live action item; and, when the text
    belongs to this agreement, which proposed clauses no area quotes yet."""
    agreement = session.get(Agreement, agreement_id)
    if agreement is None:
        raise NotFound(N_("No agreement with id {id}."), id=agreement_id)
    areas = session.exec(select(CommitmentArea).where(
        CommitmentArea.agreement_id == agreement_id, ~CommitmentArea.archived,
        CommitmentArea.quote_start.is_not(None))).all()
    with_items = set(session.exec(select(ActionItem.area_id).where(
        ActionItem.area_id.in_([a.id for a in areas]), ~ActionItem.archived)).all()) if areas else set()
    open_clauses: list[Clause] = []
    doc = session.get(SourceDocument, agreement.source_document_id) if agreement.source_document_id else None
    if doc is not None and doc.agreement_id == agreement.id:
        open_clauses = [p.clause for p in propose_clauses(session=session, document_id=doc.id) if p.area_id is None]
    return Coverage(quoted_areas=len(areas), covered_areas=len([a for a in areas if a.id in with_items]),
                    open_clauses=open_clauses)
