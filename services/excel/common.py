"""What the Excel report and the Excel import share: the Items sheet's columns, label
translation, status words in English and Malay, and safe text cells."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Optional

from services import labels
from services.i18n.translate import LANGUAGES, N_, gettext

ITEMS_SHEET = N_("Items")  # its name in the report's language; import knows it in any
TEXT_TRIGGERS = ("=", "+", "-", "@")


def label(text: str, lang: str = "en") -> str:
    """Every label the workbook shows passes here: the catalogs' text in `lang` (the English
    text is the key)."""
    if lang not in LANGUAGES:
        raise ValueError(f"Unknown report language '{lang}' (choose one of {', '.join(LANGUAGES)}).")
    return gettext(lang, text) if text else text


def items_sheet_names() -> set[str]:
    return {label(ITEMS_SHEET, lang) for lang in LANGUAGES}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int
    editable: bool = False
    kind: str = "text"  # text, int, date, datetime


# The Items sheet: import reads it back, so the keys are its contract.
ITEM_COLUMNS: list[Column] = [
    Column("id", N_("Item ID"), 9, kind="int"),
    Column("version", N_("Version"), 9, kind="int"),
    Column("agreement", N_("Agreement"), 20),
    Column("area", N_("Commitment area"), 34),
    Column("title", N_("Action item"), 50),
    Column("lead", N_("Lead"), 10),
    Column("rag", N_("RAG"), 12),
    Column("last_update", N_("Last update"), 14, kind="date"),
    Column("status", N_("Status"), 14, editable=True),
    Column("progress", N_("Progress (%)"), 12, editable=True, kind="int"),
    Column("due_date", N_("Due date"), 14, editable=True, kind="date"),
    Column("owner", N_("Owner"), 24, editable=True),
    Column("note", N_("Note"), 40, editable=True),
    Column("evidence", N_("Evidence link"), 34, editable=True),
]
LOCKED_CHECKED = ("agreement", "area", "title", "lead")


def status_label(status: str, lang: str = "en") -> str:
    return labels.status_label(status, lang)


def status_labels(lang: str = "en") -> list[str]:
    return [status_label(s, lang) for s in labels.STATUS_ORDER]


# Words officials type in their own trackers, matched case-insensitively.
_STATUS_WORDS: dict[str, str] = {
    "belum mula": "not_started", "belum bermula": "not_started", "tidak bermula": "not_started",
    "dalam pelaksanaan": "in_progress", "dalam proses": "in_progress",
    "sedang dilaksanakan": "in_progress", "sedang berjalan": "in_progress", "ongoing": "in_progress",
    "selesai": "completed", "siap": "completed", "done": "completed", "complete": "completed",
    "ditangguhkan": "on_hold", "tangguh": "on_hold", "dibatalkan": "cancelled", "batal": "cancelled",
}


def parse_status(value: Any) -> Optional[str]:
    """The status a cell means, or None when it is not one; labels in any report language,
    the stored values and the common Malay words are understood."""
    if value is None:
        return None
    word = " ".join(str(value).split()).casefold()
    return _status_words().get(word) or _STATUS_WORDS.get(word)


@lru_cache(maxsize=1)
def _status_words() -> dict[str, str]:
    """Every label and stored value -> status, built once (an import reads 10,000 cells)."""
    words: dict[str, str] = {}
    for key in reversed(labels.STATUS_ORDER):  # an earlier status wins a shared label, as before
        for lang in reversed(LANGUAGES):
            words[status_label(key, lang).casefold()] = key
        words[key] = key
    return words


def text_cell(ws, value: str):  # noqa: ANN001, ANN201
    """A cell that Excel shows as text even when it starts like a formula."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    return cell
