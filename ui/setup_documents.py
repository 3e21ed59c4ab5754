"""Set-up's 'Texts and clauses' tab (issue 16): attach an agreement's documents (paste, PDF,
Word, text), then tick the proposed clauses that are commitments to make them areas."""
from __future__ import annotations

import streamlit as st

from models import utcnow
from services import labels
from services.agreements.intake import create_areas_from_clauses, propose_clauses
from services.documents.store import LANGUAGES, add_document, list_documents
from services.i18n.translate import LANGUAGE_NAMES, N_
from ui.forms import choose, save
from ui.i18n import date_format, fmt_date, t, tn
from ui.setup_orgs import show_flash
from ui.widgets import md_escape, upload_limit_mb

CATEGORIES = list(labels.CATEGORY_LABELS)
FLASH = "texts_flash"
KIND_NAMES = {"paste": N_("Pasted text"), "txt": N_("Text file"), "pdf": "PDF", "docx": "Word", "seed": N_("Seeded text")}


def _document_form(session, user, agreement_id: int, docs: dict[int, str]) -> None:  # noqa: ANN001
    with st.form("doc_form", clear_on_submit=True, enter_to_submit=False):
        st.markdown(f"**{t('Attach a document')}**")
        c = st.columns([2, 1, 1, 2])
        title = c[0].text_input(t("Title"), key="doc_title", placeholder=t("e.g. the MoU, its annex, an amendment"))
        language = c[1].selectbox(t("Language"), list(LANGUAGES), format_func=LANGUAGE_NAMES.get, key="doc_lang")
        issued_on = c[2].date_input(t("Date"), None, key="doc_date", format=date_format())
        with c[3]:
            translation_of = choose(t("Translation of"), docs, key="doc_tr", optional=True)
        text = st.text_area(t("Paste the text"), key="doc_text", height=200)
        upload = st.file_uploader(t("... or attach the file (PDF, Word .docx, text .txt; up to {mb} MB)",
                                        mb=f"{upload_limit_mb():,}"), key="doc_file")
        if st.form_submit_button(t("Attach"), type="primary") and save(lambda: add_document(
                session=session, actor=user, agreement_id=agreement_id, language=language, now=utcnow(),
                text=text or None, file_name=upload.name if upload else None,
                file_bytes=upload.getvalue() if upload else None, title=title, issued_on=issued_on,
                translation_of_id=translation_of), t("Document attached.")):
            st.session_state[FLASH] = t("Document attached.")
            st.rerun()


def _pick(proposal, n: int) -> dict | None:  # noqa: ANN001
    """One proposed clause: a tick box; once ticked, its title, quote and category."""
    clause = proposal.clause
    head = f"{clause.label} · " if clause.label else ""
    note = f" — :orange[{t('explore: needs a verifiable first action')}]" if clause.explore else ""
    if proposal.area_id is not None:
        st.markdown(f":green[✓] {md_escape(head)}{md_escape(clause.text)}{note}")
        return None
    if not st.checkbox(f"{head}{clause.text}", key=f"clause_{n}_{clause.start}"):
        if clause.explore:
            st.caption(t("explore: needs a verifiable first action"))
        return None
    c = st.columns([2, 3, 1])
    pick = {
        "start": clause.start, "end": clause.end,
        "title_en": c[0].text_input(t("Area title (English)"), " ".join(clause.text.split()[:10]), key=f"ct_{n}"),
        "quote": c[1].text_input(t("Quote (edit the boundaries if needed)"), clause.text, key=f"cq_{n}"),
        "category": c[2].selectbox(t("Category"), CATEGORIES, index=CATEGORIES.index(clause.category),
                                   format_func=lambda k: t(labels.CATEGORY_LABELS[k]), key=f"cc_{n}"),
    }
    if clause.explore:
        st.caption(t("explore: needs a verifiable first action"))
    return pick


def _clauses(session, user, agreement_id: int, document_id: int) -> None:  # noqa: ANN001
    proposals = propose_clauses(session=session, document_id=document_id)
    done = sum(p.area_id is not None for p in proposals)
    st.caption(tn(N_("{n} proposed clause; {done} already commitment areas. Tick the clauses that are commitments."),
                  N_("{n} proposed clauses; {done} already commitment areas. Tick the clauses that are commitments."),
                  n=len(proposals), done=done))
    picks = [pick for n, p in enumerate(proposals) if (pick := _pick(p, n)) is not None]
    if st.button(tn(N_("Create {n} commitment area"), N_("Create {n} commitment areas"), n=len(picks)), type="primary", disabled=not picks,
                 key="clauses_go") and save(lambda: create_areas_from_clauses(
                     session=session, actor=user, agreement_id=agreement_id, document_id=document_id, picks=picks),
                     t("Commitment areas created.")):
        st.session_state[FLASH] = t("Commitment areas created.")
        st.rerun()


def texts_tab(session, user, agreements: dict[int, str]) -> None:  # noqa: ANN001
    show_flash(FLASH)
    if not agreements:
        st.info(t("Create an agreement first."))
        return
    agreement_id = choose(t("Agreement"), agreements, key="doc_agr")
    docs = list_documents(session=session, agreement_id=agreement_id)
    if docs:
        st.dataframe([{t("Title"): d.title, t("Language"): LANGUAGE_NAMES.get(d.language, d.language),
                       t("Date"): fmt_date(d.issued_on, "medium") if d.issued_on else t("Not recorded"),
                       t("Kind"): t(KIND_NAMES.get(d.kind, d.kind)), t("Characters"): d.chars,
                       t("Main text"): "✓" if d.is_primary else ""} for d in docs], hide_index=True, width="stretch")
    else:
        st.info(t("Text not yet attached: paste the agreement's text or attach its file below."))
    _document_form(session, user, agreement_id, {d.id: d.title for d in docs})
    if docs:
        st.subheader(t("Clauses into commitment areas"))
        document_id = choose(t("Document"), {d.id: d.title for d in docs if d.translation_of_id is None}, key="clause_doc")
        if document_id is not None:
            _clauses(session, user, agreement_id, document_id)
