"""The one gate for text: every path that writes a text column (forms, the bulk grid, the
Excel import, the command line, the seed, meetings, accounts, migrations) passes the value
through `check_text` first, so the store only ever holds what XML 1.0 and the Office formats
can hold, in one normal form, within the limit declared on the table's field.

What `clean_text` does with each kind of character (README "Text the tracker accepts"):
- CR LF and a lone CR become LF (one line break, whatever system the text came from);
- vertical tab (Word's manual line break, Shift+Enter), form feed, U+2028 LINE SEPARATOR and
  U+2029 PARAGRAPH SEPARATOR become LF: they meant a line break;
- every other C0 control except TAB and LF (NUL, BEL, ESC, ...), the non-characters U+FFFE and
  U+FFFF and lone surrogates are removed: XML 1.0 cannot hold them and they carry no text;
- the text is normalised to NFC (a composed 'é', as typed, not 'e' + combining accent);
- surrounding whitespace is trimmed; what is left empty becomes None.
Lengths count characters (code points), as PostgreSQL's VARCHAR(n) does."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Optional

from annotated_types import MaxLen


def N_(text: str) -> str:  # noqa: N802 - marks a catalog key (extracted by babel.cfg's models/ entry)
    return text


TOO_LONG = N_("{field} is {length} characters long; the limit is {limit}.")
REQUIRED = N_("{field} is required.")

_LINE_BREAK = re.compile("\r\n?|[\x0b\x0c\u2028\u2029]")
_DROP = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


class TextRefused(ValueError):
    """A text too long for its field, or a required text missing.

    `field` is the column name, `label` the name shown to the user (English; the services
    translate it with the catalog), `limit` the max length (None for unlimited text) and
    `length` the cleaned text's length (0 when missing). `key` and `values` are the catalog
    message and its placeholders; `str(exc)` is the English sentence."""

    def __init__(self, field: str, limit: Optional[int], length: int, *, label: Optional[str] = None):
        self.field, self.limit, self.length = field, limit, length
        self.label = label or field_label(field)
        self.missing = length == 0
        self.key = REQUIRED if self.missing else TOO_LONG
        self.values: dict[str, object] = (
            {"field": self.label} if self.missing else {"field": self.label, "length": length, "limit": limit}
        )
        super().__init__(self.key.format(**self.values))


def field_label(field: str) -> str:
    """'owner_name' -> 'Owner name': the English label of a column with no label given."""
    words = field.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def clean_text(value: Optional[str]) -> Optional[str]:
    """The stored form of a text: line breaks unified, unstorable characters removed, NFC,
    trimmed; None for None and for text that is empty once cleaned. Raises TypeError for a
    value that is not a str (a caller's bug: numbers and dates are formatted by the caller)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"clean_text takes a str or None, not {type(value).__name__}")
    if value.isascii() and value.isprintable():
        # Printable ASCII holds no line break, control character or decomposed letter: only
        # the trim applies (most cells of a 10,000-row import take this path).
        return value.strip() or None
    text = _DROP.sub("", _LINE_BREAK.sub("\n", value))
    text = unicodedata.normalize("NFC", text).strip()
    return text or None


@lru_cache(maxsize=None)
def text_limit(table: type, field: str) -> Optional[int]:
    """The max_length declared on `table`'s SQLModel field; None for unlimited text (Text
    columns). Raises KeyError when the table has no such field."""
    info = table.model_fields[field]
    limits = [m.max_length for m in info.metadata if isinstance(m, MaxLen)]
    return min(limits) if limits else None


def check_text(table: type, field: str, value: Optional[str], *, required: bool = False,
               label: Optional[str] = None) -> Optional[str]:
    """`clean_text(value)`, checked against `table.field`'s limit: the text to store (None
    when blank and not required). Raises TextRefused when it is too long, or blank and
    `required`; KeyError for an unknown field; TypeError for a value that is not text."""
    limit = text_limit(table, field)
    text = clean_text(value)
    if text is None:
        if required:
            raise TextRefused(field, limit, 0, label=label)
        return None
    if limit is not None and len(text) > limit:
        raise TextRefused(field, limit, len(text), label=label)
    return text
