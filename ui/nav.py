"""The page registry: each screen once, with the roles that see it (None: everyone signed in).
app.py builds st.navigation from this list for the current user's role; a signed-out
visitor gets SIGNIN and nothing else."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from services.i18n.translate import N_
from services.permissions import ADMIN_ROLES, AUDIT_ROLES, STRUCTURE_ROLES


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str  # English, marked with N_ and translated by app.py
    icon: str
    url_path: str
    roles: Optional[frozenset[str]] = None
    default: bool = False
    hidden: bool = False  # reached by links (e.g. ?id=), not listed in the menu


ALL = None
STRUCTURE, AUDIT, ADMIN = STRUCTURE_ROLES, AUDIT_ROLES, ADMIN_ROLES

SIGNIN = PageSpec("views/signin.py", N_("Sign in"), ":material/login:", "signin", default=True)

PAGES: list[PageSpec] = [
    PageSpec("views/overview.py", N_("Overview"), ":material/dashboard:", "overview", ALL, default=True),
    PageSpec("views/agreements.py", N_("Agreements"), ":material/handshake:", "agreements", ALL),
    PageSpec("views/package.py", N_("Package of a visit"), ":material/inventory_2:", "package", ALL),
    PageSpec("views/items.py", N_("Action items"), ":material/checklist:", "items", ALL),
    PageSpec("views/item.py", N_("Action item"), ":material/edit_note:", "item", ALL, hidden=True),
    PageSpec("views/meetings.py", N_("Meetings"), ":material/groups:", "meetings", ALL),
    PageSpec("views/meeting_mode.py", N_("Meeting mode"), ":material/co_present:", "meeting_mode", ALL),
    # Everyone exports; the page shows the import controls to secretariat and admin only.
    PageSpec("views/reports.py", N_("Reports"), ":material/table_view:", "reports", ALL),
    PageSpec("views/setup.py", N_("Set-up"), ":material/settings:", "setup", STRUCTURE),
    PageSpec("views/audit.py", N_("Audit trail"), ":material/receipt_long:", "audit", AUDIT),
    PageSpec("views/admin_users.py", N_("Users"), ":material/group:", "users", ADMIN),
    PageSpec("views/account.py", N_("My account"), ":material/person:", "account", ALL),
]


def pages_for(role: Optional[str]) -> list[PageSpec]:
    """The pages of a signed-in role; nothing but the sign-in page for a visitor."""
    if role is None:
        return [SIGNIN]
    return [p for p in PAGES if p.roles is None or role in p.roles]


def role_lacks_page(spec: PageSpec) -> None:
    """What a signed-in user sees at the address of a page their role does not include
    (Streamlit's own notice was an English 'Page not found')."""
    import streamlit as st

    from ui.i18n import t

    st.title(t(spec.title))
    st.warning(t("Your role does not include this page. Ask an administrator if you need it."),
               icon=":material/lock:")
    st.page_link(next(p.path for p in PAGES if p.default), label=t("Go to the Overview"), icon=":material/dashboard:")
