"""Finding interface English in something shown in Malay or Chinese: a page, a workbook, a
slide deck. A catalog key whose translation differs from its English text must not appear
(as a whole word). Content entered by people (titles, names, the source text) may be in
English on purpose, so every stored text value is taken out of the text first."""
from __future__ import annotations

import re
import string
from functools import lru_cache
from typing import Iterable

from sqlalchemy import String, Text
from sqlmodel import Session, SQLModel, select

from services.agreements.registry import clause_renderings
from services.i18n.translate import catalog
from ui.widgets import md_escape


def _fragments(key: str) -> list[str]:
    """The literal parts of a key ("{n} open items ..." -> ["open items ..."]), of 3+ letters."""
    parts = [literal.strip(" ·:,.()*") for literal, *_ in string.Formatter().parse(key)]
    return [p for p in parts if len(re.sub(r"[^A-Za-z]", "", p)) >= 3]


@lru_cache(maxsize=None)
def english_keys(lang: str) -> tuple[str, ...]:
    """Keys whose English differs from their translation and is not inside any translation."""
    translations = " ".join(catalog(lang).values())
    out = []
    for key, text in catalog(lang).items():
        if text == key:
            continue
        out += [f for f in _fragments(key) if f not in translations]
    return tuple(sorted(set(out), key=len, reverse=True))


def stored_texts(session: Session) -> list[str]:
    """Every string value stored in the database, longest first, plus the clause renderings."""
    values: set[str] = set(clause_renderings().values())
    for table in SQLModel.metadata.sorted_tables:
        # SQLModel's AutoString is a TypeDecorator over String: look at what it wraps.
        columns = [c for c in table.columns if isinstance(getattr(c.type, "impl", c.type), (String, Text))]
        for row in session.execute(select(*columns)).all() if columns else []:
            values.update(v for v in row if isinstance(v, str) and len(v) > 2)
    # as markdown shows them: escaped, with hard line breaks
    lines = {line.strip() for v in values for line in v.splitlines() if len(line.strip()) > 2}
    values |= lines | {md_escape(v) for v in values | lines}
    return sorted(values, key=len, reverse=True)


def leftovers(texts: Iterable[str], lang: str, session: Session) -> list[tuple[str, str]]:
    """(English key, the text it shows in) for every interface English left in `texts`."""
    content = stored_texts(session)
    found = []
    for text in texts:
        for value in content:
            text = text.replace(value, " ")
        for key in english_keys(lang):
            if re.search(rf"(?<![A-Za-z]){re.escape(key)}(?![A-Za-z])", text):
                found.append((key, text[:120]))
    return found
