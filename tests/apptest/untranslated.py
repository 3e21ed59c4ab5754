"""What a reader sees on an AppTest page, and the interface English left on it."""
from __future__ import annotations

from sqlmodel import Session

from services.i18n.translate import LANGUAGE_NAMES, gettext
from tests.i18n_check import leftovers
from ui.i18n import SWITCH_LABEL


def page_texts(at) -> list[str]:
    """Titles, text, labels, help, options, table headers and cells."""
    out: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "warning", "info", "error", "success"):
        out += [str(e.value) for e in at.get(kind)]
    for m in at.metric:
        out += [str(m.label), str(m.value), m.proto.help, m.proto.delta]
    for w in (*at.selectbox, *at.multiselect, *at.button_group, *at.text_input, *at.button, *at.radio,
              *at.date_input, *at.number_input, *at.checkbox, *at.toggle, *at.text_area):
        out += [str(w.label), str(getattr(w.proto, "help", "") or ""), *(str(o) for o in getattr(w, "options", []))]
    # An empty multiselect shows its placeholder; without one, the browser shows Streamlit's
    # own English "Choose options" (a catalog key too, so an unset one is caught here).
    out += [w.proto.placeholder.strip() or "Choose options" for w in at.multiselect]
    out += [e.label for e in at.expander] + [tab.label for tab in at.tabs]
    for frame in at.dataframe:
        df = frame.value
        out += [str(c) for c in df.columns]
        out += [str(v) for col in df.columns for v in df[col] if isinstance(v, str)]
    return [s for s in out if s]


def untranslated(at, lang: str, session: Session) -> list[tuple[str, str]]:
    """The language switch names each language in itself, in every language: not a leftover."""
    own_names = {SWITCH_LABEL, *LANGUAGE_NAMES.values()}
    return leftovers([s for s in page_texts(at) if s not in own_names], lang, session)


def translated(lang: str, key: str, **values: object) -> str:
    return gettext(lang, key, **values)
