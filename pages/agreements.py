"""Agreements: the list, and one agreement's facts, source text and area -> item breakdown."""
from datetime import date

import streamlit as st

from services import styles
from services.agreements import get_agreement_detail, list_agreements
from ui.db import session_scope
from ui.i18n import t
from ui.widgets import completion_label, md_escape, pct, rag_label, sample_banner, status_label
from ui.frame import page_guard

page_guard()

st.title("Agreements")
today = date.today()
with session_scope() as session:
    sample_banner(session)
    rows = list_agreements(session=session, today=today)
    if not rows:
        st.info("No agreements yet.")
        st.stop()
    codes = [r.code for r in rows]
    wanted = st.query_params.get("agreement")
    index = codes.index(wanted) if wanted in codes else 0
    labels = {r.code: f"{r.code} — {r.title}" for r in rows}
    code = st.selectbox("Agreement", codes, index=index, format_func=labels.get)
    st.query_params["agreement"] = code
    detail = get_agreement_detail(session=session, agreement_id=rows[codes.index(code)].id, today=today)

a = detail.agreement
st.header(a.title_en, divider="gray")
left, right = st.columns([3, 2])
with left:
    facts = {
        "Reference": a.code,
        "Type": a.kind,
        "Title (Bahasa Melayu)": a.title_ms or "–",
        "Malaysian lead": f"{detail.lead.name_en} ({detail.lead.acronym})",
        "Counterpart": "; ".join(f"{o.name_en} ({o.acronym})" for o in detail.counterparts),
        "Signed": a.signed_on.strftime("%d %B %Y") if a.signed_on else (a.signed_date_note or "Not stated"),
        "Signatories": a.signatories or "Not stated in the source",
        "Witnesses": a.witnesses or "Not stated in the source",
        "Status": styles.AGREEMENT_STATUS_LABELS.get(a.status, a.status),
    }
    if detail.package:
        facts["Package"] = f"{detail.package.name} (stated total: {detail.package.stated_total})"
    st.markdown("  \n".join(f"**{k}:** {md_escape(v)}" for k, v in facts.items()))
with right:
    st.metric("Progress (weighted)", pct(detail.progress))
    st.metric("Completion level", completion_label(detail.completion))
    st.metric("Commitment areas", len(detail.areas))

st.subheader("Commitment areas and action items")
for area in detail.areas:
    count = t("1 action item") if len(area.items) == 1 else t("{n} action items", n=len(area.items))
    with st.expander(f"{area.title}  ·  {pct(area.progress)}  ·  {count}"):
        if area.quote:
            st.caption("Source clause (Bahasa Melayu, verbatim)")
            st.markdown(f"> {md_escape(area.quote)}")
        if area.items:
            st.dataframe(
                [
                    {
                        "Action item": i.title, "Lead": i.lead, "Owner": i.owner,
                        "Due": i.due, "Status": status_label(i.status), "Progress": i.progress,
                        "RAG": rag_label(i.rag),
                    }
                    for i in area.items
                ],
                hide_index=True, width="stretch",
                column_config={"Progress": st.column_config.ProgressColumn(
                    "Progress", min_value=0, max_value=100, format="%d%%")},
            )
        else:
            st.caption("No action items yet.")

if detail.source:
    st.subheader("Source document")
    st.caption(f"{detail.source.issuer} · {detail.source.issued_on:%d %B %Y} · highlighted: the clauses of this agreement's areas")
    pieces = detail.highlighted_source()
    text = "".join(f":orange-background[{md_escape(p)}]" if area_id else md_escape(p) for p, area_id in pieces)
    st.markdown(text.replace("\n", "  \n"))
