"""The one translation hook. Every interface string goes through t(); the English text is
the key (gettext style): t("Due {d}", d=x). The catalogs and the formatting live in
services/i18n/translate.py, shared with the charts, the Excel report and the PowerPoint pack.

The language of a rerun: ?lang= in the URL, else the choice made in this browser session,
else the signed-in user's saved choice, else the browser's locale, else DEFAULT_LANGUAGE."""
from __future__ import annotations

import copy
import re
from datetime import date, datetime
from typing import Any, Optional

import streamlit as st

from core.settings import get_settings
from services.i18n import translate as core_i18n
from services.i18n import content
from services.errors import Plural, ServiceError
from services.i18n.translate import LANGUAGE_NAMES, LANGUAGES, choose_language, normalize_language

LANG_KEY = "lang"  # an explicit choice: the switch or a ?lang= link
SWITCH_KEY = "lang_switch"
RESOLVED_KEY = "_lang_resolved"
QUERY = "lang"
SWITCH_LABEL = "🌐 Bahasa · Language · 语言"  # in all three on purpose: see language_switch


def _browser_locale() -> Optional[str]:
    try:
        return st.context.locale
    except Exception:  # noqa: BLE001 - no browser context (bare script run): use the setting
        return None


def resolve_language(user_language: Optional[str] = None) -> str:
    """Decide this rerun's language once (app.py calls it before any page) and keep ?lang=
    in the URL when the language was chosen, so a copied link opens in the same language."""
    query = normalize_language(st.query_params.get(QUERY))
    if query:
        st.session_state[LANG_KEY] = query
    lang = choose_language(
        chosen=st.session_state.get(LANG_KEY), user=user_language,
        browser=_browser_locale(), default=get_settings().default_language,
    )
    if st.session_state.get(LANG_KEY) and st.query_params.get(QUERY) != lang:
        st.query_params[QUERY] = lang
    st.session_state[RESOLVED_KEY] = lang
    return lang


def current_language() -> str:
    lang = st.session_state.get(RESOLVED_KEY)
    return lang if lang in LANGUAGES else resolve_language()


def t(text: str, **values: object) -> str:
    return core_i18n.gettext(current_language(), text, **values)


def language_switch(*, save: Optional[Any] = None) -> None:
    """The sidebar switch. Each language is named in itself, so anyone can find their own
    whatever the current language; that is why its options do not go through t().
    `save(lang)` remembers the choice for a signed-in user."""
    st.session_state[SWITCH_KEY] = current_language()

    def on_change() -> None:
        lang = st.session_state[SWITCH_KEY]
        st.session_state[LANG_KEY] = lang
        st.session_state[RESOLVED_KEY] = lang
        st.query_params[QUERY] = lang
        if save is not None:
            try:
                save(lang)
            except ServiceError as exc:
                st.session_state["_lang_save_error"] = exc.text(lang)  # in the language just chosen

    st.segmented_control(
        SWITCH_LABEL, LANGUAGES, format_func=LANGUAGE_NAMES.get,
        key=SWITCH_KEY, on_change=on_change, selection_mode="single", required=True,
    )
    error = st.session_state.pop("_lang_save_error", None)
    if error:
        st.caption(error)


def fmt_date(value: Optional[date | datetime], fmt: str = "long") -> str:
    return core_i18n.format_date(value, current_language(), fmt)


def lang_key(name: str) -> str:
    """The key of a widget whose options are shown through t(): one widget per language.
    A keyed select box keeps its identity when only its labels change, and the browser then
    kept showing the old language's labels after a switch; with the language in the key the
    switch draws a new widget, seeded from the address bar like the old one (use it only
    for widgets whose value lives in the URL, or which pass it in again)."""
    return f"{name}_{current_language()}"


def carried_key(name: str) -> str:
    """lang_key for a widget whose value lives only in the session (a form's unsaved input):
    the value chosen under the previous language is carried over to this language's widget.
    Pass the widget its default only when the key is not yet set (Streamlit warns otherwise)."""
    key = lang_key(name)
    if key not in st.session_state:
        for lang in LANGUAGES:
            old = f"{name}_{lang}"
            if old != key and old in st.session_state:
                st.session_state[key] = st.session_state[old]
                break
    return key


def fmt_datetime(value: Optional[datetime], *, zone: bool = False) -> str:
    """A stored time in local time (TIMEZONE); name the zone once per screen (zone_label)."""
    return core_i18n.format_datetime(value, current_language(), zone=zone)


def zone_label() -> str:
    """The display zone in the user's language, for a column header: 'Waktu Malaysia (Kuala Lumpur)'."""
    return core_i18n.zone_name(current_language())


def date_format() -> str:
    """The date pickers' and date columns' format in this language (one per language)."""
    return core_i18n.date_input_format(current_language())


def fmt_percent(value: Optional[float]) -> str:
    return core_i18n.format_percent(value, current_language())


def local(obj: Any, field: str) -> str:
    """A per-language content field in the current language, marked when it falls back."""
    return content.display(obj, field, current_language())


DOCUMENT_LANGUAGES = ("en", "ms", "zh")


def document_language(label: str, *, container: Any = st, key: Optional[str] = None) -> str:
    """The language of a document the page writes (Excel report, meeting pack), each language
    named in itself as on the sidebar switch; the reader's own language first chosen."""
    return container.selectbox(label, list(DOCUMENT_LANGUAGES), format_func=LANGUAGE_NAMES.get, key=key,
                               index=DOCUMENT_LANGUAGES.index(current_language()))


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


def md_escape(text: Optional[str]) -> str:
    """Escape markdown so user text can never become a link, an image or formatting; its line
    breaks stay line breaks (Markdown would join two typed lines into one: "KD: Aisyah MOSTI: Lim")."""
    if not text:
        return ""
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\r\n", "\n").replace("\n", "  \n")


def error_md(value: object) -> str:
    """error_text for what renders Markdown (st.error, st.info, st.success, st.write...): the
    catalog's own text keeps its formatting, and every value put into it (a name, a title, a
    part inside an uploaded file) is escaped, so it can never become a link or formatting."""
    from services.errors import Joined, Message

    if isinstance(value, ServiceError):
        value = value.message
    if isinstance(value, Joined):
        return value.sep.join(error_md(p) for p in value.parts)
    if isinstance(value, Message):
        # A copy of the same kind (a plural form, a text made per language keep their own
        # way of choosing their words), with every value escaped.
        escaped = copy.copy(value)
        escaped.values = {k: _md_value(v) for k, v in value.values.items()}
        return escaped.text(current_language())
    return t(str(value))  # a catalog key without values


def _md_value(value: object) -> object:
    from services.errors import Message, render

    if isinstance(value, (Message, ServiceError)):
        return error_md(value)
    if isinstance(value, (str, date)):  # one line: a value cannot start a paragraph or a list
        return md_escape(" ".join(str(render(value, current_language())).split()))
    return value


def error_text(value: object) -> str:
    """A service's message (an error, a Message or a plain catalog key) in this rerun's language."""
    from services.errors import Message

    if isinstance(value, (Message, ServiceError)):
        return value.text(current_language())
    return t(str(value))


def tn(one: str, other: str, /, **values: object) -> str:
    """t() for a count before a noun: `one` or `other` by the language's plural rule for
    values["n"] (services.errors.Plural). Both keys are N_() literals: tn(N_("{n} row"),
    N_("{n} rows"), n=3). Raises KeyError when `n` is missing."""
    return Plural(one, other, **values).text(current_language())
