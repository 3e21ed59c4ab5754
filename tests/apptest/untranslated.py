"""Finding interface English on a page shown in Malay or Chinese.

A catalog key whose translation differs from its English text must not appear on the page
(as a whole word). Content entered by people (titles, names, the source text) may be in
English on purpose, so every stored text value is taken out of the page's text first."""
from __future__ import annotations

import re
import string
from functools import lru_cache

from sqlalchemy import String, Text, inspect
from sqlmodel import SQLModel, Session, select

from services.agreements import clause_renderings
from services.i18n import catalog, gettext


def _fragments(key: str) -> list[str]:
    """The literal parts of a key ("{n} open items ..." -> ["open items ..."]), of 3+ letters."""
    parts = [literal.strip(" ·:,.()") for literal, *_ in string.Formatter().parse(key)]
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
        columns = [c for c in table.columns if isinstance(c.type, (String, Text))]
        for row in session.execute(select(*columns)).all() if columns else []:
            values.update(v for v in row if isinstance(v, str) and len(v) > 2)
    return sorted(values, key=len, reverse=True)


def page_texts(at) -> list[str]:  # noqa: ANN001
    """What a reader sees: titles, text, labels, help, options, table headers and cells."""
    out: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "warning", "info", "error", "success"):
        out += [str(e.value) for e in at.get(kind)]
    for m in at.metric:
        out += [str(m.label), str(m.value), m.proto.help]
    for w in (*at.selectbox, *at.button_group, *at.text_input, *at.button, *at.radio):
        out += [str(w.label), *(str(o) for o in getattr(w, "options", []))]
    out += [e.label for e in at.expander]
    for frame in at.dataframe:
        df = frame.value
        out += [str(c) for c in df.columns]
        out += [str(v) for col in df.columns for v in df[col] if isinstance(v, str)]
    return [s for s in out if s]


def untranslated(at, lang: str, session: Session) -> list[tuple[str, str]]:  # noqa: ANN001
    """(English key, where it shows) for every leftover on the page."""
    content = stored_texts(session)
    found = []
    for text in page_texts(at):
        for value in content:
            text = text.replace(value, " ")
        for key in english_keys(lang):
            if re.search(rf"(?<![A-Za-z]){re.escape(key)}(?![A-Za-z])", text):
                found.append((key, text[:120]))
    return found


def translated(lang: str, key: str, **values: object) -> str:
    return gettext(lang, key, **values)
