"""Content that exists per language (agreement, area and item titles, organisation names):
the chosen language's text, or another language's with a visible marker."""
from __future__ import annotations

from typing import Any, Optional

# When the chosen language is missing, the text shown comes from the next of these.
FALLBACK_ORDER: dict[str, tuple[str, ...]] = {
    "en": ("en", "ms", "zh"),
    "ms": ("ms", "en", "zh"),
    "zh": ("zh", "en", "ms"),
}


def _column(obj: Any, field: str, lang: str) -> Optional[str]:
    """ActionItem keeps English in `title`; the other tables in `<field>_en`."""
    name = f"{field}_{lang}"
    if lang == "en" and not hasattr(obj, name):
        name = field
    value = getattr(obj, name, None)
    return value.strip() if isinstance(value, str) and value.strip() else None


def pick(obj: Any, field: str, lang: str) -> tuple[str, Optional[str]]:
    """(text, language it is in); ("", None) when no language has it."""
    for candidate in FALLBACK_ORDER.get(lang, FALLBACK_ORDER["en"]):
        value = _column(obj, field, candidate)
        if value:
            return value, candidate
    return "", None


def localized(obj: Any, field: str, lang: str) -> tuple[str, bool]:
    """(text, is_fallback): is_fallback when the text is not in `lang`."""
    text, source = pick(obj, field, lang)
    return text, source is not None and source != lang


def fallback_marker(source: str) -> str:
    return f"‹{source.upper()}›"


def display(obj: Any, field: str, lang: str) -> str:
    """The text to show: '‹EN› MoU on ...' when it falls back to English."""
    text, source = pick(obj, field, lang)
    if source is None or source == lang:
        return text
    return f"{fallback_marker(source)} {text}"
