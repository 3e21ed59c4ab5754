"""An uploaded workbook is parsed once per upload, not at every click on the page.

Streamlit reruns the whole page at each click; the import's plan (services/excel/imports) is
kept in Streamlit's resource cache (shared, not copied: a plan holds values pickle cannot
copy, and nothing changes a plan once read) keyed by the file's SHA-256, the sheet, header row and column
mapping chosen, the account and the data version (services.overview.filtered.data_version),
so any change in the database (another user's save, this import applied) plans again. A
refusal is kept as well, so a refused large file is not read again at every click. The cache
holds a few plans for a quarter of an hour; the bytes themselves stay in the uploader only."""
from __future__ import annotations

import hashlib
from datetime import date
from typing import Optional

import streamlit as st

from core.db import new_session
from models import User
from services.errors import Message, ServiceError
from services.excel.imports.items_sheet import read_import
from services.excel.imports.plan import ImportPlan
from services.excel.imports.reader import SheetChoice
from services.excel.imports.source import workbook_sheets
from ui.charts import data_version
from ui.db import get_engine
from ui.i18n import t


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@st.cache_resource(max_entries=4, ttl=900, show_spinner=False)
def _sheets(key: str, filename: str, _data: bytes) -> tuple[Optional[list[SheetChoice]], Optional[Message]]:
    try:
        return workbook_sheets(data=_data, filename=filename), None
    except ServiceError as exc:
        return None, exc.message


@st.cache_resource(max_entries=4, ttl=900, show_spinner=False)
def _plan(key: str, user_id: int, version: tuple, filename: str, today: date, sheet: str, header_row: Optional[int],
          mapping: Optional[tuple], statuses: Optional[tuple], _data: bytes) -> tuple[Optional[ImportPlan], Optional[Message]]:
    with new_session(get_engine()) as session:
        try:
            plan = read_import(session=session, actor=session.get(User, user_id), data=_data, filename=filename,
                               today=today, sheet=sheet, header_row=header_row,
                               mapping=dict(mapping) if mapping is not None else None,
                               statuses=dict(statuses) if statuses is not None else None)
        except ServiceError as exc:
            return None, exc.message
    return plan, None


def sheets_of(data: bytes, filename: str) -> list[SheetChoice]:
    """The workbook's sheets, hidden ones marked (raises ServiceError for a refused file)."""
    with st.spinner(t("Checking the file…")):
        names, refusal = _sheets(digest(data), filename, data)
    if refusal is not None:
        raise ServiceError(refusal)
    return names


def plan_of(user: User, data: bytes, filename: str, *, today: date, sheet: str, header_row: Optional[int],
            mapping: Optional[dict] = None, statuses: Optional[dict] = None) -> ImportPlan:
    """The import's plan for this upload and these choices, read once (raises ServiceError)."""
    with st.spinner(t("Reading the workbook…")):
        plan, refusal = _plan(digest(data), user.id, data_version(), filename, today, sheet, header_row,
                              tuple(sorted(mapping.items())) if mapping is not None else None,
                              tuple(sorted(statuses.items())) if statuses is not None else None, data)
    if refusal is not None:
        raise ServiceError(refusal)
    return plan
