"""Overview: the headline figures across all agreements."""
from datetime import date

import streamlit as st

from services.agreements import list_agreements
from services.overview import compute_kpis
from ui.db import session_scope
from ui.i18n import current_language, fmt_date, t
from ui.widgets import completion_label, kind_label, pct, sample_banner

st.title(t("Overview"))
today = date.today()
with session_scope() as session:
    sample_banner(session)
    kpis = compute_kpis(session=session, today=today)
    rows = list_agreements(session=session, today=today, lang=current_language())

st.caption(t("As of {day}", day=fmt_date(today)))
cols = st.columns(6)
cols[0].metric(t("Agreements"), kpis.agreements, help=t("{n} in force", n=kpis.agreements_in_force))
cols[1].metric(t("Commitment areas"), kpis.areas)
cols[2].metric(t("Action items"), kpis.items)
cols[3].metric(t("Complete (weighted)"), pct(kpis.percent_complete))
cols[4].metric(t("Overdue"), kpis.overdue, help=t("Past the due date and not completed or cancelled"))
cols[5].metric(t("At risk"), kpis.at_risk, help=t("Rated Red or Amber but not yet overdue"))
st.caption(t("{n} open items have had no update for more than 30 days.", n=kpis.stale))

st.subheader(t("Agreements"))
progress = t("Progress")
st.dataframe(
    [
        {
            t("Code"): r.code, t("Type"): kind_label(r.kind), t("Agreement"): r.title, t("Malaysian lead"): r.lead,
            t("Counterpart"): r.counterparts, t("Signed"): r.signed, t("Areas"): r.areas,
            t("Action items"): r.items, progress: r.progress or 0.0,
            t("Completion"): completion_label(r.completion),
        }
        for r in rows
    ],
    hide_index=True,
    width="stretch",
    column_config={
        progress: st.column_config.ProgressColumn(progress, min_value=0, max_value=100, format="%.0f%%"),
    },
)
