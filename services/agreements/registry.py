"""Agreements: the list with roll-ups, one agreement's detail, and its source clauses."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Optional

from sqlmodel import Session, select

from models import (
    ActionItem, Agreement, AgreementCounterpart, AgreementPackage, CommitmentArea, Organisation,
    SourceDocument,
)
from services import rules
from services.documents.splitter import EXPLORE
from services.errors import NotFound
from services.i18n.translate import N_, format_date, gettext
from services.i18n.content import display
from services.items.states import AgreementRollup, item_states, rollup, rollup_by_agreement
from services.store.kept import memo, structure_version


@dataclass
class AgreementRow:
    id: int
    code: str
    kind: str
    title: str
    lead: str
    counterparts: str
    signed: str
    status: str
    areas: int
    items: int
    progress: Optional[float]
    completion: str


def _org_names(session: Session) -> dict[int, Organisation]:
    return {o.id: o for o in session.exec(select(Organisation)).all()}


def _counterparts(session: Session) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    for link in session.exec(select(AgreementCounterpart)).all():
        out[link.agreement_id].append(link.organisation_id)
    return out


def signed_text(a: Agreement, lang: str = "en") -> str:
    if a.signed_on:
        return format_date(a.signed_on, lang)
    return display(a, "signed_date_note", lang) or gettext(lang, "Not stated")


@lru_cache(maxsize=1)
def clause_renderings() -> dict[str, str]:
    """Malay clause -> its English rendering, from data/facts.json (shown beside, never instead)."""
    from services.seeding.facts import load_facts

    return {
        area["quote"]: area["quote_en"]
        for agreement in load_facts()["agreements"] for area in agreement["areas"] if area.get("quote_en")
    }


def list_agreements(
    *, session: Session, today: date, include_archived: bool = False, lang: str = "en",
    rollups: Optional[dict[int, AgreementRollup]] = None,
) -> list[AgreementRow]:
    """Every agreement (live ones unless `include_archived`) by code, with its live items'
    count and weighted progress (`rollups`, agreement id -> figures, when the caller has them;
    else summed in SQL, states.rollup_by_agreement). What only changes with agreements, areas
    and organisations is kept until the structure counter moves (services/store/kept.py).
    The rows are shared between answers: do not change them."""
    key = ("agreement_rows", structure_version(session=session), include_archived, lang)
    rows = memo(session, key, lambda: _fixed_rows(session, include_archived=include_archived, lang=lang))
    rollups = rollup_by_agreement(session) if rollups is None else rollups
    # The previous answer's row is reused where the roll-up did not move: a save changes one
    # agreement's, and the answers kept for several data versions share the other rows.
    last = memo(session, ("agreement_rows_last", *key[1:]), dict)
    none = AgreementRollup(0, None)
    out = []
    for r in rows:
        n = rollups.get(r.id, none)
        was = last.get(r.id)
        if was is None or was.items != n.items or was.progress != n.progress:
            # Built directly: dataclasses.replace looks the fields up again for every row.
            was = last[r.id] = AgreementRow(
                id=r.id, code=r.code, kind=r.kind, title=r.title, lead=r.lead, counterparts=r.counterparts,
                signed=r.signed, status=r.status, areas=r.areas, items=n.items, progress=n.progress,
                completion=rules.completion_level(n.progress))
        out.append(was)
    return out


def _fixed_rows(session: Session, *, include_archived: bool, lang: str) -> tuple[AgreementRow, ...]:
    """list_agreements' rows with no item figures yet (0 items, no progress)."""
    stmt = select(Agreement).order_by(Agreement.code)
    if not include_archived:
        stmt = stmt.where(~Agreement.archived)
    agreements = session.exec(stmt).all()
    orgs, cps = _org_names(session), _counterparts(session)
    areas_per: dict[int, int] = defaultdict(int)
    for area in session.exec(select(CommitmentArea.agreement_id).where(~CommitmentArea.archived)).all():
        areas_per[area] += 1
    return tuple(
        AgreementRow(
            id=a.id, code=a.code, kind=a.kind, title=display(a, "title", lang), lead=orgs[a.lead_org_id].acronym,
            counterparts=", ".join(orgs[i].acronym for i in cps[a.id]), signed=signed_text(a, lang),
            status=a.status, areas=areas_per[a.id], items=0, progress=None, completion=rules.completion_level(None),
        )
        for a in agreements
    )


@dataclass
class AreaItemLine:
    id: int
    title: str
    status: str
    progress: int
    due: Optional[date]
    rag: Optional[str]
    lead: str
    owner: str


@dataclass
class AreaBlock:
    id: int
    title: str
    category: str
    quote: Optional[str]
    quote_en: Optional[str]
    span: Optional[tuple[int, int]]
    progress: Optional[float]
    items: list[AreaItemLine] = field(default_factory=list)
    document_id: Optional[int] = None  # the document the quote is taken from
    explore: bool = False  # the clause only promises to explore: it needs a verifiable first action


@dataclass
class AgreementDetail:
    agreement: Agreement
    lead: Organisation
    counterparts: list[Organisation]
    package: Optional[AgreementPackage]
    source: Optional[SourceDocument]
    areas: list[AreaBlock]
    progress: Optional[float]
    completion: str

    @property
    def blank_fact(self) -> str:
        """What a blank fact says (a catalog key): the seed's statement really leaves it out;
        anything else was simply not recorded."""
        if self.source is not None and self.source.original_kind == "seed":
            return N_("Not stated in the source")
        return N_("Not recorded")

    def highlighted_source(self) -> list[tuple[str, Optional[int]]]:
        if not self.source:
            return []
        spans = [(b.span[0], b.span[1], b.id) for b in self.areas if b.span and b.document_id == self.source.id]
        return source_segments(self.source.text, spans)


def get_agreement_detail(*, session: Session, agreement_id: int, today: date, lang: str = "en") -> AgreementDetail:
    a = session.get(Agreement, agreement_id)
    if a is None:
        raise NotFound(N_("No agreement with id {id}."), id=agreement_id)
    orgs = _org_names(session)
    source = session.get(SourceDocument, a.source_document_id) if a.source_document_id else None
    areas = session.exec(
        select(CommitmentArea).where(CommitmentArea.agreement_id == a.id, ~CommitmentArea.archived)
        .order_by(CommitmentArea.position, CommitmentArea.id)
    ).all()
    states = {s.id: s for s in item_states(session, agreement_ids=[a.id])}
    doc_ids = {area.source_document_id for area in areas if area.source_document_id}
    texts = {d.id: d.text for d in session.exec(select(SourceDocument).where(SourceDocument.id.in_(doc_ids))).all()} \
        if doc_ids else {}
    items = session.exec(
        select(ActionItem).where(ActionItem.id.in_(list(states))).order_by(ActionItem.due_date, ActionItem.id)
    ).all() if states else []
    blocks = []
    for area in areas:
        lines = [
            AreaItemLine(
                id=i.id, title=display(i, "title", lang), status=i.status, progress=i.progress, due=i.due_date,
                rag=states[i.id].rag(today), lead=orgs[i.lead_org_id].acronym if i.lead_org_id else "",
                owner=i.owner_name or "",
            )
            for i in items if i.area_id == area.id
        ]
        doc = texts.get(area.source_document_id)
        span = (area.quote_start, area.quote_end) if doc is not None and area.quote_start is not None else None
        quote = doc[span[0]:span[1]] if span else None
        blocks.append(AreaBlock(
            id=area.id, title=display(area, "title", lang), category=area.category,
            quote=quote, quote_en=(clause_renderings().get(quote) or area.title_en) if quote else None, span=span,
            progress=rollup(states[line.id] for line in lines), items=lines, document_id=area.source_document_id,
            explore=bool(quote and EXPLORE.search(quote)),
        ))
    progress = rollup(states.values())
    return AgreementDetail(
        agreement=a, lead=orgs[a.lead_org_id],
        counterparts=[orgs[c] for c in _counterparts(session)[a.id]],
        package=session.get(AgreementPackage, a.package_id) if a.package_id else None,
        source=source, areas=blocks, progress=progress,
        completion=rules.completion_level(progress),
    )


def source_segments(text: str, spans: list[tuple[int, int, int]]) -> list[tuple[str, Optional[int]]]:
    """Split `text` into (piece, area_id or None) so quoted spans can be highlighted.
    Overlapping spans: the earlier-starting one wins."""
    out: list[tuple[str, Optional[int]]] = []
    pos = 0
    for start, end, area_id in sorted(spans):
        if start < pos:
            continue
        if start > pos:
            out.append((text[pos:start], None))
        out.append((text[start:end], area_id))
        pos = end
    if pos < len(text):
        out.append((text[pos:], None))
    return out


def uncovered_clauses(detail: AgreementDetail) -> list[tuple[str, str]]:
    """(area title, verbatim clause) of each area that has no live action item yet."""
    return [(b.title, b.quote) for b in detail.areas if not b.items and b.quote]
