"""Overview: KPIs with their change over 30 days, the review charts and the items that need
attention, for the agreements, organisations, categories and dates chosen in the filters."""

import streamlit as st

from services import labels
from services.i18n.translate import local_today
from services.overview.filtered import filter_choices
from services.i18n.translate import N_
from ui.charts import cached_agreement_rows, cached_figures, cached_overview, data_version, read_filters, show_chart
from ui.db import session_scope
from ui.i18n import current_language, fmt_date, t, tn
from ui.lifecycle import expiring_section
from ui.widgets import date_columns, item_table, none_dash, pct, sample_banner

st.title(t("Overview"))
today = local_today()
with session_scope() as session:
    sample_banner(session)
    choices = filter_choices(session=session)

st.caption(t("As of {d}; changes are against 30 days earlier.", d=fmt_date(today)))
filters = read_filters(choices)
version = data_version()
lang = current_language()
data = cached_overview(version, filters, today, lang)
figs = cached_figures(version, filters, today, lang)
now, before = data.kpis, data.before


def _pts(a, b):  # noqa: ANN001
    # percentage points; the sign first, as st.metric reads it for the arrow
    return None if a is None or b is None else t("{n} pts", n=f"{a - b:+.1f}")


tiles = [
    (t("Agreements in force"), now.agreements_in_force, now.agreements_in_force - before.agreements_in_force, "normal"),
    (t("Action items"), now.items, now.items - before.items, "off"),
    (t("Complete (weighted)"), pct(now.percent_complete), _pts(now.percent_complete, before.percent_complete), "normal"),
    (t("Overdue"), now.overdue, now.overdue - before.overdue, "inverse"),
    (t("At risk"), now.at_risk, now.at_risk - before.at_risk, "inverse"),
    (t("Not updated for 30 days"), now.stale, now.stale - before.stale, "inverse"),
]
helps = {
    t("Overdue"): t("Past the due date and not completed or cancelled"),
    t("At risk"): t("Rated Red or Amber but not yet overdue"),
    t("Not updated for 30 days"): t("Open items with no progress update for more than 30 days"),
}
# Two rows of three: six tiles in a row cut the Malay and Chinese labels.
for col, (label, value, delta, colour) in zip([*st.columns(3), *st.columns(3)], tiles):
    col.metric(label, value, delta=delta, delta_color=colour, help=helps.get(label), border=True)

with session_scope() as session:
    expiring_section(session, today=today, codes=filters.agreements)

left, right = st.columns([3, 2])
with left:
    show_chart(figs["status"], "status-by-agreement")
with right:
    show_chart(figs["rag"], "rag-distribution")
show_chart(figs["areas"], "progress-by-area")
show_chart(figs["timeline"], "timeline")
left, right = st.columns(2)
with left:
    show_chart(figs["monthly"], "progress-over-time")
with right:
    show_chart(figs["activity"], "update-activity")

st.subheader(t("Overdue items"))
st.caption(tn(N_("{n} overdue item; the most overdue first."), N_("{n} overdue items; the most overdue first."),
              n=data.overdue_total))
if data.overdue:
    # Headers translated once, not once per row: t() reads the session's language each call.
    h = [t("Action item"), t("Agreement"), t("Lead"), t("Owner"), t("Due"), t("Days overdue"), t("Status"), t("Progress"), t("RAG")]
    item_table([
        dict(zip(h, (i.title, i.agreement, i.lead, none_dash(i.owner), i.due, (today - i.due).days,
                     labels.status_label(i.status, lang), i.progress, labels.rag_text(i.rag, lang))))
        for i in data.overdue
    ], [i.id for i in data.overdue], key="overdue_table", column_config=date_columns(t("Due")))

st.subheader(t("Items needing an update"))
st.caption(tn(N_("{n} open item has had no update for more than 30 days."),
              N_("{n} open items have had no update for more than 30 days."), n=data.stale_total))
if data.stale:
    h = [t("Action item"), t("Agreement"), t("Lead"), t("Owner"), t("Last update"), t("Days since"), t("Status"), t("RAG")]
    item_table([
        dict(zip(h, (i.title, i.agreement, i.lead, none_dash(i.owner), i.last_update,
                     (today - i.last_update).days if i.last_update else None,
                     labels.status_label(i.status, lang), labels.rag_text(i.rag, lang))))
        for i in data.stale
    ], [i.id for i in data.stale], key="stale_table", column_config=date_columns(t("Last update")))

st.subheader(t("Agreements"))
h = [t("Code"), t("Type"), t("Agreement"), t("Malaysian lead"), t("Counterpart"), t("Signed"), t("Areas"),
     t("Action items"), t("Progress"), t("Completion")]
rows = cached_agreement_rows(version, today, filters.agreements, lang)
# Each kind's and level's label looked up once, not once per row (5,000 agreements at L).
kinds = {k: labels.kind_label(k, lang) for k in {r.kind for r in rows}}
levels = {c: labels.completion_label(c, lang) for c in {r.completion for r in rows}}
st.dataframe(
    [
        dict(zip(h, (r.code, kinds[r.kind], r.title, r.lead, r.counterparts, r.signed, r.areas, r.items,
                     r.progress or 0.0, levels[r.completion])))
        for r in rows
    ],
    hide_index=True, width="stretch", key="agreements_table",
    column_config={t("Progress"): st.column_config.ProgressColumn(
        t("Progress"), min_value=0, max_value=100, format="%.0f%%")},
)
