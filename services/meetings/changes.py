"""What changed since a date (usually the body's last meeting), rebuilt from the history:
items that turned Red, improved, were completed, or have had no update since then."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session

from models import ItemStatus, RAG
from services.overview import filtered
from services.overview.filtered import Filters
from services.overview.figures import ItemLine, item_lines

CHANGE_KINDS = ("turned_red", "improved", "completed", "no_update")
CHANGE_LABELS = {
    "turned_red": "Turned Red",
    "improved": "Improved",
    "completed": "Completed",
    "no_update": "No update since",
}


@dataclass
class Changes:
    since: date
    totals: dict[str, int] = field(default_factory=dict)
    items: dict[str, list[ItemLine]] = field(default_factory=dict)
    progress_before: dict[int, int] = field(default_factory=dict)


def changes_since(*, session: Session, since: date, today: date, filters: Filters = Filters(),
                  limit: int = 50, lang: str = "en") -> Changes:
    """Compare each item now with the same item at the end of `since` (titles in `lang`)."""
    now = filtered.current_states(session=session, filters=filters)
    then = {s.id: s for s in filtered.states_as_of(session=session, filters=filters, when=since)}
    picked: dict[str, list] = {k: [] for k in CHANGE_KINDS}
    for s in now:
        old = then.get(s.id)
        if s.rag(today) == RAG.RED and (old is None or old.rag(since) != RAG.RED):
            picked["turned_red"].append(s)
        if old is not None and s.progress > old.progress and s.status != ItemStatus.COMPLETED:
            picked["improved"].append(s)
        if s.status == ItemStatus.COMPLETED and (old is None or old.status != ItemStatus.COMPLETED):
            picked["completed"].append(s)
        if s.status not in (ItemStatus.COMPLETED, ItemStatus.CANCELLED) and (s.last_update is None or s.last_update <= since):
            picked["no_update"].append(s)
    out = Changes(since=since, progress_before={i: s.progress for i, s in then.items()})
    for kind, states in picked.items():
        out.totals[kind] = len(states)
        ordered = sorted(states, key=lambda s: (s.due or date.max, s.id))[:limit]
        out.items[kind] = item_lines(session=session, states=ordered, today=today, lang=lang)
    return out
