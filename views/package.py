"""The package of a visit: its agreements with lead ministry, counterpart, stage, commitment
coverage and clock; the funnel of stages; how many of the stated agreements are recorded;
the secretariat adds the others as they learn them."""

import streamlit as st

from core.settings import get_settings
from models import AgreementKind
from services.lifecycle.chart import stage_funnel
from services.lifecycle.edit import add_stated_agreement
from services.lifecycle.package import list_packages, organisation_choices
from services.permissions import can_edit_structure
from ui.charts import show_chart
from ui.db import session_scope
from ui.forms import choose, save
from services.i18n.translate import N_
from ui.i18n import current_language, date_format, t, tn
from ui.lifecycle import cached_package
from ui.session import current_user
from ui.widgets import kind_label, md_escape, sample_banner
from services.i18n.translate import local_today

st.title(t("Package of a visit"))
today = local_today()
lang = current_language()
dormant_days = get_settings().dormant_days
with session_scope() as session:
    sample_banner(session)
    user = current_user(session)
    packages = list_packages(session=session, lang=lang)
    if not packages:
        st.info(t("No package of agreements recorded yet."))
        st.stop()
    raw = str(st.query_params.get("package", ""))
    wanted = int(raw) if raw.isdigit() and int(raw) in packages else next(iter(packages))
    package_id = choose(t("Package"), packages, wanted, key="package_pick")
    st.query_params["package"] = str(package_id)
    view, table = cached_package(session, package_id=package_id, today=today, dormant_days=dormant_days)
    orgs = organisation_choices(session=session, lang=lang) if can_edit_structure(user) else None

st.header(md_escape(view.name), divider="gray")
stated = view.stated_total
if stated:
    st.caption(t("{n} of {total} recorded", n=view.recorded, total=stated))
cols = st.columns(4)
cols[0].metric(t("Agreements recorded"), f"{view.recorded} / {stated}" if stated else view.recorded,
               help=t("Recorded here, of the number the statement gives"))
cols[1].metric(t("Not yet broken down"), sum(1 for r in view.rows if not r.facts.broken_down))
cols[2].metric(t("Dormant"), sum(1 for r in view.rows if r.facts.dormant),
               help=tn(N_("No progress update and no meeting for more than {n} day"),
                       N_("No progress update and no meeting for more than {n} days"), n=dormant_days))
cols[3].metric(t("First deliverable completed"), dict(view.funnel).get("first_deliverable", 0))

show_chart(stage_funnel(view.funnel, title=t("Stage of the package's agreements"), lang=lang), "package-funnel")

st.subheader(t("Agreements of the package"))
st.dataframe(table, hide_index=True, width="stretch", key="package_table")
st.caption(tn(N_("Stages come from the data: an item with a named owner or counterpart focal point; a joint working "
                 "group area with an item, or a body that met; a meeting held; an item completed. Dormant: no progress "
                 "update and no meeting for more than {n} day."),
              N_("Stages come from the data: an item with a named owner or counterpart focal point; a joint working "
                 "group area with an item, or a body that met; a meeting held; an item completed. Dormant: no progress "
                 "update and no meeting for more than {n} days."), n=dormant_days))

if orgs is not None:
    with st.expander(t("Add an agreement the statement counts")):
        st.caption(t("Record it as you learn it; it shows as not yet broken down until it has commitment areas."))
        with st.form("stated_agreement", clear_on_submit=True, enter_to_submit=False):
            c = st.columns([3, 1])
            data = {"title_en": c[0].text_input(t("Title (English)")),
                    "kind": c[1].selectbox(t("Type"), [k.value for k in AgreementKind], format_func=kind_label)}
            c = st.columns(3)
            with c[0]:
                data["lead_org_id"] = choose(t("Malaysian lead ministry"), orgs, key="sa_lead")
            data["counterpart_ids"] = c[1].multiselect(t("Counterparts"), list(orgs),
                                                       format_func=orgs.get, placeholder=t("Choose options"))
            data["signed_on"] = c[2].date_input(t("Signed on"), None, format=date_format())
            if st.form_submit_button(t("Add agreement"), type="primary"):
                with session_scope() as session:
                    if save(lambda: add_stated_agreement(session=session, actor=current_user(session),
                                                         package_id=package_id, data=data), t("Agreement added.")):
                        st.rerun()
