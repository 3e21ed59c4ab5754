"""Meeting mode's agenda: each agreement of the body with its figures, then the items that need
discussion (Red, overdue, out of date, carried over from the last meeting, not updated for this
meeting once the update window has closed). The writes made during a meeting are in
services/meetings/register.py; the bodies in services/meetings/bodies.py."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Optional

from sqlmodel import Session, select

from models import CommitmentArea, ItemStatus, RAG
from services import rules
from services.i18n.content import display
from services.i18n.translate import N_
from services.meetings.bodies import body_agreements
from services.meetings.changes import latest_notes
from services.meetings.cycle import carried_over, not_updated_for_meeting
from services.overview import filtered
from services.overview.figures import ItemLine, Kpis, area_progress, item_lines, kpis_from, relevance
from services.overview.filtered import Filters

ALL_AGREEMENTS = N_("All agreements (secretariat review)")  # the label of "no body" (None)
ITEMS_PER_AGREEMENT = 8


@dataclass
class AgendaPoint:
    kind: str  # "agreement" or "item"
    agreement_id: int
    code: str
    title: str
    kpis: Optional[Kpis] = None
    areas: list = field(default_factory=list)
    item: Optional[ItemLine] = None
    reasons: list[str] = field(default_factory=list)
    more: int = 0  # items needing discussion beyond those on the agenda
    status_counts: dict[str, int] = field(default_factory=dict)
    note: Optional[str] = None  # the item's latest progress note


def build_agenda(*, session: Session, body_id: Optional[int], today: date,
                 per_agreement: int = ITEMS_PER_AGREEMENT, lang: str = "en") -> list[AgendaPoint]:
    """Each agreement of the body (None: every agreement), followed by its Red, overdue and
    out-of-date items, the points carried over from the last meeting, and (once the update window
    before the next meeting has closed) items not updated since the last meeting. Titles in `lang`."""
    labels = filtered.area_labels(session=session, lang=lang)
    carried = carried_over(session=session, body_id=body_id, today=today)
    late = not_updated_for_meeting(session=session, body_id=body_id, today=today)
    points: list[AgendaPoint] = []
    for a in body_agreements(session=session, body_id=body_id):
        states = filtered.current_states(session=session, filters=Filters(agreements=(a.code,)))
        in_force = int(a.status == "in_force" and (a.signed_on is None or a.signed_on <= today))
        reasons = {s.id: _reasons(s, today, carried, late) for s in states}
        flagged = [s for s in sorted(states, key=lambda s: relevance(s, today)) if reasons[s.id]]
        points.append(AgendaPoint(
            "agreement", a.id, a.code, display(a, "title", lang), kpis=kpis_from(states, today=today, in_force=in_force),
            areas=area_progress(states, labels, today=today), more=max(0, len(flagged) - per_agreement),
            status_counts=dict(Counter(s.status for s in states)),
        ))
        lines = item_lines(session=session, states=flagged[:per_agreement], today=today, lang=lang)
        notes = latest_notes(session, [line.id for line in lines])
        points += [AgendaPoint("item", a.id, a.code, line.title, item=line, reasons=reasons[line.id],
                               note=notes.get(line.id)) for line in lines]
    return points


def _reasons(s, today: date, carried: set[int], late: Optional[set]) -> list[str]:  # noqa: ANN001
    out = []
    open_ = s.status not in (ItemStatus.COMPLETED, ItemStatus.CANCELLED)
    if rules.is_overdue(status=s.status, due=s.due, today=today):
        out.append(N_("Overdue"))
    if s.rag(today) == RAG.RED:
        out.append(N_("Red"))
    if open_ and rules.is_stale(s.last_update, today):
        out.append(N_("Out of date"))
    if open_ and s.id in carried:
        out.append(N_("Carried over"))
    if open_ and late is not None and s.id in late:
        out.append(N_("Not updated for this meeting"))
    return out


def agreement_areas(*, session: Session, agreement_id: int, lang: str = "en") -> list[tuple[int, str]]:
    return [(area.id, display(area, "title", lang)) for area in session.exec(
        select(CommitmentArea)
        .where(CommitmentArea.agreement_id == agreement_id, ~CommitmentArea.archived)
        .order_by(CommitmentArea.position, CommitmentArea.id)).all()]
