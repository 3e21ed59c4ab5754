"""The meeting pack: a PowerPoint file with native, editable charts (python-pptx).

Title slide; per agreement its KPIs, a status chart, a progress-by-area chart and a table of
its Red and overdue items; what changed since the last meeting; the source clauses (Malay,
verbatim) in an appendix. Colours and labels come from services/labels.py."""
from __future__ import annotations

import io
import textwrap
from datetime import date
from typing import Callable, Optional

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.util import Inches, Pt
from sqlmodel import Session, select

from models import Agreement, CommitmentArea, RAG, SourceDocument
from models.gate import writable
from services import rules
from services import labels
from services.meetings.chart_workbook import add_text_chart
from services.meetings.bodies import body_name, get_body
from services.meetings.changes import GROUPS, ChangeLine, Changes
from services.meetings.mode import ALL_AGREEMENTS, AgendaPoint, build_agenda
from services.meetings.register import MeetingRecord, changes_for_body, find_meeting, meeting_record
from services.errors import Plural
from services.i18n.translate import N_, format_date, gettext
from services.meetings.pack_text import TEXT, localised
from services.seeding.sample import has_sample

TABLE_ROWS = 7  # with the header, 8 rows of 0.32 in end above the sample-data footer
CHANGE_ROWS = 10
APPENDIX_ROWS = 14
CHANGE_WIDTHS = [1.6, 4.9, 1.7, 3.3, 1.0]


def CHANGE_HEADER(tx: dict) -> list[str]:  # noqa: N802
    return [tx["change"], tx["item"], tx["agreement"], tx["progress"], tx["rag"]]
W, H = Inches(13.333), Inches(7.5)


def chart_label(text: str) -> str:
    """A chart category or series name: python-pptx stores them in the chart's embedded
    workbook with XlsxWriter's write(), which turns text starting with '=' into a formula;
    a leading space keeps it text (and does not show on the axis)."""
    text = writable(text)
    return " " + text if text.startswith("=") else text


def word_cut(text: str, width: int) -> str:
    """`text` within `width` characters, cut only between words (with …)."""
    return text if len(text) <= width else textwrap.shorten(text, width=width, placeholder=" …")


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#"))


class Deck:
    """A 16:9 presentation with the few shapes the pack needs."""

    def __init__(self, lang: str, sample: bool):
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = W, H
        self.tx, self.sample = TEXT[lang], sample

    def slide(self, title: str):  # noqa: ANN201
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[5])  # title only
        slide.shapes.title.text = writable(title)
        # a long title gets smaller type rather than being cut (the frame wraps words)
        slide.shapes.title.text_frame.word_wrap = True
        slide.shapes.title.text_frame.paragraphs[0].font.size = Pt(28 if len(title) <= 70 else 20)
        slide.shapes.title.left, slide.shapes.title.top = Inches(0.4), Inches(0.2)
        slide.shapes.title.width, slide.shapes.title.height = Inches(12.5), Inches(0.9)
        if self.sample:
            self.text(slide, self.tx["sample"], 0.4, 7.05, 12.5, 0.35, size=11, colour=labels.RAG_COLOURS[RAG.RED])
        return slide

    def text(self, slide, text: str, x: float, y: float, w: float, h: float, *, size: int = 14,  # noqa: ANN001, ANN201
             bold: bool = False, colour: Optional[str] = None):
        box = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
        box.text_frame.word_wrap = True
        for i, line in enumerate(writable(text).split("\n")):
            para = box.text_frame.paragraphs[0] if i == 0 else box.text_frame.add_paragraph()
            para.text = line
            para.font.size, para.font.bold = Pt(size), bold
            if colour:
                para.font.color.rgb = _rgb(colour)
        return box

    def table(self, slide, header: list[str], rows: list[list[str]], x: float, y: float, w: float,  # noqa: ANN001, ANN201
              widths: list[float], size: int = 11):
        shape = slide.shapes.add_table(len(rows) + 1, len(header), Inches(x), Inches(y), Inches(w),
                                       Inches(0.32 * (len(rows) + 1)))
        table = shape.table
        for c, width in enumerate(widths):
            table.columns[c].width = Inches(width)
        for r, values in enumerate([header, *rows]):
            for c, value in enumerate(values):
                cell = table.cell(r, c)
                cell.text = writable(str(value))
                cell.text_frame.paragraphs[0].font.size = Pt(size)
        return table

    def bytes(self) -> bytes:
        buf = io.BytesIO()
        self.prs.save(buf)
        return buf.getvalue()


def build_meeting_pack(*, session: Session, today: date, body_id: Optional[int] = None, lang: str = "en",
                       since: Optional[date] = None,
                       extra: Optional[Callable[["Deck", list[int]], object]] = None) -> bytes:
    """The pack for the body `body_id` (None: every agreement) as .pptx bytes; what changed since
    the body's last meeting (or `since`), as on the Meetings page and in meeting mode.
    `extra(deck, agreement_ids)` adds slides after the agreements' (the package slide of
    services/lifecycle/pack_slide.py)."""
    if lang not in TEXT:
        raise ValueError(f"Unknown language '{lang}': use one of {', '.join(TEXT)}.")
    deck = Deck(lang, has_sample(session))
    body = get_body(session=session, body_id=body_id) if body_id is not None else None
    changes = changes_for_body(session=session, body_id=body_id, today=today, since=since, lang=lang)
    agenda = build_agenda(session=session, body_id=body_id, today=today, per_agreement=TABLE_ROWS, lang=lang)
    agreements = {a.id: a for a in session.exec(select(Agreement)).all()}
    name = body_name(body, lang) if body else gettext(lang, ALL_AGREEMENTS)
    _title_slide(deck, name, today, changes.since, len([p for p in agenda if p.kind == "agreement"]))
    for point in agenda:
        if point.kind == "agreement":
            items = [p.item for p in agenda if p.kind == "item" and p.agreement_id == point.agreement_id]
            _agreement_slide(deck, point, agreements[point.agreement_id], items, lang, today)
    if extra is not None:
        extra(deck, [p.agreement_id for p in agenda if p.kind == "agreement"])
    rest = _changes_slide(deck, changes)
    meeting = find_meeting(session=session, body_id=body_id, held_on=today) if body_id is not None else None
    if meeting is not None:
        _record_slide(deck, meeting_record(session=session, meeting_id=meeting.id, today=today, lang=lang))
    _changes_appendix(deck, rest)
    _appendix(deck, session, [agreements[p.agreement_id] for p in agenda if p.kind == "agreement"], lang)
    return deck.bytes()


def _title_slide(deck: Deck, body: str, today: date, since: date, n: int) -> None:
    tx = deck.tx
    slide = deck.slide(tx["pack_title"])
    lines = [body, tx["date"].format(d=format_date(today, tx["lang"])), tx["since"].format(d=format_date(since, tx["lang"])),
             Plural(N_("{n} agreement"), N_("{n} agreements"), n=n).text(tx["lang"])]
    deck.text(slide, "\n".join(lines), 0.6, 1.6, 12, 3, size=24)
    if deck.sample:
        deck.text(slide, tx["sample_long"], 0.6, 5.0, 12, 1.2, size=16, bold=True, colour=labels.RAG_COLOURS[RAG.RED])


def _agreement_slide(deck: Deck, point: AgendaPoint, agreement: Agreement, items: list, lang: str, today: date) -> None:
    tx, k = deck.tx, point.kpis
    slide = deck.slide(f"{agreement.code}: {localised(agreement, 'title', lang)}")
    tiles = [(tx["items"], str(k.items)), (tx["complete"], "–" if k.percent_complete is None else f"{k.percent_complete:.0f}%"),
             (tx["level"], tx["levels"][rules.completion_level(k.percent_complete)]), (tx["overdue"], str(k.overdue)),
             (tx["at_risk"], str(k.at_risk)), (tx["stale"], str(k.stale))]
    for n, (label, value) in enumerate(tiles):
        deck.text(slide, f"{value}\n{label}", 0.4 + n * 2.1, 1.1, 2.0, 0.8, size=16, bold=True)
    _status_chart(slide, point, tx)
    _area_chart(slide, point, tx)
    header = [tx["item"], tx["lead"], tx["due"], tx["status"], tx["progress"], tx["rag"]]
    rows = [[i.title, i.lead, format_date(i.due, lang), labels.status_label(i.status, lang),
             f"{i.progress}%", labels.rag_text(i.rag, lang)] for i in items
            if i.rag == RAG.RED or rules.is_overdue(status=i.status, due=i.due, today=today)][:TABLE_ROWS]
    if rows:
        deck.table(slide, header, rows, 0.4, 4.45, 12.5, [5.6, 1.0, 1.4, 1.6, 1.2, 1.7], size=10)
    else:
        deck.text(slide, tx["no_red"], 0.4, 4.5, 12.5, 0.5, size=14)


def _status_chart(slide, point: AgendaPoint, tx: dict) -> None:  # noqa: ANN001
    """Items per status: one stacked bar, one series per status, coloured from styles."""
    data = CategoryChartData()
    data.categories = [chart_label(point.code)]
    counts = point.status_counts
    present = [s for s in labels.STATUS_ORDER if counts.get(s)]
    for s in present:
        data.add_series(labels.status_label(s, tx["lang"]), [counts[s]])
    frame = add_text_chart(slide.shapes, XL_CHART_TYPE.BAR_STACKED, Inches(0.4), Inches(1.95), Inches(4.6), Inches(2.4), data)
    chart = frame.chart
    chart.has_title, chart.has_legend = True, True
    chart.chart_title.text_frame.text = tx["status_chart"]
    chart.legend.position, chart.legend.include_in_layout = XL_LEGEND_POSITION.BOTTOM, False
    for series, s in zip(chart.series, present):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = _rgb(labels.STATUS_COLOURS[s])


def _area_chart(slide, point: AgendaPoint, tx: dict) -> None:  # noqa: ANN001
    data = CategoryChartData(number_format='0"%"')
    data.categories = [chart_label(word_cut(a.area, 60)) for a in point.areas] or ["–"]
    data.add_series(tx["progress"], [round(a.progress or 0, 1) for a in point.areas] or [0])
    data.add_series(tx["expected"], [round(a.expected or 0, 1) for a in point.areas] or [0])
    frame = add_text_chart(slide.shapes, XL_CHART_TYPE.BAR_CLUSTERED, Inches(5.2), Inches(1.95), Inches(7.7), Inches(2.4), data)
    chart = frame.chart
    chart.has_title, chart.has_legend = True, True
    chart.chart_title.text_frame.text = tx["area_chart"]
    chart.legend.position, chart.legend.include_in_layout = XL_LEGEND_POSITION.BOTTOM, False
    chart.value_axis.maximum_scale, chart.value_axis.minimum_scale = 100, 0
    chart.category_axis.reverse_order = True
    for series, colour in zip(chart.series, (labels.PROGRESS_COLOUR, labels.REFERENCE_COLOUR)):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = _rgb(colour)


def _change_rows(deck: Deck, lines: list[tuple[str, ChangeLine]]) -> list[list[str]]:
    tx, lang = deck.tx, deck.tx["lang"]
    rows = []
    for group, c in lines:
        now = f"{labels.status_label(c.item.status, lang)} {c.item.progress}%"
        move = now if c.before is None else f"{labels.status_label(c.before.status, lang)} {c.before.progress}% → {now}"
        rows.append([tx["kinds"][group], c.item.title, c.item.agreement, move, labels.rag_text(c.item.rag, lang)])
    return rows


def _changes_slide(deck: Deck, changes: Changes) -> list[tuple[str, ChangeLine]]:
    """Every changed item (one row per item and group), or the first CHANGE_ROWS and "and N more";
    returns all rows for the appendix when some did not fit."""
    tx = deck.tx
    slide = deck.slide(tx["changes"].format(d=format_date(changes.since, tx["lang"])))
    lines = [(g, c) for g in GROUPS for c in changes.groups[g]]
    summary = "   ".join(f"{tx['kinds'][g]}: {len(changes.groups[g])}" for g in GROUPS)
    deck.text(slide, summary, 0.4, 1.1, 12.5, 0.5, size=16, bold=True)
    if lines:
        deck.table(slide, CHANGE_HEADER(tx), _change_rows(deck, lines[:CHANGE_ROWS]), 0.4, 1.7, 12.5,
                   CHANGE_WIDTHS, size=9)
    if len(lines) > CHANGE_ROWS:
        deck.text(slide, tx["more"].format(n=len(lines) - CHANGE_ROWS), 0.4, 6.6, 12.5, 0.4, size=12, bold=True)
        return lines
    return []


def _changes_appendix(deck: Deck, lines: list[tuple[str, ChangeLine]]) -> None:
    for start in range(0, len(lines), APPENDIX_ROWS):
        slide = deck.slide(deck.tx["changes_all"])
        deck.table(slide, CHANGE_HEADER(deck.tx), _change_rows(deck, lines[start:start + APPENDIX_ROWS]), 0.4, 1.1, 12.5,
                   CHANGE_WIDTHS, size=9)


def _record_slide(deck: Deck, record: MeetingRecord) -> None:
    """The decisions and new action items recorded at the meeting of the pack's day."""
    tx, lang = deck.tx, deck.tx["lang"]
    slide = deck.slide(tx["recorded"])
    rows = [[tx["decision"], d.text, item.title if item else "–", format_date(item.due if item else None, lang)]
            for d, item in record.decisions]
    rows += [[tx["new_item"], i.title, i.owner or "–", format_date(i.due, lang)] for i in record.new_items]
    if rows:
        deck.table(slide, [tx["change"], tx["item"], tx["owner"], tx["due"]], rows[:CHANGE_ROWS], 0.4, 1.1, 12.5,
                   [1.8, 6.6, 2.4, 1.7], size=10)
    else:
        deck.text(slide, tx["nothing_recorded"], 0.4, 1.2, 12.5, 0.5, size=14)


def _appendix(deck: Deck, session: Session, agreements: list[Agreement], lang: str) -> None:
    """The commitment areas' clauses exactly as the source states them (Malay)."""
    docs = {d.id: d for d in session.exec(select(SourceDocument)).all()}
    for a in agreements:
        areas = session.exec(select(CommitmentArea).where(CommitmentArea.agreement_id == a.id, ~CommitmentArea.archived,
                                                          CommitmentArea.quote_start.is_not(None))
                             .order_by(CommitmentArea.position)).all()
        quoted = [(ar, docs[ar.source_document_id]) for ar in areas if ar.source_document_id in docs]
        if not quoted:
            continue
        slide = deck.slide(f"{deck.tx['appendix']}: {a.code}")
        lines = [f"{localised(ar, 'title', lang)}: «{doc.text[ar.quote_start:ar.quote_end]}»" for ar, doc in quoted]
        deck.text(slide, "\n".join(lines), 0.4, 1.1, 12.5, 5.8, size=13)
        deck.text(slide, deck.tx["verbatim"].format(src=quoted[0][1].title), 0.4, 6.6, 12.5, 0.4, size=10)
