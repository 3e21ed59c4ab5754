"""The meeting pack's package slide: when a body follows several agreements, one table of
their stage, commitment coverage, expiry and dormant flag. A separate function that the pack
calls through its `extra` hook (services/meetings/pack.py), so either can change alone."""
from __future__ import annotations

import textwrap
from datetime import date

from sqlmodel import Session, select

from core.settings import get_settings
from models import Agreement
from services import labels
from services.i18n.content import display
from services.i18n.translate import format_date, translator
from services.lifecycle.facts import agreement_facts
from services.lifecycle.words import coverage_text

MAX_ROWS = 14  # what fits above the sample-data footer; the rest is counted on the slide


def _title(text: str, width: int = 60) -> str:
    """A long title shortened between words (with …), never cut mid-word (as the pack's word_cut)."""
    return text if len(text) <= width else textwrap.shorten(text, width=width, placeholder=" …")


def package_slide(deck, agreement_ids: list[int], *, session: Session, today: date, lang: str = "en") -> bool:  # noqa: ANN001
    """Add the slide to `deck` (the pack's Deck) when there are two agreements or more; True if added."""
    if len(agreement_ids) < 2:
        return False
    _ = translator(lang)
    rows = session.exec(select(Agreement).where(Agreement.id.in_(agreement_ids)).order_by(Agreement.code)).all()
    facts = agreement_facts(session=session, agreements=rows, today=today, dormant_days=get_settings().dormant_days)
    slide = deck.slide(_("The agreements this body follows"))
    header = [_("Code"), _("Agreement"), _("Stage"), _("Commitment coverage"), _("Expires"), _("Dormant")]
    body = [[a.code, _title(display(a, "title", lang)), labels.stage_label(facts[a.id].stage, lang),
             coverage_text(facts[a.id], lang),
             format_date(facts[a.id].expiry, lang, "medium") if facts[a.id].expiry else _("Not stated"),
             _("Dormant") if facts[a.id].dormant else ""] for a in rows[:MAX_ROWS]]
    deck.table(slide, header, body, 0.4, 1.3, 12.5, [1.9, 4.2, 2.1, 1.9, 1.4, 1.0], size=11)
    if len(rows) > MAX_ROWS:
        deck.text(slide, _("and {n} more", n=len(rows) - MAX_ROWS), 0.4, 6.6, 12, 0.4, size=12)
    return True
