"""Overview: the headline figures across all agreements."""
from datetime import date

import streamlit as st

from services.agreements import list_agreements
from services.overview import compute_kpis
from ui.db import session_scope
from ui.widgets import completion_label, pct, sample_banner
from ui.frame import page_guard

page_guard()

st.title("Overview")
today = date.today()
with session_scope() as session:
    sample_banner(session)
    kpis = compute_kpis(session=session, today=today)
    rows = list_agreements(session=session, today=today)

st.caption(f"As of {today:%d %B %Y}")
cols = st.columns(6)
cols[0].metric("Agreements", kpis.agreements, help=f"{kpis.agreements_in_force} in force")
cols[1].metric("Commitment areas", kpis.areas)
cols[2].metric("Action items", kpis.items)
cols[3].metric("Complete (weighted)", pct(kpis.percent_complete))
cols[4].metric("Overdue", kpis.overdue, help="Past the due date and not completed or cancelled")
cols[5].metric("At risk", kpis.at_risk, help="Rated Red or Amber but not yet overdue")
st.caption(f"{kpis.stale} open items have had no update for more than 30 days.")

st.subheader("Agreements")
st.dataframe(
    [
        {
            "Code": r.code, "Type": r.kind, "Agreement": r.title, "Malaysian lead": r.lead,
            "Counterpart": r.counterparts, "Signed": r.signed, "Areas": r.areas,
            "Action items": r.items, "Progress": r.progress or 0.0,
            "Completion": completion_label(r.completion),
        }
        for r in rows
    ],
    hide_index=True,
    width="stretch",
    column_config={
        "Progress": st.column_config.ProgressColumn("Progress", min_value=0, max_value=100, format="%.0f%%"),
    },
)
