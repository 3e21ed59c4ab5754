"""The baseline for bench_overview: the Overview as it is often first written. Every run
reads all items and all updates into pandas and builds plotly.express figures. Not a page
of the app; AppTest runs it as a script against the same database."""
from datetime import date

import pandas as pd
import plotly.express as px
import streamlit as st
from sqlalchemy import text

from core.db import make_engine
from core.settings import get_settings
from services import rules
from services import labels


@st.cache_resource
def engine():
    return make_engine(get_settings().database_url)


today = date.today()
with engine().connect() as conn:
    items = pd.read_sql(text(
        "SELECT i.*, a.code AS agreement, ar.title_en AS area, o.acronym AS lead FROM actionitem i "
        "JOIN commitmentarea ar ON ar.id = i.area_id JOIN agreement a ON a.id = ar.agreement_id "
        "LEFT JOIN organisation o ON o.id = i.lead_org_id WHERE NOT i.archived"), conn)
    updates = pd.read_sql(text("SELECT * FROM progressupdate"), conn)
for col in ("start_date", "due_date"):
    items[col] = pd.to_datetime(items[col]).dt.date
items["last"] = pd.to_datetime(items["last_update_at"].fillna(items["created_at"]), format="mixed").dt.date
items["rag"] = [rules.compute_rag(status=r.status, progress=r.progress, start=r.start_date, due=r.due_date,
                                  last_update=r.last, today=today) or "none" for r in items.itertuples()]
items["overdue"] = [rules.is_overdue(status=s, due=d, today=today) for s, d in zip(items.status, items.due_date)]
live = items[items.status != "cancelled"]
cols = st.columns(5)
cols[0].metric("Action items", len(items))
cols[1].metric("Complete (weighted)", f"{(live.progress * live.weight).sum() / live.weight.sum():.0f}%")
cols[2].metric("Overdue", int(items.overdue.sum()))
cols[3].metric("At risk", int(items.rag.isin(["red", "amber"]).sum()))
cols[4].metric("Updates", len(updates))
counts = items.groupby(["agreement", "status"]).size().reset_index(name="n")
st.plotly_chart(px.bar(counts, x="agreement", y="n", color="status", color_discrete_map=labels.STATUS_COLOURS))
areas = items.groupby(["agreement", "area"]).progress.mean().reset_index()
st.plotly_chart(px.bar(areas, y="area", x="progress", orientation="h"))
st.plotly_chart(px.bar(items.rag.value_counts().reset_index(), x="rag", y="count", color="rag",
                       color_discrete_map=labels.RAG_COLOURS))
top = items.sort_values(["overdue", "due_date"], ascending=[False, True]).head(25)
st.plotly_chart(px.timeline(top, x_start="start_date", x_end="due_date", y="title", color="rag"))
updates["month"] = pd.to_datetime(updates.ts, format="mixed").dt.strftime("%Y-%m")
monthly = updates.groupby("month").progress_after.mean().reset_index()
st.plotly_chart(px.line(monthly, x="month", y="progress_after"))
heat = updates.merge(items[["id", "lead"]], left_on="item_id", right_on="id").groupby(["lead", "month"]).size().reset_index(name="n")
st.plotly_chart(px.density_heatmap(heat, x="month", y="lead", z="n"))
st.dataframe(items[items.overdue][["title", "agreement", "lead", "due_date"]].head(100))
