"""The page registry: each screen once, with the roles that see it (None: everyone signed in).
app.py builds st.navigation from this list for the current user's role."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    icon: str
    url_path: str
    roles: Optional[frozenset[str]] = None
    default: bool = False


ALL = None
STRUCTURE = frozenset({"secretariat", "admin"})
ADMIN = frozenset({"admin"})

PAGES: list[PageSpec] = [
    PageSpec("pages/overview.py", "Overview", ":material/dashboard:", "overview", ALL, default=True),
    PageSpec("pages/agreements.py", "Agreements", ":material/handshake:", "agreements", ALL),
    # Everyone exports; the page shows the import controls to secretariat and admin only.
    PageSpec("pages/reports.py", "Reports", ":material/table_view:", "reports", ALL),
]


def pages_for(role: Optional[str]) -> list[PageSpec]:
    return [p for p in PAGES if p.roles is None or (role is not None and role in p.roles)]
