"""Reading cell values the way officials type them: "50%", "0.5", 50; 16/04/2025,
16 Apr 2025, 16 April 2025, Malay month names and real Excel dates. Each parser returns
the value or raises BadValue (a ValueError) whose reason is a catalog Message."""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Optional

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
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_WORD_DATE = re.compile(r"^(\d{1,2})[\s\-]+([A-Za-z]+)\.?,?[\s\-]+(\d{4})$")


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
        text = str(value).strip().replace(",", ".")
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


def parse_date(value: Any) -> Optional[date]:
    if blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = " ".join(str(value).split())
    try:
        return _text_date(text)
    except ValueError:
        raise BadValue(N_("'{value}' is not a date this import can read (write 16/04/2025 or 16 Apr 2025)"),
                       value=value) from None


def _text_date(text: str) -> date:
    if m := _NUMERIC_DATE.match(text):
        day, month, year = (int(g) for g in m.groups())  # Malaysian order: day first
        return date(year + 2000 if year < 100 else year, month, day)
    if m := _ISO_DATE.match(text):
        return date(int(m[1]), int(m[2]), int(m[3]))
    if m := _WORD_DATE.match(text):
        month = _MONTHS.get(m[2].casefold())
        if month is None:
            raise ValueError(text)
        return date(int(m[3]), month, int(m[1]))
    raise ValueError(text)


def parse_text(value: Any) -> Optional[str]:
    if blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split()) if "\n" not in str(value) else str(value).strip()


def parse_int(value: Any) -> Optional[int]:
    if blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    if text.isdigit():
        return int(text)
    raise BadValue(N_("'{value}' is not a whole number"), value=value)
