"""Renewing and closing an agreement (secretariat).

Renewing creates a successor linked to its predecessor (succeeds, amends, related to) and
carries the open items over: the item rows move to matching areas of the successor, so their
history stays theirs, and an ItemCarry row keeps the way back, so both agreements reach them.
Closing asks an outcome for each open item; the outcomes count in the final figures.
Each write checks everything first and commits once: a refusal writes nothing."""
from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Optional

from sqlmodel import Session, select

from models import (
    ActionItem, Agreement, AgreementCounterpart, AgreementRelation, CommitmentArea, ItemCarry, ItemOutcome,
    ItemOutcomeKind, ItemStatus, RelationKind, User,
)
from services.audit.trail import record_event
from services.errors import ConfirmationNeeded, NotFound, ValidationFailed
from services.i18n.translate import N_
from services.lifecycle.clock import CLOSED, Clock, derive_status
from services.lifecycle.edit import clock_values
from services.permissions import require_structure

OPEN = (ItemStatus.NOT_STARTED.value, ItemStatus.IN_PROGRESS.value, ItemStatus.ON_HOLD.value)
OUTCOMES = frozenset(o.value for o in ItemOutcomeKind)
RELATIONS = frozenset(r.value for r in RelationKind)
MAX_NOTE = 2000


def _agreement(session: Session, agreement_id: int) -> Agreement:
    agreement = session.get(Agreement, agreement_id)
    if agreement is None:
        raise NotFound(N_("No agreement with id {id}."), id=agreement_id)
    return agreement


def open_items(session: Session, agreement_id: int) -> list[ActionItem]:
    """Live items of the agreement not completed or cancelled, by due date."""
    return list(session.exec(
        select(ActionItem).join(CommitmentArea, CommitmentArea.id == ActionItem.area_id)
        .where(CommitmentArea.agreement_id == agreement_id, ~ActionItem.archived, ActionItem.status.in_(OPEN))
        .order_by(ActionItem.due_date, ActionItem.id)).all())


def successor_of(session: Session, agreement_id: int) -> Optional[Agreement]:
    rel = session.exec(select(AgreementRelation).where(AgreementRelation.other_id == agreement_id,
                                                       AgreementRelation.kind == RelationKind.SUCCEEDS.value)).first()
    return session.get(Agreement, rel.agreement_id) if rel else None


def renew_agreement(*, session: Session, actor: User, agreement_id: int, code: str, relation: str = "succeeds",
                    clock: Optional[dict] = None, title_en: Optional[str] = None, today: date) -> Agreement:
    """Create the successor `code` of an agreement and carry its open items over.
    'succeeds' marks the predecessor superseded (closed today). Refused (nothing written) for
    an unknown relation, a code in use, an agreement already renewed or closed, a bad clock."""
    require_structure(actor, N_("renew agreements"))
    old = _agreement(session, agreement_id)
    if relation not in RELATIONS:
        raise ValidationFailed(N_("Relation: choose succeeds, amends or related to."))
    done = successor_of(session, old.id)
    if done is not None:
        raise ValidationFailed(N_("{code} was already renewed: {successor} succeeds it."), code=old.code,
                               successor=done.code)
    if old.status in ("terminated", "superseded"):
        raise ValidationFailed(N_("{code} is closed: a closed agreement cannot be renewed."), code=old.code)
    code = (code or "").strip()
    if not code or len(code) > 40 or session.exec(select(Agreement.id).where(Agreement.code == code)).first():
        raise ValidationFailed(N_("Reference: give a new, unused reference of up to 40 characters."))
    values = clock_values(clock or {"status": "in_force"})
    new = Agreement(code=code, kind=old.kind, title_en=(title_en or old.title_en).strip()[:500],
                    title_ms=old.title_ms, title_zh=old.title_zh, lead_org_id=old.lead_org_id,
                    package_id=old.package_id, source_document_id=old.source_document_id, **values)
    session.add(new)
    session.flush()
    for org_id in session.exec(select(AgreementCounterpart.organisation_id)
                               .where(AgreementCounterpart.agreement_id == old.id)).all():
        session.add(AgreementCounterpart(agreement_id=new.id, organisation_id=org_id))
    session.add(AgreementRelation(agreement_id=new.id, other_id=old.id, kind=relation, created_by_id=actor.id))
    carried = _carry(session, old, new, open_items(session, old.id))
    if relation == RelationKind.SUCCEEDS.value:
        old.status, old.closed_on = "superseded", today
        session.add(old)
    record_event(session=session, actor=actor, action="renew_agreement", object_type="agreement", object_id=new.id,
                 after={"code": code, "relation": relation, "predecessor": old.code, "carried_item_ids": carried})
    session.commit()
    return new


def _carry(session: Session, old: Agreement, new: Agreement, items: list[ActionItem]) -> list[int]:
    """Move `items` into areas of `new` matching their areas (made once each); record the way back."""
    areas: dict[int, CommitmentArea] = {}
    for item in items:
        if item.area_id not in areas:
            src = session.get(CommitmentArea, item.area_id)
            areas[item.area_id] = CommitmentArea(
                agreement_id=new.id, position=src.position, title_en=src.title_en, title_ms=src.title_ms,
                title_zh=src.title_zh, category=src.category, source_document_id=src.source_document_id,
                quote_start=src.quote_start, quote_end=src.quote_end)
            session.add(areas[item.area_id])
            session.flush()
        session.add(ItemCarry(item_id=item.id, from_agreement_id=old.id, from_area_id=item.area_id,
                              to_agreement_id=new.id))
        item.area_id = areas[item.area_id].id
        session.add(item)
    return [i.id for i in items]


def carry_items(*, session: Session, actor: User, item_ids: list[int], to_agreement_id: int, today: date,
                confirm_other_package: bool = False) -> list[int]:
    """Carry open items into another (live) agreement. ConfirmationNeeded when it belongs to
    another package than theirs: carrying across packages is usually a slip of the hand."""
    require_structure(actor, N_("carry items between agreements"))
    target = _agreement(session, to_agreement_id)
    if target.archived or derive_status(Clock.of(target), today) in CLOSED:
        raise ValidationFailed(N_("Agreement: {code} is closed or archived; carry items into a live agreement."),
                               code=target.code)
    by_source: dict[int, list[ActionItem]] = {}
    for item_id in dict.fromkeys(item_ids):
        item = session.get(ActionItem, item_id)
        if item is None or item.archived or item.status not in OPEN:
            raise ValidationFailed(N_("Items: only open, live items are carried (item {id} is not one)."), id=item_id)
        source = session.get(Agreement, session.get(CommitmentArea, item.area_id).agreement_id)
        if source.id == target.id:
            raise ValidationFailed(N_("Items: item {id} already belongs to {code}."), id=item_id, code=target.code)
        if source.package_id != target.package_id and not confirm_other_package:
            raise ConfirmationNeeded(N_("Agreement: {code} belongs to another package than {source}; confirm to "
                                        "carry the items there."), code=target.code, source=source.code)
        by_source.setdefault(source.id, []).append(item)
    carried = []
    for source_id, items in by_source.items():
        carried += _carry(session, session.get(Agreement, source_id), target, items)
    record_event(session=session, actor=actor, action="carry_items", object_type="agreement", object_id=target.id,
                 after={"item_ids": carried})
    session.commit()
    return carried


def close_agreement(*, session: Session, actor: User, agreement_id: int, outcomes: dict[int, dict],
                    today: date, status: str = "terminated") -> dict[str, int]:
    """Close an agreement (terminated, or expired), recording an outcome (achieved, partly
    achieved, not achieved, dropped; a note) for each open item. Refused, naming the items,
    when any open item has no outcome. Returns the final figures (final_figures)."""
    require_structure(actor, N_("close agreements"))
    agreement = _agreement(session, agreement_id)
    if agreement.status in ("terminated", "superseded"):
        raise ValidationFailed(N_("{code} is already closed."), code=agreement.code)
    if status not in ("terminated", "expired"):
        raise ValidationFailed(N_("Status: close as terminated or expired."))
    items = open_items(session, agreement.id)
    missing = [i.title for i in items if (outcomes.get(i.id) or {}).get("outcome") not in OUTCOMES]
    if missing:
        raise ValidationFailed(N_("Outcome: choose one for each open item; missing for: {items}."),
                               items="; ".join(missing))
    notes = {i.id: (str(outcomes[i.id].get("note") or "").strip() or None) for i in items}
    for item in items:
        if notes[item.id] and len(notes[item.id]) > MAX_NOTE:
            raise ValidationFailed(N_("Note: at most {n} characters ({title})."), n=MAX_NOTE, title=item.title)
    for item in items:
        session.add(ItemOutcome(item_id=item.id, agreement_id=agreement.id, outcome=outcomes[item.id]["outcome"],
                                note=notes[item.id], recorded_by_id=actor.id))
    before = {"status": agreement.status}
    agreement.status, agreement.closed_on = status, today
    session.add(agreement)
    record_event(session=session, actor=actor, action="close_agreement", object_type="agreement",
                 object_id=agreement.id, before=before,
                 after={"status": status, "outcomes": {i.id: outcomes[i.id]["outcome"] for i in items}})
    session.commit()
    return final_figures(session=session, agreement_id=agreement.id)


def final_figures(*, session: Session, agreement_id: int) -> dict[str, int]:
    """Items completed, and each closing outcome recorded: {"completed": 3, "achieved": 1, ...}."""
    completed = session.exec(select(ActionItem.id).join(CommitmentArea, CommitmentArea.id == ActionItem.area_id)
                             .where(CommitmentArea.agreement_id == agreement_id, ~ActionItem.archived,
                                    ActionItem.status == ItemStatus.COMPLETED.value)).all()
    counts = Counter(session.exec(select(ItemOutcome.outcome).where(ItemOutcome.agreement_id == agreement_id)).all())
    return {"completed": len(completed), **{o.value: counts.get(o.value, 0) for o in ItemOutcomeKind}}
