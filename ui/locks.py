"""The Users page's sign-in locks: accounts locked after failed sign-ins and network addresses
made to wait (services/accounts/throttle.py), each lifted by an administrator in one click."""
from __future__ import annotations

import streamlit as st

from services.accounts.throttle import lift_address_wait, list_locks, unlock_account
from services.errors import ServiceError
from ui.db import session_scope
from ui.i18n import error_md, md_escape, t
from ui.session import current_user, now


def locks_panel() -> None:
    st.subheader(t("Sign-in locks"))
    with session_scope() as session:
        locks = list_locks(session=session, actor=current_user(session), now=now())
    if not locks:
        st.caption(t("No account is locked and no network address is waiting."))
        return
    kinds = {"account": t("Account"), "address": t("Network address")}
    st.dataframe([{t("Locked"): kinds[lock.kind], t("Who"): lock.key,
                   t("Until (UTC)"): f"{lock.until:%Y-%m-%d %H:%M:%S}",
                   t("Failed sign-ins"): "" if lock.failures is None else lock.failures} for lock in locks],
                 hide_index=True, width="stretch")
    options = list(range(len(locks)))
    pick = st.selectbox(t("Lift the lock of"), options, key="locks_pick",
                        format_func=lambda i: f"{kinds[locks[i].kind]}: {locks[i].key}")
    if st.button(t("Lift the lock"), key="locks_lift"):
        lock = locks[pick]
        with session_scope() as session:
            try:
                if lock.kind == "account":
                    unlock_account(session=session, actor=current_user(session), username=lock.key, now=now())
                else:
                    lift_address_wait(session=session, actor=current_user(session), address=lock.key, now=now())
            except ServiceError as exc:
                st.error(error_md(exc))
                return
        st.session_state["users_flash"] = t("Lock of {who} lifted.", who=md_escape(lock.key))
        st.rerun()
