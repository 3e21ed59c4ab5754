"""The text gate on the tables themselves: every text attribute of every table, when set
through the ORM (a service, the seed, the command line, a later feature that forgot), passes
models/text.py's check_text when the row is flushed, before it can reach the database.

Services still call check_text (or clean_text) first, so a refusal reaches the user as a
sentence in their language; this listener is the floor under them: what a path forgot is
cleaned here, and text over a field's limit raises TextRefused instead of being stored on
SQLite and crashing on PostgreSQL. Core `insert()` statements (the synthetic generator's
bulk load) bypass the ORM and call `gate_row` themselves."""
from __future__ import annotations

import re
import typing
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Mapper

from models.tables import RAW_TEXT
from models.text import check_text


def _is_text(annotation: Any) -> bool:
    if annotation is str:
        return True
    return typing.get_origin(annotation) is typing.Union and str in typing.get_args(annotation)


def text_fields(table: type) -> list[str]:
    """The gated text fields of a table model (str or Optional[str], not in RAW_TEXT)."""
    return [name for name, info in table.model_fields.items()
            if _is_text(info.annotation) and (table.__name__, name) not in RAW_TEXT]


def gate_row(table: type, row: dict) -> dict:
    """`row` with each gated text value checked (for Core inserts); raises TextRefused."""
    fields = _fields(table)
    return {k: (_checked(table, k, v) if k in fields and isinstance(v, str) else v) for k, v in row.items()}


def _checked(table: type, field: str, value: str) -> "str | None":
    """check_text, except that a blank text for a NOT NULL column stays '' (the service chose
    to store "none" that way); None there would be a database error instead of a value."""
    gated = check_text(table, field, value)
    if gated is None and field in table.__table__.c and not table.__table__.c[field].nullable:
        return ""
    return gated


@event.listens_for(Mapper, "before_insert")
@event.listens_for(Mapper, "before_update")
def _gate_text_columns(mapper: Mapper, connection: Any, target: Any) -> None:
    """Each gated text attribute of a row about to be written, through check_text."""
    table = type(target)
    if not hasattr(table, "model_fields"):
        return
    for field in _fields(table):
        value = getattr(target, field, None)
        if isinstance(value, str):
            gated = _checked(table, field, value)
            if gated != value:
                setattr(target, field, gated)


def _fields(table: type) -> frozenset[str]:
    """text_fields(table), worked out once per table (a batch gates thousands of rows)."""
    if table not in _FIELDS:
        _FIELDS[table] = frozenset(text_fields(table))
    return _FIELDS[table]


_FIELDS: dict[type, frozenset[str]] = {}


# --- the output side: what a document writer may still meet ------------------------------
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_AS_LINE_BREAK = {"\x0b": "\n", "\x0c": "\n"}


def writable(text: str) -> str:
    """`text` as every output (xlsx, pptx, any XML 1.0 format) can hold it, for text that
    did not come through the gate (older rows, audit JSON, library output): Word's manual
    line break and form feed become line breaks, any other character XML cannot hold
    becomes U+FFFD (the replacement character), so a document never fails on stored text."""
    if not _UNWRITABLE.search(text):
        return text
    return _UNWRITABLE.sub(lambda m: _AS_LINE_BREAK.get(m.group(), "\ufffd"), text)
