"""Reading cell values the way officials type them: "50%", "0.5", 50; 16/04/2025,
16 Apr 2025, 16 April 2025, Malay month names and real Excel dates. Each parser returns
the value or raises BadValue (a ValueError) whose reason is a catalog Message."""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Optional

from models.text import clean_text
from services.errors import Message
from services.i18n.translate import N_

_MONTHS = {
    "jan": 1, "januari": 1, "january": 1, "feb": 2, "februari": 2, "february": 2,
    "mar": 3, "mac": 3, "march": 3, "apr": 4, "april": 4, "may": 5, "mei": 5,
    "jun": 6, "june": 6, "jul": 7, "julai": 7, "july": 7, "aug": 8, "ogo": 8, "ogos": 8,
    "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10, "okt": 10, "oktober": 10,
    "october": 10, "nov": 11, "november": 11, "dec": 12, "dis": 12, "disember": 12, "december": 12,
}
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_YEAR_FIRST = re.compile(r"^(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_CJK_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$")
_WORD_DATE = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s\-]+([^\W\d_]+)\.?,?[\s\-]+(\d{4})$")
_WORD_FIRST = re.compile(r"^([^\W\d_]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
NOT_A_DATE = N_("'{value}' is not a date this import can read (write 16/04/2025 or 16 Apr 2025)")
AMBIGUOUS = N_("'{value}' could be read two ways: write the month as a word (16 Apr 2025) or the year in full, "
               "day first")


class BadValue(ValueError):
    """A cell value that cannot be read; `message` says why in any language, str() in English."""

    def __init__(self, key: str, /, **values: Any):
        self.message = Message(key, **values)
        super().__init__(self.message)

    def __str__(self) -> str:
        return str(self.message)


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_progress(value: Any, *, percent_format: bool = False) -> Optional[int]:
    """Whole percent 0-100. A fraction up to 1 with a decimal point ("0.5") or a cell
    formatted as a percentage is read as a share; "50%" and 50 as percent."""
    if blank(value):
        return None
    if isinstance(value, bool):
        raise BadValue(N_("'{value}' is not a percentage"), value=value)
    if isinstance(value, (int, float)):
        number = float(value) * (100 if percent_format or (isinstance(value, float) and 0 < value < 1) else 1)
    else:
        text = decode_escapes(str(value)).strip().lstrip("'").replace(",", ".")
        share = text.endswith("%")
        try:
            number = float(text.rstrip("%").strip())
        except ValueError:
            raise BadValue(N_("'{value}' is not a percentage (write 50, 50% or 0.5)"), value=value) from None
        if not share and "." in text and 0 < number <= 1:
            number *= 100
    rounded = round(number)
    if abs(number - rounded) > 1e-6:
        raise BadValue(N_("{number} is not a whole percentage"), number=f"{number:g}")
    if not 0 <= rounded <= 100:
        raise BadValue(N_("progress must be between 0 and 100 (got {value})"), value=rounded)
    return int(rounded)


def parse_date(value: Any, *, month_first_seen: bool = False) -> Optional[date]:
    """A date cell (either date system: openpyxl applies the workbook's epoch) or a text date,
    day first as Malaysians write it, or year first. `month_first_seen`: the same column holds
    a date only readable month first (04/16/2025), so 03/04/2025 there is ambiguous.
    Raises BadValue for an ambiguous, impossible or unreadable date."""
    if blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)):
        raise BadValue(N_("{value} is a number, not a date: format the cell as a date or type 16/04/2025"),
                       value=value)
    text = " ".join(decode_escapes(str(value)).split())
    m = _NUMERIC_DATE.match(text)
    if m and (len(m[3]) == 2 or (month_first_seen and int(m[1]) <= 12 and int(m[2]) <= 12 and m[1] != m[2])):
        raise BadValue(AMBIGUOUS, value=text)
    try:
        return _text_date(text)
    except ValueError:
        raise BadValue(NOT_A_DATE, value=text) from None


def month_first_only(value: Any) -> bool:
    """Whether a text date can only be read month first (04/16/2025: there is no month 16)."""
    m = _NUMERIC_DATE.match(" ".join(str(value).split())) if isinstance(value, str) else None
    return bool(m and int(m[2]) > 12 and 1 <= int(m[1]) <= 12)


def _text_date(text: str) -> date:
    if m := _NUMERIC_DATE.match(text):
        day, month, year = (int(g) for g in m.groups())  # Malaysian order: day first
        return date(year, month, day)
    if m := _YEAR_FIRST.match(text) or _CJK_DATE.match(text):
        return date(int(m[1]), int(m[2]), int(m[3]))
    if m := _WORD_DATE.match(text):
        return date(int(m[3]), _month(m[2]), int(m[1]))
    if m := _WORD_FIRST.match(text):
        return date(int(m[3]), _month(m[1]), int(m[2]))
    raise ValueError(text)


def _month(word: str) -> int:
    month = _MONTHS.get(word.casefold())
    if month is None:
        raise ValueError(word)
    return month


def decode_escapes(text: str) -> str:
    """Excel's _xHHHH_ escapes (_x000D_ is a carriage return; _x005F_ an underscore) decoded."""
    return _ESCAPE.sub(lambda m: chr(int(m[1], 16)), text) if "_x" in text else text


def parse_text(value: Any) -> Optional[str]:
    """A cell's text as stored: escapes decoded, through the text gate's cleaning (line breaks
    unified, unstorable characters removed, NFC, trimmed); runs of spaces on one line closed
    up. Whole numbers lose their '.0'. Limits are checked by the caller (check_text)."""
    if isinstance(value, str) and value.isascii() and value.isprintable() and "_x" not in value:
        # Plain one-line text (most cells): nothing to decode or clean but the spaces.
        return " ".join(value.split()) or None
    if blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (datetime, date)):
        value = value.date().isoformat() if isinstance(value, datetime) else value.isoformat()
    text = clean_text(decode_escapes(str(value)))
    if text is None:
        return None
    return "\n".join(" ".join(line.split()) for line in text.split("\n")) if "\n" in text else " ".join(text.split())


def parse_int(value: Any) -> Optional[int]:
    if blank(value):
        return None
    if isinstance(value, str):
        value = value.strip().lstrip("'")
    if not value:
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    if text.isdigit():
        return int(text)
    raise BadValue(N_("'{value}' is not a whole number"), value=value)
