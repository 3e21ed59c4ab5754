"""Meeting mode helpers: the agenda position (session state mirrored in the URL), one agenda
point drawn in large type, and the deferred meeting pack download."""
from __future__ import annotations

from datetime import date, datetime
from functools import partial
from typing import Callable, Optional

import streamlit as st

from services.overview import charts
from services import labels
from services.lifecycle.pack_slide import package_slide
from services.meetings.mode import AgendaPoint, build_agenda
from services.meetings.pack import build_meeting_pack
from services.meetings.snapshot import freeze_for_pack
from services.i18n.translate import N_
from ui.charts import data_version
from ui.db import session_scope
from ui.downloads import PPTX, any_account, file_stamp, guarded_download
from ui.i18n import current_language, fmt_date, t, tn
from ui.session import now as now_utc
from ui.widgets import md_escape, pct, rag_label, status_label

POINT_KEY = "mm_point"
# Static presentation styling (no user text): large type for a room.
LARGE_TYPE = f"""<style>
[data-testid="stMainBlockContainer"] p, [data-testid="stMainBlockContainer"] li {{ font-size: {labels.MEETING_FONT_SIZE}px; }}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {{ font-size: 2.4rem !important; }}
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *,
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {{
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }}
[data-testid="stMainBlockContainer"] button p {{ white-space: normal !important; overflow-wrap: normal; }}
</style>"""


@st.cache_data(max_entries=16, show_spinner=False)
def cached_agenda(version: tuple, body_id: Optional[int], today: date, lang: str = "en") -> list[AgendaPoint]:
    """Keyed by language: the titles are in it."""
    with session_scope() as session:
        return build_agenda(session=session, body_id=body_id, today=today, lang=lang)


def agenda_for(body_id: Optional[int], today: date) -> list[AgendaPoint]:
    return cached_agenda(data_version(), body_id, today, current_language())


def current_point(n: int) -> int:
    """The point on screen: session state, first seeded from ?point= (1-based) in the URL."""
    if POINT_KEY not in st.session_state:
        try:
            st.session_state[POINT_KEY] = int(st.query_params.get("point", "1")) - 1
        except ValueError:
            st.session_state[POINT_KEY] = 0
    st.session_state[POINT_KEY] = max(0, min(n - 1, st.session_state[POINT_KEY]))
    st.query_params["point"] = str(st.session_state[POINT_KEY] + 1)
    return st.session_state[POINT_KEY]


def step(delta: int) -> Callable[[], None]:
    def _move() -> None:
        st.session_state[POINT_KEY] = st.session_state.get(POINT_KEY, 0) + delta
    return _move


def agenda_label(number: int, p: AgendaPoint) -> str:
    if p.kind == "agreement":
        return f"{number}. {p.code}: {p.title}"
    return f"{number}. ↳ {p.title} ({', '.join(t(r) for r in p.reasons)})"


def show_point(p: AgendaPoint, today: date) -> None:
    if p.kind == "agreement":
        st.header(md_escape(f"{p.code}: {p.title}"), anchor=False)
        k = p.kpis
        cols = st.columns(5)
        cols[0].metric(t("Action items"), k.items)
        cols[1].metric(t("Complete (weighted)"), pct(k.percent_complete))
        cols[2].metric(t("Overdue"), k.overdue)
        cols[3].metric(t("At risk"), k.at_risk)
        cols[4].metric(t("Not updated for 30 days"), k.stale)
        fig = charts.area_progress(p.areas, title=t("Progress by commitment area"), with_agreement=False,
                                   lang=current_language())
        fig.update_layout(font={"size": labels.MEETING_FONT_SIZE})
        # theme=None: Streamlit's chart theme would shrink the presenter's large type back
        st.plotly_chart(fig, width="stretch", key="mm_areas", theme=None)
        if p.more:
            st.caption(tn(N_("{n} more item needs attention beyond those on this agenda."),
                          N_("{n} more items need attention beyond those on this agenda."), n=p.more))
        return
    i = p.item
    st.header(md_escape(i.title), anchor=False)
    st.markdown("### " + " · ".join(f"**{t(r)}**" for r in p.reasons))
    cols = st.columns(4)
    cols[0].metric(t("RAG"), rag_label(i.rag))
    cols[1].metric(t("Status"), status_label(i.status))
    cols[2].metric(t("Progress"), f"{i.progress}%")
    cols[3].metric(t("Due"), fmt_date(i.due, "medium"))
    last = fmt_date(i.last_update, "medium") if i.last_update else t("never")
    st.markdown(t("**Agreement** {a} · **Lead** {lead} · **Owner** {owner} · **Last update** {last}",
                  a=md_escape(p.code), lead=md_escape(i.lead or "–"), owner=md_escape(i.owner or "–"), last=last))
    st.markdown(f"**{t('Latest note')}**  \n{md_escape(p.note) if p.note else t('No note yet.')}")


def pack_download(body_id: Optional[int], today: date, lang: str = "en", actor_id: Optional[int] = None) -> None:
    """The pack, built when the button is pressed after the session check (ui/downloads.py).
    Downloaded by the secretariat on the day of the body's meeting, it also freezes the
    snapshot as presented."""
    def build(session, user, now: datetime) -> bytes:  # noqa: ANN001
        if body_id is not None and actor_id is not None:
            freeze_for_pack(session=session, actor_id=actor_id, body_id=body_id, today=today, now=now)
        extra = partial(package_slide, session=session, today=today, lang=lang)
        return build_meeting_pack(session=session, today=today, body_id=body_id, lang=lang, extra=extra)

    guarded_download(t("Meeting pack (.pptx)"), key="mm_pack", build=build, may=any_account,
                     file_name=f"meeting-pack-{file_stamp(now_utc())}.pptx", mime=PPTX,
                     icon=":material/download:")


def optional_item(p: AgendaPoint) -> Optional[int]:
    return p.item.id if p.kind == "item" else None
