"""The Agreements page's renewal brief, renewing and closing (secretariat). Writes go through
services/lifecycle/renewal.py; this file only lays out widgets."""
from __future__ import annotations

from datetime import date
from typing import Optional

import streamlit as st
from sqlmodel import Session

from models import Agreement, ItemOutcomeKind, RelationKind, User
from services import labels
from core.db import new_session
from services.lifecycle.brief import write_renewal_brief
from services.lifecycle.renewal import close_agreement, final_figures, open_items, renew_agreement
from services.permissions import can_edit_structure
from ui.forms import save
from ui.db import get_engine
from ui.i18n import current_language, document_language, t
from ui.lifecycle import clock_fields
from ui.widgets import md_escape

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def renewal_brief_button(agreement: Agreement, *, today: date) -> None:
    """The brief is built only when the button is pressed (a deferred callable, as the pack)."""
    c = st.columns([1, 2])
    lang = document_language(t("Language of the brief"), container=c[0], key="brief_lang")
    code, engine = agreement.code, get_engine()

    def _build() -> bytes:
        with new_session(engine) as session:
            return write_renewal_brief(session=session, code=code, today=today, lang=lang)

    c[1].download_button(t("Download the renewal brief (.docx)"), data=_build, icon=":material/download:",
                         file_name=f"renewal-brief-{code}-{lang}.docx", mime=DOCX, on_click="ignore",
                         key="brief_dl")


def final_section(session: Session, agreement: Agreement) -> None:
    """A closed agreement's final figures: items completed and each closing outcome."""
    if agreement.status not in ("terminated", "superseded", "expired"):
        return
    figures = final_figures(session=session, agreement_id=agreement.id)
    lang = current_language()
    st.subheader(t("Final figures"))
    completed = figures.pop("completed")
    st.markdown("  \n".join([t("Completed: {n}", n=completed)] + [
        f"{labels.outcome_label(k, lang)}: {n}" for k, n in figures.items()]))


def renew_and_close(session: Session, agreement: Agreement, *, today: date, user: Optional[User]) -> None:
    if not can_edit_structure(user) or agreement.status in ("terminated", "superseded"):
        return
    with st.expander(t("Renew this agreement")):
        with st.form(f"renew_{agreement.id}", enter_to_submit=False):
            c = st.columns(2)
            code = c[0].text_input(t("Reference of the successor"), key="renew_code")
            relation = c[1].selectbox(t("Relation"), [r.value for r in RelationKind], key="renew_rel",
                                      format_func=lambda r: labels.relation_label(r, current_language()))
            clock = clock_fields(Agreement(code="", kind="", title_en="", lead_org_id=0), prefix="renew")
            if st.form_submit_button(t("Renew"), type="primary"):
                if save(lambda: renew_agreement(session=session, actor=user, agreement_id=agreement.id, code=code,
                                                relation=relation, clock=clock, today=today),
                        t("Renewed: the successor carries the open items."),
                        then=lambda _: st.query_params.update(agreement=code)):  # open the successor
                    st.rerun()
    items = open_items(session, agreement.id)
    with st.expander(t("Close this agreement")):
        st.caption(t("Give an outcome for each open item; the outcomes count in the final figures."))
        with st.form(f"close_{agreement.id}", enter_to_submit=False):
            outcomes = {}
            for item in items:
                c = st.columns([3, 2, 3])
                c[0].markdown(md_escape(item.title))
                outcomes[item.id] = {
                    "outcome": c[1].selectbox(t("Outcome"), [None, *(o.value for o in ItemOutcomeKind)], key=f"out_{item.id}",
                                              format_func=lambda o: "–" if o is None
                                              else labels.outcome_label(o, current_language())),
                    "note": c[2].text_input(t("Note"), key=f"note_{item.id}")}
            if st.form_submit_button(t("Close the agreement")):
                if save(lambda: close_agreement(session=session, actor=user, agreement_id=agreement.id,
                                                outcomes=outcomes, today=today), t("Agreement closed.")):
                    st.rerun()
