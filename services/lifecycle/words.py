"""The clock in words, in one language: pages, the Excel Package sheet and the renewal brief
say "in 51 days", "5 years" and "3 of 4 areas (75%)" the same way."""
from __future__ import annotations

from typing import Optional

from services.i18n.translate import format_percent, gettext
from services.lifecycle.facts import AgreementFacts


def not_stated(lang: str) -> str:
    return gettext(lang, "Not stated")


def days_text(days: Optional[int], lang: str) -> str:
    """'in 51 days', '39 days ago', 'today'; 'Not stated' for None."""
    if days is None:
        return not_stated(lang)
    if days == 0:
        return gettext(lang, "today")
    if days > 0:
        return gettext(lang, "in 1 day") if days == 1 else gettext(lang, "in {n} days", n=days)
    return gettext(lang, "1 day ago") if days == -1 else gettext(lang, "{n} days ago", n=-days)


def term_text(months: Optional[int], lang: str) -> str:
    """'5 years', '18 months'; 'Not stated' for None."""
    if not months:
        return not_stated(lang)
    if months % 12 == 0:
        years = months // 12
        return gettext(lang, "1 year") if years == 1 else gettext(lang, "{n} years", n=years)
    return gettext(lang, "1 month") if months == 1 else gettext(lang, "{n} months", n=months)


def yes_no(value: Optional[bool], lang: str) -> str:
    if value is None:
        return not_stated(lang)
    return gettext(lang, "Yes") if value else gettext(lang, "No")


def coverage_text(facts: AgreementFacts, lang: str) -> str:
    """'3 of 4 areas (75%)', or 'Not yet broken down' when the agreement has no areas."""
    if not facts.broken_down:
        return gettext(lang, "Not yet broken down")
    return gettext(lang, "{covered} of {areas} areas ({share})", covered=facts.covered, areas=facts.areas,
                   share=format_percent(facts.coverage, lang, scale=1.0))
