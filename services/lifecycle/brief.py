"""The renewal brief: what an agreement delivered, for the decision to renew, renew with
amendments or let it lapse. `brief_data` reads it; `write_renewal_brief` writes a Word file
(python-docx, public API only) in one language."""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Optional

from docx import Document
from docx.shared import Pt
from sqlmodel import Session, select

from core.settings import get_settings
from models import ActionItem, Agreement, BodyAgreement, CommitmentArea, Decision, ItemStatus, JointBody, Meeting
from services import labels
from services.errors import NotFound
from services.i18n.content import display
from services.i18n.translate import N_, format_date, translator
from services.lifecycle.facts import AgreementFacts, agreement_facts
from services.lifecycle.words import coverage_text, days_text, term_text, yes_no
from services.seeding.sample import document_sample_note

OPEN = (ItemStatus.NOT_STARTED.value, ItemStatus.IN_PROGRESS.value, ItemStatus.ON_HOLD.value)
# Characters XML 1.0 cannot hold (lxml refuses them): dropped so a stray one never fails the brief.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
RECOMMENDATIONS = (N_("Renew"), N_("Renew with amendments"), N_("Let lapse"))


@dataclass
class BriefData:
    agreement: Agreement
    facts: AgreementFacts
    areas_with: list[str] = field(default_factory=list)  # titles of areas with a live item
    areas_without: list[str] = field(default_factory=list)
    done: list[str] = field(default_factory=list)
    open: list[tuple[str, str, int, Optional[date]]] = field(default_factory=list)  # title, status, %, due
    meetings: list[tuple[date, str]] = field(default_factory=list)  # held, body; newest first
    open_decisions: list[str] = field(default_factory=list)
    last_activity: Optional[date] = None


def find_agreement(session: Session, code: str) -> Agreement:
    """The agreement with this reference; NotFound naming it otherwise."""
    agreement = session.exec(select(Agreement).where(Agreement.code == code)).first()
    if agreement is None:
        raise NotFound(N_("No agreement with code {code}."), code=code)
    return agreement


def brief_data(*, session: Session, agreement: Agreement, today: date, lang: str = "en") -> BriefData:
    facts = agreement_facts(session=session, agreements=[agreement], today=today,
                            dormant_days=get_settings().dormant_days)[agreement.id]
    data = BriefData(agreement=agreement, facts=facts)
    areas = session.exec(select(CommitmentArea).where(CommitmentArea.agreement_id == agreement.id,
                                                      ~CommitmentArea.archived).order_by(CommitmentArea.position)).all()
    items = session.exec(select(ActionItem).where(ActionItem.area_id.in_([a.id for a in areas]), ~ActionItem.archived)
                         .order_by(ActionItem.due_date, ActionItem.id)).all() if areas else []
    live_areas = {i.area_id for i in items if i.status != ItemStatus.CANCELLED.value}
    for area in areas:
        (data.areas_with if area.id in live_areas else data.areas_without).append(display(area, "title", lang))
    data.done = [display(i, "title", lang) for i in items if i.status == ItemStatus.COMPLETED.value]
    data.open = [(display(i, "title", lang), i.status, i.progress, i.due_date) for i in items if i.status in OPEN]
    bodies = {b.id: display(b, "name", lang) for b in session.exec(
        select(JointBody).join(BodyAgreement, BodyAgreement.body_id == JointBody.id)
        .where(BodyAgreement.agreement_id == agreement.id)).all()}
    meeting_ids = {i.meeting_id for i in items if i.meeting_id}
    meetings = session.exec(select(Meeting).where(Meeting.held_on <= today, (Meeting.body_id.in_(list(bodies)))
                                                  | (Meeting.id.in_(meeting_ids)))
                            .order_by(Meeting.held_on.desc())).all()
    data.meetings = [(m.held_on, bodies.get(m.body_id, "")) for m in meetings]
    status = {i.id: i.status for i in items}
    if meetings:
        decisions = session.exec(select(Decision).where(Decision.meeting_id.in_([m.id for m in meetings]))).all()
        data.open_decisions = [d.text for d in decisions if d.item_id in status and status[d.item_id] in OPEN]
    dates = [d for d in (facts.last_update, facts.last_meeting) if d]
    data.last_activity = max(dates) if dates else None
    return data


def write_renewal_brief(*, session: Session, code: str, today: date, lang: str = "en") -> bytes:
    """The brief as .docx bytes. NotFound for an unknown code; anyone who reads may write it."""
    data = brief_data(session=session, agreement=find_agreement(session, code), today=today, lang=lang)
    _ = translator(lang)
    doc = Document()
    doc.styles["Normal"].font.size = Pt(11)
    a = data.agreement
    doc.add_heading(_("Renewal brief: {code}", code=a.code), level=0)
    sample = document_sample_note(session)
    if sample:
        doc.add_paragraph().add_run(_(sample)).bold = True
    doc.add_paragraph(safe(display(a, "title", lang)))
    doc.add_paragraph(_("As of {day}", day=format_date(today, lang)))
    _facts_table(doc, data, lang)
    _section(doc, _("Commitment areas with live action items"), data.areas_with, _("None."))
    _section(doc, _("Commitment areas without any live action item"), data.areas_without, _("None."))
    _section(doc, _("Action items done ({n})", n=len(data.done)), data.done, _("None."))
    _section(doc, _("Action items open ({n})", n=len(data.open)),
             [f"{title} — {labels.status_label(status, lang)}, {progress}%"
              + (f", {_('due')} {format_date(due, lang, 'medium')}" if due else "")
              for title, status, progress, due in data.open], _("None."))
    held = [f"{format_date(day, lang, 'medium')} — {body}" for day, body in data.meetings]
    _section(doc, _("Meetings held ({n})", n=len(held)), held, _("No meeting recorded."))
    _section(doc, _("Open decisions"), data.open_decisions, _("None."))
    doc.add_heading(_("Secretariat's recommendation"), level=1)
    for choice in RECOMMENDATIONS:
        doc.add_paragraph("☐ " + _(choice))
    doc.add_paragraph(_("Reasons:"))
    for _line in range(4):
        doc.add_paragraph("_" * 70)
    doc.add_paragraph(_("Prepared by: ____________________    Date: ____________"))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _facts_table(doc, data: BriefData, lang: str) -> None:  # noqa: ANN001
    _ = translator(lang)
    a, f = data.agreement, data.facts
    rows = [
        (_("Status"), labels.agreement_status_label(f.status, lang)),
        (_("Signed"), format_date(a.signed_on, lang) if a.signed_on else _("Not stated")),
        (_("In force from"), format_date(a.in_force_from, lang) if a.in_force_from else _("Not stated")),
        (_("Term"), term_text(a.term_months, lang)),
        (_("Renews automatically"), yes_no(a.auto_renews, lang)),
        (_("Expires"), f"{format_date(f.expiry, lang)} ({days_text(f.days_to_expiry, lang)})" if f.expiry
         else _("Not stated")),
        (_("Notice deadline"), f"{format_date(f.notice_deadline, lang)} ({days_text(f.days_to_notice, lang)})"
         if f.notice_deadline else _("Not stated")),
        (_("Commitment coverage"), coverage_text(f, lang)),
        (_("Stage"), labels.stage_label(f.stage, lang)),
        (_("Last activity"), format_date(data.last_activity, lang) if data.last_activity else _("None recorded")),
        (_("Last meeting"), format_date(data.meetings[0][0], lang) if data.meetings else _("No meeting recorded.")),
    ]
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, safe(value)


def safe(text: str) -> str:
    return _NOT_XML.sub("", text)


def _section(doc, title: str, lines: list[str], empty: str) -> None:  # noqa: ANN001
    doc.add_heading(title, level=1)
    if not lines:
        doc.add_paragraph(empty)
    for line in lines:
        doc.add_paragraph(safe(line), style="List Bullet")
