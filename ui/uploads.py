"""An uploaded workbook is parsed once per upload, not at every click on the page.

Streamlit reruns the whole page at each click; the import's plan (services/excel/imports) is
kept in a store shared by the process (PlanStore, held in Streamlit's resource cache: shared,
not copied, as a plan holds values pickle cannot copy and nothing changes a plan once read)
keyed by the file's SHA-256, the sheet, header row and column mapping chosen, the account and
the data version (services.overview.filtered.data_version), so any change in the database
(another user's save, this import applied) plans again. A refusal is kept as well, so a
refused large file is not read again at every click. The store holds a few plans for a
quarter of an hour; the bytes themselves stay in the uploader only. Reading a plan that is not
in the store shows a progress bar with the rows checked (row_progress)."""
from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager
from datetime import date
from typing import Callable, Iterator, Optional

import streamlit as st

from core.db import new_session
from models import User
from services.errors import Message, ServiceError
from services.excel.imports.items_sheet import read_import
from services.excel.imports.plan import ImportPlan, Progress
from services.excel.imports.reader import SheetChoice
from services.excel.imports.source import workbook_sheets
from services.i18n.translate import N_
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


class PlanStore:
    """A few recent plans (or refusals), each kept `ttl` seconds, the oldest dropped first;
    safe to share between the sessions of one process."""

    def __init__(self, max_entries: int = 4, ttl: float = 900) -> None:
        self._items: OrderedDict[tuple, tuple[float, tuple]] = OrderedDict()
        self._lock = threading.Lock()
        self.max_entries, self.ttl = max_entries, ttl

    def get(self, key: tuple) -> Optional[tuple]:
        with self._lock:
            found = self._items.get(key)
            if found is None or time.monotonic() - found[0] > self.ttl:
                self._items.pop(key, None)
                return None
            self._items.move_to_end(key)
            return found[1]

    def put(self, key: tuple, value: tuple) -> None:
        with self._lock:
            self._items[key] = (time.monotonic(), value)
            self._items.move_to_end(key)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)


@st.cache_resource(show_spinner=False)
def _plans() -> PlanStore:
    return PlanStore()


@contextmanager
def row_progress(text: str) -> Iterator[Progress]:
    """A progress bar under `text` (a catalog key with {done} and {total}) for as long as the
    block runs; yields the callback a service reports rows to. The bar is removed at the end."""
    bar = st.empty()

    def report(done: int, total: int) -> None:
        bar.progress(done / total if total else 1.0, text=t(text, done=done, total=total))

    try:
        yield report
    finally:
        bar.empty()


def _read_plan(user_id: int, filename: str, today: date, sheet: str, header_row: Optional[int],
               mapping: Optional[tuple], statuses: Optional[tuple], data: bytes,
               progress: Callable[[int, int], None]) -> tuple[Optional[ImportPlan], Optional[Message]]:
    with new_session(get_engine()) as session:
        try:
            plan = read_import(session=session, actor=session.get(User, user_id), data=data, filename=filename,
                               today=today, sheet=sheet, header_row=header_row,
                               mapping=dict(mapping) if mapping is not None else None,
                               statuses=dict(statuses) if statuses is not None else None, progress=progress)
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
    """The import's plan for this upload and these choices, read once (raises ServiceError);
    a progress bar counts the rows while it is read."""
    mapped = tuple(sorted(mapping.items())) if mapping is not None else None
    words = tuple(sorted(statuses.items())) if statuses is not None else None
    key = (digest(data), user.id, data_version(), filename, today, sheet, header_row, mapped, words)
    found = _plans().get(key)
    if found is None:
        with st.spinner(t("Reading the workbook…")), row_progress(N_("Checking rows: {done} of {total}…")) as report:
            found = _read_plan(user.id, filename, today, sheet, header_row, mapped, words, data, report)
        _plans().put(key, found)
    plan, refusal = found
    if refusal is not None:
        raise ServiceError(refusal)
    return plan
