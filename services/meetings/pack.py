"""The meeting pack: a PowerPoint file with native, editable charts (python-pptx).

Title slide; per agreement its KPIs, a status chart, a progress-by-area chart and a table of
its Red and overdue items; what changed since the last meeting; the source clauses (Malay,
verbatim) in an appendix. Colours and labels come from services/labels.py."""
from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Callable, Optional

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.util import Inches, Pt
from sqlmodel import Session, select

from models import Agreement, CommitmentArea, RAG, SourceDocument
from services import rules
from services import labels
from services.meetings.changes import CHANGE_KINDS, changes_since
from services.overview.filtered import Filters
from services.meetings.mode import ALL_AGREEMENTS, AgendaPoint, build_agenda, last_meeting
from services.i18n.translate import format_date, gettext
from services.meetings.pack_text import TEXT, localised
from services.seeding.sample import has_sample

TABLE_ROWS = 7  # with the header, 8 rows of 0.32 in end above the sample-data footer
CHANGE_ROWS = 15
W, H = Inches(13.333), Inches(7.5)


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
        slide.shapes.title.text = title
        slide.shapes.title.text_frame.paragraphs[0].font.size = Pt(28)
        slide.shapes.title.left, slide.shapes.title.top = Inches(0.4), Inches(0.2)
        slide.shapes.title.width, slide.shapes.title.height = Inches(12.5), Inches(0.9)
        if self.sample:
            self.text(slide, self.tx["sample"], 0.4, 7.05, 12.5, 0.35, size=11, colour=labels.RAG_COLOURS[RAG.RED])
        return slide

    def text(self, slide, text: str, x: float, y: float, w: float, h: float, *, size: int = 14,  # noqa: ANN001, ANN201
             bold: bool = False, colour: Optional[str] = None):
        box = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
        box.text_frame.word_wrap = True
        for i, line in enumerate(text.split("\n")):
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
                cell.text = str(value)
                cell.text_frame.paragraphs[0].font.size = Pt(size)
        return table

    def bytes(self) -> bytes:
        buf = io.BytesIO()
        self.prs.save(buf)
        return buf.getvalue()


def build_meeting_pack(*, session: Session, today: date, body: Optional[str] = None, lang: str = "en",
                       since: Optional[date] = None,
                       extra: Optional[Callable[["Deck", list[int]], object]] = None) -> bytes:
    """The pack for `body` (None: every agreement) as .pptx bytes. `extra(deck, agreement_ids)`
    adds slides after the agreements' (the package slide of services/lifecycle/pack_slide.py)."""
    if lang not in TEXT:
        raise ValueError(f"Unknown language '{lang}': use one of {', '.join(TEXT)}.")
    deck = Deck(lang, has_sample(session))
    body = body or ALL_AGREEMENTS
    previous = last_meeting(session=session, body=body, before=today)
    since = since or (previous.held_on if previous else today - timedelta(days=30))
    agenda = build_agenda(session=session, body=body, today=today, per_agreement=TABLE_ROWS, lang=lang)
    agreements = {a.id: a for a in session.exec(select(Agreement)).all()}
    _title_slide(deck, body, today, since, len([p for p in agenda if p.kind == "agreement"]))
    for point in agenda:
        if point.kind == "agreement":
            items = [p.item for p in agenda if p.kind == "item" and p.agreement_id == point.agreement_id]
            _agreement_slide(deck, point, agreements[point.agreement_id], items, lang, today)
    if extra is not None:
        extra(deck, [p.agreement_id for p in agenda if p.kind == "agreement"])
    codes = tuple(p.code for p in agenda if p.kind == "agreement")
    _changes_slide(deck, session, since, today, codes)
    _appendix(deck, session, [agreements[p.agreement_id] for p in agenda if p.kind == "agreement"], lang)
    return deck.bytes()


def _title_slide(deck: Deck, body: str, today: date, since: date, n: int) -> None:
    tx = deck.tx
    slide = deck.slide(tx["pack_title"])
    lines = [gettext(tx["lang"], body), tx["date"].format(d=format_date(today, tx["lang"])), tx["since"].format(d=format_date(since, tx["lang"])),  # noqa: E501
             tx["agreements"].format(n=n)]
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
    rows = [[i.title[:70], i.lead, i.due.isoformat() if i.due else "–", labels.status_label(i.status, lang),
             f"{i.progress}%", labels.rag_text(i.rag, lang)] for i in items
            if i.rag == RAG.RED or rules.is_overdue(status=i.status, due=i.due, today=today)][:TABLE_ROWS]
    if rows:
        deck.table(slide, header, rows, 0.4, 4.45, 12.5, [5.6, 1.0, 1.4, 1.6, 1.2, 1.7], size=10)
    else:
        deck.text(slide, tx["no_red"], 0.4, 4.5, 12.5, 0.5, size=14)


def _status_chart(slide, point: AgendaPoint, tx: dict) -> None:  # noqa: ANN001
    """Items per status: one stacked bar, one series per status, coloured from styles."""
    data = CategoryChartData()
    data.categories = [point.code]
    counts = point.status_counts
    present = [s for s in labels.STATUS_ORDER if counts.get(s)]
    for s in present:
        data.add_series(labels.status_label(s, tx["lang"]), [counts[s]])
    frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_STACKED, Inches(0.4), Inches(1.95), Inches(4.6), Inches(2.4), data)
    chart = frame.chart
    chart.has_title, chart.has_legend = True, True
    chart.chart_title.text_frame.text = tx["status_chart"]
    chart.legend.position, chart.legend.include_in_layout = XL_LEGEND_POSITION.BOTTOM, False
    for series, s in zip(chart.series, present):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = _rgb(labels.STATUS_COLOURS[s])


def _area_chart(slide, point: AgendaPoint, tx: dict) -> None:  # noqa: ANN001
    data = CategoryChartData(number_format='0"%"')
    data.categories = [a.area[:40] for a in point.areas] or ["–"]
    data.add_series(tx["progress"], [round(a.progress or 0, 1) for a in point.areas] or [0])
    data.add_series(tx["expected"], [round(a.expected or 0, 1) for a in point.areas] or [0])
    frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, Inches(5.2), Inches(1.95), Inches(7.7), Inches(2.4), data)
    chart = frame.chart
    chart.has_title, chart.has_legend = True, True
    chart.chart_title.text_frame.text = tx["area_chart"]
    chart.legend.position, chart.legend.include_in_layout = XL_LEGEND_POSITION.BOTTOM, False
    chart.value_axis.maximum_scale, chart.value_axis.minimum_scale = 100, 0
    chart.category_axis.reverse_order = True
    for series, colour in zip(chart.series, (labels.PROGRESS_COLOUR, labels.REFERENCE_COLOUR)):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = _rgb(colour)


def _changes_slide(deck: Deck, session: Session, since: date, today: date, codes: tuple[str, ...]) -> None:
    tx = deck.tx
    changes = changes_since(session=session, since=since, today=today, filters=Filters(agreements=codes), limit=4,
                            lang=tx["lang"])
    slide = deck.slide(tx["changes"].format(d=format_date(since, tx["lang"])))
    rows = []
    for kind in CHANGE_KINDS:
        for line in changes.items[kind]:
            before = changes.progress_before.get(line.id)
            move = f"{before}% → {line.progress}%" if before is not None else f"{line.progress}%"
            rows.append([f"{tx['kinds'][kind]} ({changes.totals[kind]})", line.title[:60], line.agreement, move,
                         labels.rag_text(line.rag, tx["lang"])])
    summary = "   ".join(f"{tx['kinds'][k]}: {changes.totals[k]}" for k in CHANGE_KINDS)
    deck.text(slide, summary, 0.4, 1.1, 12.5, 0.5, size=18, bold=True)
    if rows:
        deck.table(slide, [tx["change"], tx["item"], tx["agreement"], tx["progress"], tx["rag"]], rows[:CHANGE_ROWS],
                   0.4, 1.7, 12.5, [2.6, 5.4, 2.0, 1.3, 1.2], size=10)


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
