"""Creating and editing agreements, commitment areas and action items; archive and restore.

Input is validated with plain pydantic models first (SQLModel table models skip validation),
so every field gets a clear message. Nothing with history is deleted: it is archived."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlmodel import Session, select

from models import (
    ActionItem, Agreement, AgreementCounterpart, CommitmentArea, ItemSupport, Meeting, Organisation, SourceDocument, User, utcnow,
)
from services.audit.trail import record_event
from services.errors import NotFound, ValidationFailed
from services.i18n.translate import N_
from services.items.progress import commit_or_stale, item_org_ids, stale_error
from services.i18n.content import display
from services.permissions import can_edit_structure, can_update_item, require_item_update, require_structure
from services.seeding.facts import locate_quote
from services.agreements.inputs import (
    MISSING, AgreementInput, AreaInput, ItemInput, diff_values, require_row, validate,
)


def save_agreement(*, session: Session, actor: User, data: dict, agreement_id: Optional[int] = None) -> Agreement:
    """Create (no id) or edit an agreement and its counterparts."""
    require_structure(actor, N_("create or edit agreements"))
    inp = validate(AgreementInput, data)
    require_row(session, Organisation, inp.lead_org_id, MISSING["lead"])
    for org_id in inp.counterpart_ids:
        require_row(session, Organisation, org_id, MISSING["counterpart"])
    if inp.source_document_id is not None:
        require_row(session, SourceDocument, inp.source_document_id, MISSING["source"])
    clash = session.exec(select(Agreement).where(Agreement.code == inp.code)).first()
    if clash is not None and clash.id != agreement_id:
        raise ValidationFailed(N_("The reference {code} is already used by another agreement."), code=inp.code)
    values = inp.model_dump(exclude={"counterpart_ids"})
    values = {k: (v.value if hasattr(v, "value") else v) for k, v in values.items()}
    row = Agreement(**values) if agreement_id is None else require_row(session, Agreement, agreement_id, MISSING["agreement"])
    before, after = diff_values(row, values) if agreement_id else ({}, values)
    for k, v in values.items():
        setattr(row, k, v)
    session.add(row)
    session.flush()
    _set_links(session, AgreementCounterpart, "agreement_id", row.id, inp.counterpart_ids)
    record_event(session=session, actor=actor, action="edit_agreement" if agreement_id else "create_agreement",
                 object_type="agreement", object_id=row.id, before=before or None,
                 after={**after, "counterpart_ids": inp.counterpart_ids})
    session.commit()
    return row


def _set_links(session: Session, model, key: str, owner_id: int, org_ids: list[int]) -> None:  # noqa: ANN001
    """Link tables hold no history of their own: the audit event records the new set."""
    current = {r.organisation_id: r for r in session.exec(select(model).where(getattr(model, key) == owner_id)).all()}
    for org_id, link in current.items():
        if org_id not in org_ids:
            session.delete(link)
    for org_id in dict.fromkeys(org_ids):
        if org_id not in current:
            session.add(model(**{key: owner_id, "organisation_id": org_id}))


# --- commitment areas --------------------------------------------------------------------

def save_area(*, session: Session, actor: User, data: dict, area_id: Optional[int] = None) -> CommitmentArea:
    """Create or edit an area. A source quote must be found, verbatim, in the agreement's
    stored source text; its offsets are stored so the clause can be shown and highlighted."""
    require_structure(actor, N_("create or edit commitment areas"))
    inp = validate(AreaInput, data)
    agreement = require_row(session, Agreement, inp.agreement_id, MISSING["agreement"])
    values = inp.model_dump(exclude={"quote"})
    values["category"] = inp.category.value
    values.update(source_document_id=None, quote_start=None, quote_end=None)
    if inp.quote:
        doc = _quoted_document(session, agreement, area_id)
        if doc is None:
            raise ValidationFailed(N_("This agreement has no stored source document to quote from."))
        start, end = locate_quote(doc.text, inp.quote)
        values.update(source_document_id=doc.id, quote_start=start, quote_end=end)
    row = CommitmentArea(**values) if area_id is None else require_row(session, CommitmentArea, area_id, MISSING["area"])
    before, after = diff_values(row, values) if area_id else ({}, values)
    for k, v in values.items():
        setattr(row, k, v)
    session.add(row)
    session.flush()
    record_event(session=session, actor=actor, action="edit_area" if area_id else "create_area",
                 object_type="area", object_id=row.id, before=before or None, after=after)
    session.commit()
    return row


def _quoted_document(session: Session, agreement: Agreement, area_id: Optional[int]) -> Optional[SourceDocument]:
    """An area keeps quoting the document it quotes (an annex, say); a new one quotes the
    agreement's main text."""
    current = session.get(CommitmentArea, area_id) if area_id else None
    doc_id = (current.source_document_id if current is not None and current.source_document_id
              else agreement.source_document_id)
    return session.get(SourceDocument, doc_id) if doc_id else None


# --- action items ------------------------------------------------------------------------

def _item_values(session: Session, inp: ItemInput) -> dict:
    require_row(session, CommitmentArea, inp.area_id, MISSING["area"])
    if inp.lead_org_id is not None:
        require_row(session, Organisation, inp.lead_org_id, MISSING["lead"])
    for org_id in inp.supporting_org_ids:
        require_row(session, Organisation, org_id, MISSING["supporting"])
    if inp.meeting_id is not None:
        require_row(session, Meeting, inp.meeting_id, MISSING["meeting"])
    values = inp.model_dump(exclude={"supporting_org_ids"})
    return {k: (v.value if hasattr(v, "value") else v) for k, v in values.items()}


def create_item(*, session: Session, actor: User, data: dict, now: Optional[datetime] = None,
                commit: bool = True) -> ActionItem:
    """A new item starts Not started at 0%; its first progress update comes later."""
    require_structure(actor, N_("create action items"))
    inp = validate(ItemInput, data)
    values = _item_values(session, inp)
    item = ActionItem(**values, created_at=now or utcnow())
    session.add(item)
    session.flush()
    _set_links(session, ItemSupport, "item_id", item.id, inp.supporting_org_ids)
    record_event(session=session, actor=actor, action="create_item", object_type="item", object_id=item.id,
                 after={"title": item.title, "due_date": item.due_date, "owner_name": item.owner_name})
    if commit:
        session.commit()
    return item


OWNER_FIELDS = {"owner_name", "owner_email"}


def edit_item(*, session: Session, actor: User, item_id: int, expected_version: int, data: dict) -> ActionItem:
    """Edit an item's fields (not its status or progress: those are progress updates).
    Focal points may change the owner of their organisation's items; everything else is
    the secretariat's. A save based on an out-of-date version is refused."""
    item = require_row(session, ActionItem, item_id, MISSING["item"])
    if not can_edit_structure(actor):
        require_item_update(actor, item_org_ids(session, item), item.title)
    current = {k: getattr(item, k) for k in ItemInput.model_fields if k != "supporting_org_ids"}
    supporting = [o for o in item_org_ids(session, item)[1:] if o is not None]
    inp = validate(ItemInput, {**current, "supporting_org_ids": supporting, **data})
    values = _item_values(session, inp)
    before, after = diff_values(item, values)
    if set(inp.supporting_org_ids) != set(supporting):
        before["supporting_org_ids"], after["supporting_org_ids"] = supporting, inp.supporting_org_ids
    if not after:
        raise ValidationFailed(N_("Nothing changed."))
    if set(after) <= OWNER_FIELDS and can_update_item(actor, item_org_ids(session, item)):
        require_item_update(actor, item_org_ids(session, item), item.title)
    else:
        require_structure(actor, N_("edit action items (focal points may change the owner)"))
    if item.archived:
        raise ValidationFailed(N_("'{title}' is archived: restore it before editing it."), title=item.title)
    if item.version != expected_version:
        raise stale_error(session, item)
    _set_links(session, ItemSupport, "item_id", item.id, inp.supporting_org_ids)
    for k, v in values.items():
        setattr(item, k, v)
    session.add(item)
    record_event(session=session, actor=actor, action="edit_item", object_type="item", object_id=item.id,
                 before=before, after=after)
    commit_or_stale(session, item)
    return item


# --- archive and restore -----------------------------------------------------------------

ARCHIVABLE = {"agreement": Agreement, "area": CommitmentArea, "item": ActionItem}
ARCHIVABLE_MISSING = {"agreement": N_("No agreement with id {id}."), "area": N_("No commitment area with id {id}."),
                      "item": N_("No action item with id {id}.")}


def set_archived(*, session: Session, actor: User, kind: str, object_id: int, archived: bool) -> None:
    """Archive (hide from lists, reports and roll-ups) or restore; nothing is deleted."""
    require_structure(actor, N_("archive or restore"))
    if kind not in ARCHIVABLE:
        raise ValidationFailed(N_("Only {kinds} can be archived."), kinds=", ".join(ARCHIVABLE))
    row = session.get(ARCHIVABLE[kind], object_id)
    if row is None:
        raise NotFound(ARCHIVABLE_MISSING[kind], id=object_id)
    if row.archived == archived:
        raise ValidationFailed(N_("It is already archived.") if archived else N_("It is already live."))
    row.archived = archived
    session.add(row)
    record_event(session=session, actor=actor, action=("archive_" if archived else "restore_") + kind,
                 object_type=kind, object_id=object_id, before={"archived": not archived},
                 after={"archived": archived})
    session.commit()


def list_archived(*, session: Session, lang: str = "en") -> dict[str, list[tuple[int, str]]]:
    """Archived agreements, areas and items, as (id, label in `lang`), for the restore list."""
    return {
        "agreement": [(a.id, f"{a.code} — {display(a, 'title', lang)}") for a in session.exec(
            select(Agreement).where(Agreement.archived).order_by(Agreement.code)).all()],
        "area": [(a.id, display(a, "title", lang)) for a in session.exec(
            select(CommitmentArea).where(CommitmentArea.archived).order_by(CommitmentArea.id)).all()],
        "item": [(i.id, display(i, "title", lang)) for i in session.exec(
            select(ActionItem).where(ActionItem.archived).order_by(ActionItem.id)).all()],
    }
