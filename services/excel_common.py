"""What the Excel report and the Excel import share: the Items sheet's columns, label
translation, status words in English and Malay, and safe text cells."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from services import styles

LANGUAGES = ("en", "ms", "zh")
ITEMS_SHEET = "Items"
TEXT_TRIGGERS = ("=", "+", "-", "@")


def label(text: str, lang: str = "en") -> str:
    """Every label the workbook shows passes here, so issue 7's catalogs can plug in.
    The English text is the key; until catalogs exist every language returns it."""
    if lang not in LANGUAGES:
        raise ValueError(f"Unknown report language '{lang}' (choose one of {', '.join(LANGUAGES)}).")
    return text


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int
    editable: bool = False
    kind: str = "text"  # text, int, date, datetime


# The Items sheet: import reads it back, so the keys are its contract.
ITEM_COLUMNS: list[Column] = [
    Column("id", "Item ID", 9, kind="int"),
    Column("version", "Version", 9, kind="int"),
    Column("agreement", "Agreement", 20),
    Column("area", "Commitment area", 34),
    Column("title", "Action item", 50),
    Column("lead", "Lead", 10),
    Column("rag", "RAG", 12),
    Column("last_update", "Last update", 14, kind="date"),
    Column("status", "Status", 14, editable=True),
    Column("progress", "Progress (%)", 12, editable=True, kind="int"),
    Column("due_date", "Due date", 14, editable=True, kind="date"),
    Column("owner", "Owner", 24, editable=True),
    Column("note", "Note", 40, editable=True),
    Column("evidence", "Evidence link", 34, editable=True),
]
LOCKED_CHECKED = ("agreement", "area", "title", "lead")


def status_label(status: str, lang: str = "en") -> str:
    return label(styles.STATUS_LABELS.get(status, status), lang)


def status_labels(lang: str = "en") -> list[str]:
    return [status_label(s, lang) for s in styles.STATUS_ORDER]


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
    for key in styles.STATUS_ORDER:
        if word == key or any(word == status_label(key, lang).casefold() for lang in LANGUAGES):
            return key
    return _STATUS_WORDS.get(word)


def text_cell(ws, value: str):  # noqa: ANN001
    """A cell that Excel shows as text even when it starts like a formula."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    return cell


def safe(ws, value: Any) -> Any:  # noqa: ANN001
    """User text starting with = + - @ becomes a text cell; anything else passes as is."""
    if isinstance(value, str) and value.startswith(TEXT_TRIGGERS):
        return text_cell(ws, value)
    return value
