"""The Users page's backup download: a fresh, consistent copy of the whole store, built only
when an administrator presses the button (after the session check of ui/downloads.py), and
recorded in the audit trail (services/store/backup.py)."""
from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

import streamlit as st

from models import Role, User
from services.store.backup import download_backup
from ui.db import get_engine
from ui.downloads import file_stamp, guarded_download
from ui.i18n import t
from ui.session import now as now_utc


def is_admin(user: User) -> bool:
    return user.role == Role.ADMIN.value and not user.disabled


def build_backup(session, user: User, now: datetime) -> bytes:  # noqa: ANN001
    """The backup's bytes; the download is audited in `session`, committed here."""
    with tempfile.TemporaryDirectory() as tmp:
        path = download_backup(session=session, engine=get_engine(), actor=user, workdir=Path(tmp))
        session.commit()
        return path.read_bytes()


def backup_section() -> None:
    st.subheader(t("Backup"))
    st.caption(t("A consistent copy of the whole database, made when you press the button. Keep it off this "
                 "machine; restore it into an empty database with: python manage.py restore FILE"))
    suffix = ".sqlite3" if get_engine().dialect.name == "sqlite" else ".pgdump"
    guarded_download(t("Download a backup of the database"), key="users_backup", build=build_backup, may=is_admin,
                     file_name=f"mou-tracker-backup-{file_stamp(now_utc())}{suffix}",
                     mime="application/octet-stream", icon=":material/backup:")
