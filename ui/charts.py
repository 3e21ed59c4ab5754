"""Overview plumbing: filters kept in the URL, and data and figures cached on a data version
(a cheap query each rerun), so a saved update shows on the next rerun."""
from __future__ import annotations

from datetime import date
from typing import Optional

import plotly.graph_objects as go
import streamlit as st

from services.overview import charts
from services.overview import filtered
from services import labels
from services.agreements.registry import list_agreements
from services.overview.filtered import Filters
from services.overview.figures import OverviewData, agreement_rollups, overview_data
from ui.db import session_scope
from ui.i18n import date_format, lang_key, t

FILTER_PARAMS = {"agreement": "agreements", "org": "orgs", "category": "categories"}


def _param_list(name: str, allowed: list[str]) -> list[str]:
    raw = st.query_params.get(name) or ""
    return [v for v in raw.split(",") if v in allowed]


def _param_date(name: str) -> Optional[date]:
    try:
        return date.fromisoformat(st.query_params.get(name) or "")
    except ValueError:
        return None


def read_filters(choices: dict[str, list[str]]) -> Filters:
    """Filter widgets seeded from the URL; the URL follows every change (shareable links)."""
    options = {**choices, "categories": list(labels.CATEGORY_LABELS)}
    titles = {"agreements": t("Agreement"), "orgs": t("Organisation"), "categories": t("Category")}
    for param, field in FILTER_PARAMS.items():
        st.session_state.setdefault(lang_key(f"f_{field}"), _param_list(param, options[field]))
    for param in ("from", "to"):
        st.session_state.setdefault(lang_key(f"f_{param}"), _param_date(param))
    cols = st.columns([3, 2, 3, 2, 2])
    values = {}
    for col, field in zip(cols, FILTER_PARAMS.values()):
        fmt = (lambda c: t(labels.CATEGORY_LABELS[c])) if field == "categories" else str
        values[field] = col.multiselect(titles[field], options[field], key=lang_key(f"f_{field}"),
                                        format_func=fmt, placeholder=t("All"))
    start = cols[3].date_input(t("From"), key=lang_key("f_from"), format=date_format())
    end = cols[4].date_input(t("To"), key=lang_key("f_to"), format=date_format())
    for param, field in FILTER_PARAMS.items():
        _set_param(param, ",".join(values[field]))
    _set_param("from", start.isoformat() if start else "")
    _set_param("to", end.isoformat() if end else "")
    return Filters(tuple(values["agreements"]), tuple(values["orgs"]), tuple(values["categories"]), start, end)


def _set_param(name: str, value: str) -> None:
    if value and st.query_params.get(name) != value:
        st.query_params[name] = value
    elif not value and name in st.query_params:
        del st.query_params[name]


# The data and the agreement rows are shared, never mutated, as the figures below:
# cache_resource hands out the same objects. cache_data pickled them on every store and
# unpickled them on every read: at L (20,000 areas, 5,000 agreements) ~45 ms after a save
# and ~25 ms on every rerun, more than building them.
@st.cache_resource(max_entries=16, show_spinner=False)
def cached_overview(version: tuple, filters: Filters, today: date, lang: str = "en") -> OverviewData:
    """Keyed by language: area and item titles are in it."""
    with session_scope() as session:
        return overview_data(session=session, filters=filters, today=today, lang=lang, version=version)


@st.cache_resource(max_entries=16, show_spinner=False)
def cached_agreement_rows(version: tuple, today: date, codes: tuple[str, ...], lang: str = "en") -> list:
    with session_scope() as session:
        # The roll-ups from the items the Overview keeps (no pass over them in SQL).
        rows = list_agreements(session=session, today=today, lang=lang,
                               rollups=agreement_rollups(session=session, today=today, lang=lang, version=version))
    return [r for r in rows if not codes or r.code in codes]


# Rebuilding six figures would cost more than the queries: kept too, on the same key.
@st.cache_resource(max_entries=16, show_spinner=False)
def cached_figures(version: tuple, filters: Filters, today: date, lang: str = "en") -> dict[str, go.Figure]:
    """Keyed by language too: titles and legends are built in it."""
    d = cached_overview(version, filters, today, lang)
    return {
        "status": charts.status_by_agreement(d.status_rows, title=t("Status by agreement"), lang=lang),
        "rag": charts.rag_distribution(d.rag_counts, title=t("RAG rating of action items"), lang=lang),
        "areas": charts.area_progress(d.areas, title=t("Progress by commitment area"), lang=lang),
        "timeline": charts.timeline(d.gantt, d.milestones, today=today, total=d.total_items,
                                    title=t("Timeline of action items"), lang=lang),
        "monthly": charts.progress_over_time(d.monthly, title=t("Weighted progress over time"), lang=lang),
        "activity": charts.activity_heatmap(d.activity, title=t("Progress updates by organisation and month"),
                                            lang=lang),
    }


def data_version() -> tuple:
    with session_scope() as session:
        return filtered.data_version(session=session)


def show_chart(fig: go.Figure, name: str) -> None:
    """Plotly's own toolbar stays on: its camera button saves the chart as a PNG."""
    st.plotly_chart(fig, width="stretch", key=f"chart_{name}", config={
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": f"mou-tracker-{name}", "scale": 2},
    })
