"""Users (administrators): accounts, roles, passwords; and removing the sample data."""
import streamlit as st

from services.errors import ServiceError
from services.permissions import ROLES
from services.seeding.sample import has_sample, remove_sample
from services.accounts.users import (
    change_user_role, create_user, list_users, organisation_acronyms, reset_password, set_user_disabled,
)
from ui.db import session_scope
from ui.i18n import error_md, md_escape, t
from ui.backup import backup_section
from ui.locks import locks_panel
from ui.session import current_user, now
from ui.widgets import role_label, sample_banner

st.title(t("Users"))


def run(action, success: str, **kw) -> None:  # noqa: ANN001
    """Call a service as the signed-in admin; show its refusal as a message, not a traceback."""
    with session_scope() as session:
        try:
            action(session=session, actor=current_user(session), **kw)
        except ServiceError as exc:
            st.error(error_md(exc))
        else:
            st.session_state["users_flash"] = success
            st.rerun()


with session_scope() as session:
    sample_banner(session)
    rows = list_users(session=session, actor=current_user(session))
    orgs = organisation_acronyms(session=session)
    sample_loaded = has_sample(session)

if flash := st.session_state.pop("users_flash", None):
    st.success(flash)
st.dataframe(
    [{t("Username"): r.username, t("Name"): r.display_name, t("E-mail"): r.email or "", t("Role"): role_label(r.role),
      t("Organisation"): r.organisation or "", t("Status"): t("disabled") if r.disabled else t("active"),
      t("Locked until (UTC)"): f"{r.locked_until:%Y-%m-%d %H:%M}" if r.locked_until else "",
      t("Sample"): t("yes") if r.is_sample else ""} for r in rows],
    hide_index=True, width="stretch",
)

with st.expander(t("Create an account")):
    with st.form("create_user", clear_on_submit=False, enter_to_submit=False):
        c1, c2 = st.columns(2)
        username = c1.text_input(t("Username"), max_chars=64)
        display = c2.text_input(t("Display name"), max_chars=200)
        email = c1.text_input(t("E-mail (for single sign-on)"), max_chars=320)
        role = c2.selectbox(t("Role"), ROLES, format_func=role_label)
        org = c1.selectbox(t("Organisation"), orgs)
        password = c2.text_input(t("Initial password (8 to 1024 characters)"), type="password", max_chars=1024)
        if st.form_submit_button(t("Create account"), type="primary"):
            run(create_user, t("Account {u} created.", u=md_escape(username.strip().lower())), username=username,
                role=role, organisation=org, display_name=display, email=email, password=password or None)

st.subheader(t("Manage an account"))
by_id = {r.id: r for r in rows}
chosen = st.selectbox(t("Account"), list(by_id), format_func=lambda i: f"{by_id[i].username} ({role_label(by_id[i].role)})",
                      key="users_chosen")
if chosen is not None:
    target = by_id[chosen]
    left, mid, right = st.columns(3)
    with left:
        label = t("Enable account") if target.disabled else t("Disable account")
        if st.button(label, key="users_toggle"):
            run(set_user_disabled, t("Account {u} updated.", u=md_escape(target.username)), user_id=chosen,
                disabled=not target.disabled, now=now())
    with mid:
        with st.form("reset_password", clear_on_submit=True, enter_to_submit=False):
            new_pw = st.text_input(t("New password"), type="password", max_chars=1024)
            if st.form_submit_button(t("Reset password")):
                run(reset_password, t("Password of {u} reset; tell them privately.", u=md_escape(target.username)),
                    user_id=chosen, new_password=new_pw, now=now())
    with right:
        with st.form("change_role", enter_to_submit=False):
            new_role = st.selectbox(t("Role"), ROLES, index=ROLES.index(target.role), format_func=role_label)
            new_org = st.selectbox(t("Organisation"), orgs,
                                   index=orgs.index(target.organisation) if target.organisation in orgs else 0)
            if st.form_submit_button(t("Change role")):
                run(change_user_role, t("Role of {u} changed.", u=md_escape(target.username)), user_id=chosen,
                    role=new_role, organisation=new_org)

locks_panel()
backup_section()

st.subheader(t("Sample data"))
if sample_loaded:
    st.caption(t("Removes every [Sample] item, its history, milestones and meetings, and disables the demo "
                 "accounts. The facts from the source document stay."))
    confirm = st.checkbox(t("I understand: remove all sample data"), key="users_confirm_sample")
    if st.button(t("Remove all sample data"), disabled=not confirm, key="users_remove_sample"):
        run(remove_sample, t("Sample data removed."))
else:
    st.caption(t("No sample data is loaded."))
