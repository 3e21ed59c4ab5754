"""Agreements: the list, and one agreement's facts, source text and area -> item breakdown."""

import streamlit as st

from services.i18n.translate import local_today
from services.overview import charts
from services.agreements.intake import agreement_coverage
from services.agreements.registry import get_agreement_detail, list_agreements
from services.documents.store import list_documents
from services.overview.figures import agreement_charts
from services.i18n.translate import N_
from ui.charts import show_chart
from ui.agreement_text import highlighted_text, show_coverage, show_documents
from models import Agreement
from ui.db import session_scope
from ui.lifecycle import clock_section, facts_of, in_force_clocks
from ui.renewal import final_section, renew_and_close, renewal_brief_button
from ui.session import current_user
from ui.i18n import current_language, fmt_date, local, t, tn
from ui.session import current_user_id
from ui.widgets import (
    agreement_status_label, completion_label, item_table, kind_label, md_escape, pct, rag_label, sample_banner,
    source_clause, none_dash, status_label,
)

st.title(t("Agreements"))
today = local_today()
lang = current_language()
with session_scope() as session:
    sample_banner(session)
    rows = list_agreements(session=session, today=today, lang=lang)
    if not rows:
        st.info(t("No agreements yet."))
        st.stop()
    codes = [r.code for r in rows]
    wanted = st.query_params.get("agreement")
    index = codes.index(wanted) if wanted in codes else 0
    labels = {r.code: f"{r.code} — {r.title}" for r in rows}
    code = st.selectbox(t("Agreement"), codes, index=index, format_func=labels.get)
    st.query_params["agreement"] = code
    detail = get_agreement_detail(session=session, agreement_id=rows[codes.index(code)].id, today=today, lang=lang)
    drawn = agreement_charts(session=session, code=code, today=today, lang=lang)
    docs = list_documents(session=session, agreement_id=detail.agreement.id)
    coverage = agreement_coverage(session=session, agreement_id=detail.agreement.id)
    clock = facts_of(session, detail.agreement, today=today)

with st.expander(t("Agreements in force: time to expiry and to the notice deadline")):
    with session_scope() as session:
        in_force_clocks(session, today=today)

a = detail.agreement
st.header(md_escape(local(a, "title")), divider="gray")
left, right = st.columns([3, 2])
not_stated = t(detail.blank_fact)  # "Not recorded", or "Not stated in the source" for the seed's facts
with left:
    facts = {
        t("Reference"): a.code,
        t("Type"): kind_label(a.kind),
        t("Title (English)"): a.title_en or not_stated,
        t("Title (Bahasa Melayu)"): a.title_ms or not_stated,
        t("Title (Chinese)"): a.title_zh or not_stated,
        t("Malaysian lead"): f"{local(detail.lead, 'name')} ({detail.lead.acronym})",
        t("Counterpart"): "; ".join(f"{local(o, 'name')} ({o.acronym})" for o in detail.counterparts) or not_stated,
        t("Signed"): fmt_date(a.signed_on) if a.signed_on else (local(a, "signed_date_note") or not_stated),
        t("Signatories"): local(a, "signatories") or not_stated,
        t("Witnesses"): local(a, "witnesses") or not_stated,
        t("Status"): agreement_status_label(clock.status),
    }
    if detail.package:
        facts[t("Package")] = t("{name} (stated total: {n})", name=local(detail.package, "name"),
                                n=detail.package.stated_total)
    st.markdown("  \n".join(f"**{md_escape(k)}:** {md_escape(v)}" for k, v in facts.items()))
with right:
    st.metric(t("Progress (weighted)"), pct(detail.progress))
    st.metric(t("Completion level"), completion_label(detail.completion))
    st.metric(t("Commitment areas"), len(detail.areas))
    st.metric(t("Commitment coverage"), pct(clock.coverage * 100 if clock.broken_down else None),
              help=t("Share of the commitment areas with at least one live action item"))
with session_scope() as session:
    user, row = current_user(session), session.get(Agreement, a.id)
    clock_section(session, row, today=today, user=user)
    final_section(session, row)
    renewal_brief_button(row, today=today)
    renew_and_close(session, row, today=today, user=user)

left, right = st.columns([3, 2])
with left:
    show_chart(charts.area_progress(drawn.areas, title=t("Progress by commitment area"), with_agreement=False,
                                    lang=lang), "agreement-areas")
with right:
    show_chart(charts.completion_gauge(detail.progress, completion_label(detail.completion),
                                       title=t("Completion level")), "agreement-completion")
if drawn.items:
    show_chart(charts.timeline(drawn.items, drawn.milestones, today=today, total=drawn.total,
                               title=t("Timeline of this agreement's action items"), lang=lang), "agreement-timeline")
show_coverage(detail, coverage)

st.subheader(t("Commitment areas and action items"))
progress = t("Progress")
for number, area in enumerate(detail.areas, start=1):
    count = tn(N_("{n} action item"), N_("{n} action items"), n=len(area.items))
    with st.expander(f"{number}. {md_escape(area.title)}  ·  {pct(area.progress)}  ·  {count}"):
        if area.quote:
            source_clause(area.quote, area.quote_en, lang)
        if area.explore:
            st.caption(t("explore: needs a verifiable first action"))
        if area.items:
            item_table(
                [
                    {
                        t("Action item"): i.title, t("Lead"): none_dash(i.lead), t("Owner"): none_dash(i.owner),
                        t("Due"): fmt_date(i.due, "medium"), t("Status"): status_label(i.status),
                        progress: i.progress, t("RAG"): rag_label(i.rag),
                    }
                    for i in area.items
                ],
                [i.id for i in area.items], key=f"area_items_{area.id}",
                column_config={progress: st.column_config.ProgressColumn(
                    progress, min_value=0, max_value=100, format="%d%%")},
            )
        else:
            st.caption(t("No action items yet."))

show_documents(docs, current_user_id())
if detail.source:
    st.caption(t("{issuer} · {day} · highlighted: the clauses of this agreement's areas",
                 issuer=md_escape(detail.source.issuer) if detail.source.issuer else t("issuer not recorded"),
                 day=fmt_date(detail.source.issued_on) if detail.source.issued_on else t("date not recorded")))
    original = highlighted_text(detail)
    if lang == "ms" or not detail.source.translation_en:
        st.markdown(original)
    else:
        malay, english = st.columns(2)
        malay.caption(t("Original (Bahasa Melayu)"))
        malay.markdown(original)
        english.caption(t("English rendering"))
        english.markdown(md_escape(detail.source.translation_en).replace("\n", "  \n"))
