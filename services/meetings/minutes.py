"""The minutes of a meeting as a Word document (python-docx), editable in Word and LibreOffice:
heading, date, venue, attendees of both sides, the agenda with its figures as presented,
decisions with their owners and due dates, and the new action items. In one language, or in two
side by side ("ms+zh", "en+zh") so the counterpart reads the same page."""
from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Optional

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Cm, Pt
from sqlmodel import Session, select

from models import ActionItem, SnapshotItem
from services import labels
from services.errors import ValidationFailed
from services.i18n.content import display
from services.i18n.translate import N_, format_date, gettext, local_today
from services.meetings.bodies import body_agreements, body_members, body_name, get_body
from services.meetings.mode import build_agenda
from services.meetings.register import get_meeting, meeting_number, meeting_record, snapshot_of
from services.seeding.sample import document_sample_note

MINUTES_LANGUAGES = ("en", "ms", "zh", "ms+zh", "en+zh")


@dataclass
class Block:
    kind: str  # "title", "heading", "para" or "table"
    text: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


def languages(spec: str) -> list[str]:
    """'ms+zh' -> ['ms', 'zh']; ValidationFailed naming the choices for anything else."""
    if spec not in MINUTES_LANGUAGES:
        raise ValidationFailed(N_("Unknown minutes language {given}: use one of {choices}."), given=spec,
                               choices=", ".join(MINUTES_LANGUAGES))
    return spec.split("+")


def _attendees(session: Session, meeting, lang: str) -> list[Block]:  # noqa: ANN001
    members = body_members(session=session, body_id=meeting.body_id)
    out = []
    for side, text, label in (("my", meeting.attendees_my, N_("Attendees (Malaysia)")),
                              ("counterpart", meeting.attendees_counterpart, N_("Attendees (counterpart)"))):
        names = text or "; ".join(", ".join(x for x in (m.name, m.role, m.organisation) if x) for m in members[side])
        out.append(Block("para", f"{gettext(lang, label)}: {names or '–'}"))
    return out


def _agenda(session: Session, meeting, lang: str, today: date) -> list[Block]:  # noqa: ANN001
    """The figures and agenda items as presented (the snapshot), or as of today without one."""
    snap = snapshot_of(session=session, meeting_id=meeting.id)
    if snap:  # the figures were frozen: only the agreements' titles are read now
        titles = [(a.code, display(a, "title", lang)) for a in body_agreements(session=session, body_id=meeting.body_id)]
        figures = json.loads(snap.figures)
    else:
        agenda = [p for p in build_agenda(session=session, body_id=meeting.body_id, today=today, lang=lang)
                  if p.kind == "agreement"]
        titles, figures = [(p.code, p.title) for p in agenda], {p.code: vars(p.kpis) for p in agenda}
    note = (gettext(lang, N_("Figures as presented at the meeting (recorded {d})."), d=format_date(snap.taken_at, lang))
            if snap else gettext(lang, N_("No snapshot was taken at this meeting: figures as of {d}."),
                                 d=format_date(today, lang)))
    rows = []
    for code, title in titles:
        k = figures.get(code, {})
        pct = k.get("percent_complete")
        rows.append([f"{code}: {title}", str(k.get("items", "–")), "–" if pct is None else f"{pct:.0f}%",
                     str(k.get("overdue", "–")), str(k.get("at_risk", "–"))])
    blocks = [Block("heading", gettext(lang, N_("Agenda"))), Block("para", note),
              Block("table", header=[gettext(lang, w) for w in (N_("Agreement"), N_("Action items"),
                    N_("Complete (weighted)"), N_("Overdue"), N_("At risk"))], rows=rows)]
    if snap:
        items = session.exec(select(SnapshotItem, ActionItem).join(ActionItem, ActionItem.id == SnapshotItem.item_id)
                             .where(SnapshotItem.snapshot_id == snap.id, SnapshotItem.on_agenda)
                             .order_by(SnapshotItem.agreement_id, SnapshotItem.item_id)).all()
        if items:
            blocks.append(Block("table", header=[gettext(lang, w) for w in (
                N_("Action item"), N_("Status"), N_("Progress"), N_("RAG"), N_("Latest note"))], rows=[
                [display(i, "title", lang), labels.status_label(s.status, lang), f"{s.progress}%",
                 labels.rag_text(s.rag, lang), s.last_note or "–"] for s, i in items]))
    return blocks


def minutes_blocks(*, session: Session, meeting_id: int, lang: str, today: date) -> list[Block]:
    """The minutes' content in one language, as blocks; the same shape in every language."""
    meeting = get_meeting(session=session, meeting_id=meeting_id)
    body = get_body(session=session, body_id=meeting.body_id)
    record = meeting_record(session=session, meeting_id=meeting.id, today=today, lang=lang)
    n = meeting_number(session=session, meeting=meeting)
    sample = document_sample_note(session)
    blocks = [Block("title", gettext(lang, N_("Minutes of the meeting of the {body} ({n})"), body=body_name(body, lang), n=n)),
              *([Block("para", gettext(lang, sample))] if sample else []),
              Block("para", f"{gettext(lang, N_('Date'))}: {format_date(meeting.held_on, lang)}"),
              Block("para", f"{gettext(lang, N_('Venue'))}: {meeting.venue or '–'}"),
              *_attendees(session, meeting, lang), *_agenda(session, meeting, lang, today),
              Block("heading", gettext(lang, N_("Decisions")))]
    owner, due = gettext(lang, N_("Owner")), gettext(lang, N_("Due"))
    blocks.append(Block("table", header=[gettext(lang, N_("Decision")), gettext(lang, N_("Action item")), owner, due],
                        rows=[[d.text, i.title if i else "–", (i.owner if i else None) or "–",
                               format_date(i.due if i else None, lang)] for d, i in record.decisions]))
    blocks.append(Block("heading", gettext(lang, N_("New action items"))))
    blocks.append(Block("table", header=[gettext(lang, N_("Action item")), owner, due],
                        rows=[[i.title, i.owner or "–", format_date(i.due, lang)] for i in record.new_items]))
    if meeting.summary:
        blocks += [Block("heading", gettext(lang, N_("Summary"))), Block("para", meeting.summary)]
    return blocks


def _widths(doc, n: int) -> list:  # noqa: ANN001
    """The first column (titles) gets twice the room of each other column."""
    section = doc.sections[-1]
    usable = section.page_width - section.left_margin - section.right_margin
    unit = usable // (n + 1)
    return [unit * 2] + [unit] * (n - 1)


def _table(doc, header: list[str], rows: list[list[str]], size: float = 9) -> None:  # noqa: ANN001
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.autofit = False
    widths = _widths(doc, len(header))
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold, run.font.size = True, Pt(size)
    for values in rows:
        for cell, text in zip(table.add_row().cells, values):
            cell.text = ""
            cell.paragraphs[0].add_run(str(text)).font.size = Pt(size)
    for column, width in zip(table.columns, widths):  # the grid (LibreOffice) and each cell (Word)
        column.width = width
        for cell in column.cells:
            cell.width = width
    doc.add_paragraph()


def _one(doc, blocks: list[Block]) -> None:  # noqa: ANN001
    for b in blocks:
        if b.kind == "title":
            doc.add_heading(b.text, level=0)
        elif b.kind == "heading":
            doc.add_heading(b.text, level=1)
        elif b.kind == "para":
            doc.add_paragraph(b.text)
        elif b.rows:
            _table(doc, b.header, b.rows)
        else:
            doc.add_paragraph("–")


def _pair(a: str, b: str) -> str:
    return a if a == b else f"{a}\n{b}"


def _two(doc, first: list[Block], second: list[Block]) -> None:  # noqa: ANN001
    """Side by side: texts in a two-column table; a data table keeps its columns with each
    cell in both languages (one under the other, once when they are the same)."""
    texts: list[tuple[Block, Block]] = []

    def flush() -> None:
        if texts:
            table = doc.add_table(rows=0, cols=2)
            table.style = "Table Grid"
            for a, b in texts:
                row = table.add_row().cells
                for cell, block in zip(row, (a, b)):
                    cell.text = ""
                    run = cell.paragraphs[0].add_run(block.text)
                    run.bold = block.kind in ("title", "heading")
                    run.font.size = Pt({"title": 14, "heading": 12}.get(block.kind, 10))
            doc.add_paragraph()
            texts.clear()

    for a, b in zip(first, second):
        if a.kind != "table":
            texts.append((a, b))
            continue
        flush()
        if a.rows:
            _table(doc, [_pair(x, y) for x, y in zip(a.header, b.header)],
                   [[_pair(x, y) for x, y in zip(ra, rb)] for ra, rb in zip(a.rows, b.rows)])
        else:
            doc.add_paragraph("–")
    flush()


def build_minutes(*, session: Session, meeting_id: int, lang: str = "en", today: Optional[date] = None) -> bytes:
    """The minutes as .docx bytes. `lang`: en, ms, zh, ms+zh or en+zh (ValidationFailed otherwise);
    NotFound for an unknown meeting. `today` dates the figures of a meeting with no snapshot."""
    langs = languages(lang)
    today = today or local_today()
    doc = Document()
    section = doc.sections[0]
    if len(langs) == 2:  # two languages side by side need the width
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    section.left_margin = section.right_margin = Cm(1.8)
    contents = [minutes_blocks(session=session, meeting_id=meeting_id, lang=x, today=today) for x in langs]
    if len(langs) == 1:
        _one(doc, contents[0])
    else:
        _two(doc, *contents)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
