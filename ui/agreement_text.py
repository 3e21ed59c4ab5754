"""The agreement page's text part (issue 16): its documents with their original files, the
text with each quoted clause highlighted and numbered like its area, and the coverage."""
from __future__ import annotations

from typing import Optional

import streamlit as st

from models import User
from services.agreements.intake import Coverage
from services.agreements.registry import AgreementDetail, uncovered_clauses
from services.documents.store import DocumentInfo, get_original
from services.i18n.translate import LANGUAGE_NAMES
from ui.db import session_scope
from ui.i18n import fmt_date, t
from ui.widgets import md_escape, pct


def _original(document_id: int, user_id: Optional[int]):
    """Built when clicked (on its own thread), for the signed-in user only."""
    def build() -> bytes:
        with session_scope() as session:
            actor = session.get(User, user_id) if user_id is not None else None
            return get_original(session=session, actor=actor, document_id=document_id)[2]
    return build


def show_documents(docs: list[DocumentInfo], user_id: Optional[int]) -> None:
    st.subheader(t("Source documents"))
    if not docs:
        st.info(t("Text not yet attached. The secretariat attaches it under Set-up → Texts and clauses; "
                  "commitment areas can be created without a quote until then."))
        return
    titles = {d.id: d.title for d in docs}
    for d in docs:
        c = st.columns([4, 1])
        parts = [LANGUAGE_NAMES.get(d.language, d.language),
                 fmt_date(d.issued_on, "medium") if d.issued_on else t("date not recorded")]
        if d.translation_of_id in titles:
            parts.append(t("translation of {title}", title=md_escape(titles[d.translation_of_id])))
        if d.is_primary:
            parts.append(t("the text the areas quote"))
        c[0].markdown(f"**{md_escape(d.title)}**  \n{md_escape(' · '.join(parts))}")
        name = d.file_name or f"document-{d.id}.txt"
        c[1].download_button(t("Download"), data=_original(d.id, user_id), file_name=name, key=f"doc_dl_{d.id}",
                             on_click="ignore")


def show_coverage(detail: AgreementDetail, coverage: Coverage) -> None:
    st.subheader(t("Clauses with no action item yet"))
    st.metric(t("Quoted clauses with a live action item"), pct(coverage.percent),
              help=t("{covered} of {total} quoted clauses", covered=coverage.covered_areas, total=coverage.quoted_areas))
    uncovered = uncovered_clauses(detail)
    for title, quote in uncovered:
        st.markdown(f"**{md_escape(title)}**  \n> {md_escape(quote)}")
    if not uncovered:
        st.caption(t("Every commitment area of this agreement has at least one action item."))
    if coverage.open_clauses:
        with st.expander(t("Proposed clauses of the text not yet commitment areas: {n}", n=len(coverage.open_clauses))):
            for c in coverage.open_clauses:
                st.markdown(f"- {md_escape(c.label + ' · ' if c.label else '')}{md_escape(c.text)}")


def highlighted_text(detail: AgreementDetail) -> str:
    """The source text as markdown: each quoted clause highlighted and followed by its area's
    number (the areas above carry the same numbers)."""
    numbers = {b.id: n for n, b in enumerate(detail.areas, start=1)}
    out = []
    for piece, area_id in detail.highlighted_source():
        out.append(f":orange-background[{md_escape(piece)}] **[{numbers[area_id]}]**" if area_id else md_escape(piece))
    return "".join(out).replace("\n", "  \n")
