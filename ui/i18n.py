"""The one translation hook. Every interface string goes through t(); the English text is
the key (gettext style). Until the catalogs exist (issue 7) it returns the English text."""
from __future__ import annotations


def t(text: str, **values: object) -> str:
    return text.format(**values) if values else text
