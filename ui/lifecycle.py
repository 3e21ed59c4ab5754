"""Widgets for the agreement's clock and the package of a visit: tables, the clock's facts,
the secretariat's forms. The pages stay thin; the words come from services/lifecycle/words.py."""
from __future__ import annotations

from datetime import date
from typing import Optional

import streamlit as st
from sqlmodel import Session, select

from core.settings import get_settings
from models import Agreement, User
from services import labels
from services.i18n.content import display
from services.lifecycle.edit import set_clock
from services.lifecycle.facts import AgreementFacts, ClockFacts, agreement_clocks, agreement_facts, expiring_within
from services.lifecycle.package import PackageView, package_view
from services.overview.filtered import data_version
from services.store.kept import structure_version
from services.i18n.translate import N_
from ui.db import session_scope
from services.lifecycle.words import coverage_text, days_text, term_text, yes_no
from services.permissions import can_edit_structure
from ui.forms import choose, save
from ui.i18n import current_language, date_format, fmt_date, t, tn
from ui.widgets import md_escape

EXPIRY_WINDOW_DAYS = 365  # "within 12 months" on the Overview
IN_FORCE = frozenset({"in_force", "renewed"})


def clock_columns(f: AgreementFacts | ClockFacts) -> dict:
    """The clock's columns of a table row (Agreements, Overview, package)."""
    lang = current_language()
    return {
        t("Status"): labels.agreement_status_label(f.status, lang),
        t("Expires"): fmt_date(f.expiry, "medium") if f.expiry else t("Not stated"),
        t("Time to expiry"): days_text(f.days_to_expiry, lang),
        t("Notice deadline"): fmt_date(f.notice_deadline, "medium") if f.notice_deadline else t("Not stated"),
        t("Time to notice deadline"): days_text(f.days_to_notice, lang),
    }


def clock_table(rows: list[tuple[str, str, AgreementFacts | ClockFacts]], *, key: str) -> None:
    """rows: (code, title, facts)."""
    st.dataframe([{t("Code"): code, t("Agreement"): title, **clock_columns(f)} for code, title, f in rows],
                 hide_index=True, width="stretch", key=key)


def clock_facts(a, f: AgreementFacts) -> dict[str, str]:  # noqa: ANN001
    """The clock as 'label: value' lines for one agreement's page."""
    lang = current_language()
    renew = yes_no(a.auto_renews, lang)
    if a.auto_renews and a.renewal_months:
        renew = t("Yes, for {period} each time", period=term_text(a.renewal_months, lang))
    return {
        t("In force from"): fmt_date(a.in_force_from) if a.in_force_from else t("Not stated"),
        t("Term"): term_text(a.term_months, lang),
        t("Renews automatically"): renew,
        t("Notice period"): tn(N_("{n} day"), N_("{n} days"), n=a.notice_days) if a.notice_days is not None else t("Not stated"),
        t("Expires"): (f"{fmt_date(f.expiry)} ({days_text(f.days_to_expiry, lang)})" if f.expiry
                       else t("Not stated")),
        t("Notice deadline"): (f"{fmt_date(f.notice_deadline)} ({days_text(f.days_to_notice, lang)})"
                               if f.notice_deadline else t("Not stated")),
        t("Commitment coverage"): coverage_text(f, lang),
    }


def _date(label: str, value: Optional[date], key: str) -> Optional[date]:
    return st.date_input(label, value, key=key, format=date_format(), min_value=date(1950, 1, 1),
                         max_value=date(2150, 12, 31))


def clock_fields(a, *, prefix: str) -> dict:  # noqa: ANN001
    """The clock form's widgets, seeded from the agreement; returns the data for set_clock."""
    statuses = ["draft", "signed", "in_force"]
    data = {"status": st.selectbox(t("Recorded status"), statuses, key=f"{prefix}_st",
                                   index=statuses.index(a.status) if a.status in statuses else 2,
                                   format_func=lambda s: labels.agreement_status_label(s, current_language()))}
    c = st.columns(3)
    with c[0]:
        data["signed_on"] = _date(t("Signed on"), a.signed_on, f"{prefix}_signed")
    with c[1]:
        data["in_force_from"] = _date(t("In force from"), a.in_force_from, f"{prefix}_force")
    with c[2]:
        data["expires_on"] = _date(t("Expiry date (or give a term)"), a.expires_on, f"{prefix}_exp")
    c = st.columns(4)
    data["term_years"] = c[0].number_input(t("Term: years"), 0, 100, (a.term_months or 0) // 12, key=f"{prefix}_ty")
    data["term_months"] = c[1].number_input(t("Term: months"), 0, 11, (a.term_months or 0) % 12, key=f"{prefix}_tm")
    data["notice_days"] = c[2].number_input(t("Notice period (days)"), 0, 3650, a.notice_days, key=f"{prefix}_nd",
                                            placeholder=t("Not stated"))
    data["renewal_months"] = c[3].number_input(t("Renews for (months)"), 1, 1200, a.renewal_months,
                                               key=f"{prefix}_rm", placeholder=t("The term again"))
    data["auto_renews"] = choose(t("Renews automatically"), {None: t("Not stated"), True: t("Yes"), False: t("No")},
                                 a.auto_renews, key=f"{prefix}_ar")
    data["term_years"] = data["term_years"] or None
    data["term_months"] = data["term_months"] or None
    return data


def in_force_clocks(session: Session, *, today: date) -> None:
    """The Agreements page's table: every live agreement in force, its expiry and notice
    deadline; rebuilt only when the agreements change (the structure counter), not on every
    progress update."""
    rows = _in_force_rows(structure_version(session=session), today, current_language())
    st.dataframe(rows, hide_index=True, width="stretch", key="agreement_clocks")


@st.cache_data(max_entries=16, show_spinner=False)
def _in_force_rows(version: int, today: date, lang: str) -> list[dict]:
    with session_scope() as session:
        agreements = session.exec(select(Agreement).where(~Agreement.archived).order_by(Agreement.code)).all()
        clocks = agreement_clocks(agreements=agreements, today=today)
        return [{t("Code"): g.code, t("Agreement"): display(g, "title", lang), **clock_columns(clocks[g.id])}
                for g in agreements if clocks[g.id].status in IN_FORCE]


def facts_of(session: Session, agreement: Agreement, *, today: date) -> AgreementFacts:
    """One agreement's clock, stage and coverage on `today`."""
    return agreement_facts(session=session, agreements=[agreement], today=today,
                           dormant_days=get_settings().dormant_days)[agreement.id]


def clock_section(session: Session, agreement: Agreement, *, today: date, user: Optional[User]) -> None:
    """One agreement's clock and coverage; the secretariat edits the clock below."""
    facts = facts_of(session, agreement, today=today)
    st.subheader(t("The agreement's clock"))
    st.markdown("  \n".join(f"**{md_escape(k)}:** {md_escape(v)}" for k, v in clock_facts(agreement, facts).items()))
    if can_edit_structure(user):
        with st.expander(t("Change the dates and term")):
            with st.form(f"clock_{agreement.id}", enter_to_submit=False):
                data = clock_fields(agreement, prefix=f"clock{agreement.id}")
                if st.form_submit_button(t("Save dates and term"), type="primary"):
                    if save(lambda: set_clock(session=session, actor=user, agreement_id=agreement.id, data=data),
                            t("Dates and term saved.")):
                        st.rerun()


def expiring_section(session: Session, *, today: date, codes: tuple[str, ...] = ()) -> None:
    """The Overview's list: agreements in force whose expiry falls within 12 months, with the
    notice deadline (soonest first); `codes` narrows it as the Overview's agreement filter."""
    due, stated, total = _expiring(structure_version(session=session), today, tuple(codes), current_language())
    st.subheader(t("Agreements expiring within 12 months"))
    if not due:
        st.caption(t("None. {n} of {total} agreements state an expiry or a term.", n=stated, total=total))
        return
    clock_table(due, key="expiring_table")


@st.cache_data(max_entries=16, show_spinner=False)
def _expiring(version: int, today: date, codes: tuple[str, ...], lang: str) -> tuple[list, int, int]:
    """(code, title, clock) of the agreements expiring within the window, how many state an
    expiry, how many there are; rebuilt only when the agreements change (`version`: the
    structure counter, services/store/kept.py), not on every progress update."""
    with session_scope() as session:
        agreements = session.exec(select(Agreement).where(~Agreement.archived).order_by(Agreement.code)).all()
        clocks = agreement_clocks(agreements=agreements, today=today)
        by_id = {g.id: g for g in agreements if not codes or g.code in codes}
        due = [(by_id[f.agreement_id].code, display(by_id[f.agreement_id], "title", lang), f)
               for f in expiring_within(clocks.values(), days=EXPIRY_WINDOW_DAYS) if f.agreement_id in by_id]
    return due, sum(1 for f in clocks.values() if f.expiry is not None), len(clocks)


@st.cache_data(max_entries=16, show_spinner=False)
def _package(version: tuple, package_id: int, today: date, dormant_days: int, lang: str) -> tuple:
    with session_scope() as session:
        view = package_view(session=session, package_id=package_id, today=today, dormant_days=dormant_days,
                            lang=lang)
    rows = [
        {t("Code"): r.code, t("Agreement"): r.title, t("Malaysian lead"): f"{r.lead} — {r.lead_name}",
         t("Counterpart"): r.counterparts,
         t("Signed"): fmt_date(r.signed_on, "medium") if r.signed_on else t("Not stated"),
         t("Stage"): labels.stage_label(r.facts.stage, lang), t("Commitment coverage"): coverage_text(r.facts, lang),
         t("Dormant"): t("Dormant") if r.facts.dormant else "", **clock_columns(r.facts)}
        for r in view.rows
    ]
    return view, rows


def cached_package(session: Session, *, package_id: int, today: date, dormant_days: int) -> tuple[PackageView, list]:
    """The package view and its table rows, rebuilt only when the data changes (as the
    Overview's figures): a 500-agreement package costs one cheap query per rerun."""
    version = data_version(session=session)
    return _package(version, package_id, today, dormant_days, current_language())
