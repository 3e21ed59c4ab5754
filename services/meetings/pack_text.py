"""The meeting pack's own words, in the language a pack is made in. The English text is the
catalog key (locales/*), translated like every interface string; titles of agreements and
areas come from their per-language columns, marked when they fall back to another language."""
from __future__ import annotations

from services.i18n.translate import LANGUAGES, N_, gettext
from services.i18n.content import display
from services.seeding.sample import DOCUMENT_SAMPLE_NOTE

ENGLISH: dict = {
    "pack_title": N_("Meeting pack"), "date": N_("Prepared {d}"), "since": N_("Changes since {d}"),
    "items": N_("Action items"), "complete": N_("Complete (weighted)"),
    "level": N_("Completion"), "overdue": N_("Overdue"), "at_risk": N_("At risk"),
    "stale": N_("Not updated 30 days"), "item": N_("Action item"), "lead": N_("Lead"), "due": N_("Due"),
    "status": N_("Status"), "progress": N_("Progress"), "expected": N_("Expected by today"),
    "status_chart": N_("Action items by status"), "area_chart": N_("Progress by commitment area"),
    "no_red": N_("No Red or overdue items."), "changes": N_("What changed since the last meeting ({d})"),
    "change": N_("Change"), "rag": N_("RAG"), "agreement": N_("Agreement"), "appendix": N_("Appendix – source clauses"),
    "verbatim": N_("Verbatim from the source document (Bahasa Melayu): {src}"),
    "sample": DOCUMENT_SAMPLE_NOTE,
    "sample_long": N_("This pack contains SAMPLE DATA. Action items, progress and meetings marked [Sample] "
                      "are invented for demonstration and are not facts."),
    "kinds": {"new": N_("New"), "turned_red": N_("Turned Red"), "improved": N_("Improved"),
              "completed": N_("Completed"), "no_update": N_("No update since")},
    "more": N_("… and {n} more: the full list is in the appendix."),
    "changes_all": N_("Appendix – every change since the last meeting"),
    "recorded": N_("Decisions and new action items of this meeting"), "decision": N_("Decision"),
    "new_item": N_("New action item"), "owner": N_("Owner"),
    "nothing_recorded": N_("No decision or new action item recorded yet."),
    "levels": {"not_started": N_("Not started"), "limited": N_("Limited"), "substantial": N_("Substantial"),
               "complete": N_("Complete")},
}


def _in(lang: str, words: dict) -> dict:
    return {k: _in(lang, v) if isinstance(v, dict) else gettext(lang, v) for k, v in words.items()}


# Each language's words, and the language itself for the labels of services/labels.py.
TEXT: dict[str, dict] = {lang: {**_in(lang, ENGLISH), "lang": lang} for lang in LANGUAGES}


def localised(obj, field: str, lang: str) -> str:  # noqa: ANN001
    """obj.<field>_<lang> when it is filled in, else another language's with a marker."""
    return display(obj, field, lang)
