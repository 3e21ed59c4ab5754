"""The Excel status report: Summary, one sheet per agreement, Items (the sheet officials
edit and re-import), Updates, Overdue and About. Written with openpyxl's write_only mode,
rows streamed from the database, so the full history never sits in memory."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, BinaryIO, Callable, Iterable, Optional, Union

from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from sqlmodel import Session, select

from models import Agreement, CommitmentArea, SourceDocument, User
from services import rules, styles
from services.agreements import list_agreements
from services.excel_common import ITEM_COLUMNS, ITEMS_SHEET, label, status_label, status_labels
from services.excel_data import ItemRow, agreement_ids_for, item_rows, naive_utc, update_rows
from services.i18n import N_
from services.excel_sheets import (
    BOLD, DATE_FORMAT, DATETIME_FORMAT, EDITABLE_FILL, UNLOCKED, WRAP, Memo, SharedStyles, cell,
    header_row, rag_templates, setup_sheet, sheet_title,
)
from services.excel_stream import RowStream, save_workbook
from services.excel_summary import write_summary
from services.queries import item_states, rollup
from services.sample import has_sample, sample_note

DEFAULT_HISTORY_DAYS = 90
Progress = Callable[[float, str], None]


@dataclass
class ReportInfo:
    items: int
    updates: int
    sheets: list[str]
    sample: bool


@dataclass
class ReportContext:
    session: Session
    today: date
    now: datetime
    lang: str
    actor_name: str
    codes: list[str]
    agreement_ids: Optional[list[int]]
    items: list[ItemRow]
    sample: bool
    streams: list[RowStream] = field(default_factory=list)
    _templates: Optional[SharedStyles] = None

    def __post_init__(self) -> None:
        # looked up once per label, not once per cell (~70,000 rows at scale M)
        self.status = Memo(lambda key: None if key is None else status_label(key, self.lang))
        self.rag = Memo(lambda key: styles.rag_text(key, self.lang))

    def t(self, text: str) -> str:
        return label(text, self.lang)

    def templates(self, ws) -> SharedStyles:  # noqa: ANN001
        if self._templates is None:
            self._templates = SharedStyles(ws, [self.t(h) for h, _ in AGREEMENT_COLUMNS])
        return self._templates

    def rows(self, ws, templates, *, first_row: int) -> RowStream:  # noqa: ANN001
        """The body rows of a sheet, written by excel_stream (see there why) at the save."""
        stream = RowStream(ws, templates, first_row=first_row)
        self.streams.append(stream)
        return stream


def write_report(
    *, session: Session, actor: Optional[User], today: date, now: datetime,
    out: Union[str, BinaryIO], codes: Iterable[str] = (), lang: str = "en",
    full_history: bool = False, progress: Optional[Progress] = None,
) -> ReportInfo:
    """Write the status report to `out` (a path or a binary file). Anyone may export."""
    step = progress or (lambda fraction, message: None)
    label("", lang)  # refuse an unknown language before any work
    codes = list(codes)
    ids = agreement_ids_for(session, codes)
    step(0.05, "Reading action items")
    ctx = ReportContext(
        session=session, today=today, now=now, lang=lang,
        actor_name=actor.display_name if actor else label(N_("Not signed in"), lang), codes=codes,
        agreement_ids=ids, items=item_rows(session, today=today, agreement_ids=ids),
        sample=has_sample(session),
    )
    wb = Workbook(write_only=True)
    _properties(wb, ctx)
    taken: set[str] = set()
    step(0.15, "Summary")
    write_summary(wb.create_sheet(sheet_title(ctx.t("Summary"), taken)), ctx,
                  list_agreements(session=session, today=today), _area_progress(ctx))
    by_agreement: dict[str, list[ItemRow]] = defaultdict(list)
    for row in ctx.items:
        by_agreement[row.agreement].append(row)
    areas = _areas_by_agreement(ctx)
    for a in _agreements(ctx):
        _agreement_sheet(wb.create_sheet(sheet_title(a.code, taken)), ctx, a, by_agreement[a.code], areas[a.id])
    step(0.35, "Items")
    _items_sheet(wb.create_sheet(sheet_title(ctx.t(ITEMS_SHEET), taken)), ctx)
    step(0.5, "Update history")
    days = None if full_history else DEFAULT_HISTORY_DAYS
    n_updates = _updates_sheet(wb.create_sheet(sheet_title(ctx.t("Updates"), taken)), ctx, days)
    step(0.85, "Overdue and About")
    _overdue_sheet(wb.create_sheet(sheet_title(ctx.t("Overdue"), taken)), ctx)
    _about_sheet(wb.create_sheet(sheet_title(ctx.t("About"), taken)), ctx, days)
    names = [ws.title for ws in wb.worksheets]
    step(0.9, "Saving the workbook")
    save_workbook(wb, out, ctx.streams)
    step(1.0, "Done")
    return ReportInfo(items=len(ctx.items), updates=n_updates, sheets=names, sample=ctx.sample)


def _properties(wb: Workbook, ctx: ReportContext) -> None:
    p = wb.properties
    p.title = ctx.t("MoU Tracker status report")
    p.subject = ctx.t("Progress of the agreements' action items as of {d}").replace("{d}", ctx.today.isoformat())
    p.creator = ctx.actor_name
    p.lastModifiedBy = ctx.actor_name
    p.created = p.modified = naive_utc(ctx.now)
    p.keywords = "MoU Tracker; status report"
    p.language = ctx.lang


def _agreements(ctx: ReportContext) -> list[Agreement]:
    stmt = select(Agreement).where(~Agreement.archived).order_by(Agreement.code)
    if ctx.agreement_ids is not None:
        stmt = stmt.where(Agreement.id.in_(ctx.agreement_ids))
    return list(ctx.session.exec(stmt).all())


def _area_progress(ctx: ReportContext) -> list[tuple[str, str, Optional[float]]]:
    """(agreement code, area title, weighted progress) for every live area."""
    per_area = defaultdict(list)
    for s in item_states(ctx.session, agreement_ids=ctx.agreement_ids):
        per_area[s.area_id].append(s)
    stmt = (select(Agreement.code, CommitmentArea.id, CommitmentArea.title_en)
            .join(Agreement, Agreement.id == CommitmentArea.agreement_id)
            .where(~CommitmentArea.archived, ~Agreement.archived)
            .order_by(Agreement.code, CommitmentArea.position, CommitmentArea.id))
    if ctx.agreement_ids is not None:
        stmt = stmt.where(Agreement.id.in_(ctx.agreement_ids))
    return [(code, title, rollup(per_area[area_id])) for code, area_id, title in ctx.session.exec(stmt).all()]


AGREEMENT_COLUMNS = [(N_("Action item"), 50), (N_("Lead"), 10), (N_("Owner"), 24), (N_("Start"), 13), (N_("Due"), 13),
                     (N_("Status"), 14), (N_("Progress (%)"), 10), (N_("RAG"), 12), (N_("Last update"), 13), (N_("Last note"), 50)]


def _areas_by_agreement(ctx: ReportContext) -> dict[int, list[CommitmentArea]]:
    """Every live area in one query (500 agreements at scale M: not one query each)."""
    out: dict[int, list[CommitmentArea]] = defaultdict(list)
    stmt = select(CommitmentArea).where(~CommitmentArea.archived).order_by(CommitmentArea.position, CommitmentArea.id)
    if ctx.agreement_ids is not None:
        stmt = stmt.where(CommitmentArea.agreement_id.in_(ctx.agreement_ids))
    for area in ctx.session.exec(stmt).all():
        out[area.agreement_id].append(area)
    return out


def _agreement_sheet(ws, ctx: ReportContext, a: Agreement, rows: list[ItemRow],  # noqa: ANN001
                     areas: list[CommitmentArea]) -> None:
    """All ~500 of them at scale M: every row, headers too, goes through one stream with
    styles made once per workbook, so a sheet costs little more than openpyxl's own setup."""
    setup_sheet(ws, [w for _, w in AGREEMENT_COLUMNS], freeze="A4", header_row=3)
    tpl = ctx.templates(ws)
    writer = ctx.rows(ws, [None] * len(AGREEMENT_COLUMNS), first_row=1)
    writer.append([f"{a.code} — {a.title_en}"], templates={0: tpl.bold})
    writer.append([ctx.t("As of"), ctx.today], templates={1: tpl.date})
    writer.append(tpl.headers, templates=tpl.header_styles)
    area_style, rag = {0: tpl.bold, 1: tpl.bold, 6: tpl.bold}, tpl.rag
    per_area = defaultdict(list)
    for r in rows:
        per_area[r.area_id].append(r)
    for area in areas:
        items = per_area[area.id]
        done = [r.progress for r in items if r.status != "cancelled"]
        writer.append([area.title_en, ctx.t("{n} items").replace("{n}", str(len(items))),
                       None, None, None, None, round(sum(done) / len(done)) if done else None],
                      templates=area_style)
        for r in items:
            writer.append(["    " + r.title, r.lead, r.owner, r.start, r.due, ctx.status[r.status],
                           r.progress, ctx.rag[r.rag], r.last_update, r.note],
                          templates={7: rag[styles.rag_key(r.rag)]})


def _items_sheet(ws, ctx: ReportContext) -> None:  # noqa: ANN001
    cols = ITEM_COLUMNS
    setup_sheet(ws, [c.width for c in cols], freeze="C2")
    ws.append(header_row(ws, [ctx.t(c.header) for c in cols], [c.editable for c in cols]))
    templates = []
    for c in cols:
        fmt = DATE_FORMAT if c.kind == "date" else None
        templates.append(cell(ws, fill=EDITABLE_FILL, protection=UNLOCKED, number_format=fmt) if c.editable else None)
    writer, rag = ctx.rows(ws, templates, first_row=2), rag_templates(ws)
    rag_at = [c.key for c in cols].index("rag")
    getters = [_ITEM_VALUES[c.key] for c in cols]  # the columns' order is ITEM_COLUMNS' alone
    for r in ctx.items:
        writer.append([get(r, ctx) for get in getters], templates={rag_at: rag[styles.rag_key(r.rag)]})
    last = len(ctx.items) + 1
    _item_validations(ws, ctx, last)
    ws.auto_filter.ref = f"A1:{_letter(len(cols))}{last}"
    prot = ws.protection
    prot.sheet = True
    prot.autoFilter = prot.sort = prot.formatColumns = prot.formatRows = False


_ITEM_VALUES: dict[str, Callable[[ItemRow, ReportContext], Any]] = {
    "id": lambda r, ctx: r.id, "version": lambda r, ctx: r.version, "agreement": lambda r, ctx: r.agreement,
    "area": lambda r, ctx: r.area, "title": lambda r, ctx: r.title, "lead": lambda r, ctx: r.lead,
    "rag": lambda r, ctx: ctx.rag[r.rag], "last_update": lambda r, ctx: r.last_update,
    "status": lambda r, ctx: ctx.status[r.status], "progress": lambda r, ctx: r.progress,
    "due_date": lambda r, ctx: r.due, "owner": lambda r, ctx: r.owner or None,
    "note": lambda r, ctx: None, "evidence": lambda r, ctx: None,
}


def _letter(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def _item_validations(ws, ctx: ReportContext, last: int) -> None:  # noqa: ANN001
    keys = [c.key for c in ITEM_COLUMNS]
    status = DataValidation(type="list", formula1='"' + ",".join(status_labels(ctx.lang)) + '"',
                            allow_blank=False, showErrorMessage=True, errorTitle=ctx.t("Status"),
                            error=ctx.t("Choose a status from the list."))
    progress = DataValidation(type="whole", operator="between", formula1="0", formula2="100",
                              showErrorMessage=True, errorTitle=ctx.t("Progress"),
                              error=ctx.t("Progress is a whole number from 0 to 100."))
    due = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True,
                         showErrorMessage=True, errorTitle=ctx.t("Due date"),
                         error=ctx.t("Type a date, for example 16/04/2026."))
    for dv, key in ((status, "status"), (progress, "progress"), (due, "due_date")):
        col = _letter(keys.index(key) + 1)
        dv.add(f"{col}2:{col}{max(last, 2)}")
        ws.data_validations.append(dv)


UPDATE_COLUMNS = [(N_("Date and time (UTC)"), 18), (N_("Item ID"), 9), (N_("Action item"), 44), (N_("Agreement"), 18),
                  (N_("Status before"), 14), (N_("Status after"), 14), (N_("Progress before"), 10),
                  (N_("Progress after"), 10), (N_("Note"), 50), (N_("Evidence link"), 30), (N_("Author"), 22), (N_("Source"), 9)]


def _updates_sheet(ws, ctx: ReportContext, days: Optional[int]) -> int:  # noqa: ANN001
    setup_sheet(ws, [w for _, w in UPDATE_COLUMNS])
    ws.append(header_row(ws, [ctx.t(h) for h, _ in UPDATE_COLUMNS]))
    writer = ctx.rows(ws, [None] * len(UPDATE_COLUMNS), first_row=2)
    labels = ctx.status
    for r in update_rows(ctx.session, now=ctx.now, days=days, agreement_ids=ctx.agreement_ids):
        writer.append((naive_utc(r[0]), r[1], r[2], r[3], labels[r[4]], labels[r[5]],
                       r[6], r[7], r[8], r[9], r[10], r[11]))
    ws.auto_filter.ref = f"A1:{_letter(len(UPDATE_COLUMNS))}{writer.rows + 1}"
    return writer.rows


OVERDUE_COLUMNS = [(N_("Item ID"), 9), (N_("Agreement"), 18), (N_("Commitment area"), 30), (N_("Action item"), 50),
                   (N_("Lead"), 10), (N_("Owner"), 24), (N_("Due"), 13), (N_("Days overdue"), 10), (N_("Status"), 14),
                   (N_("Progress (%)"), 10), (N_("RAG"), 12)]


def _overdue_sheet(ws, ctx: ReportContext) -> None:  # noqa: ANN001
    setup_sheet(ws, [w for _, w in OVERDUE_COLUMNS])
    ws.append(header_row(ws, [ctx.t(h) for h, _ in OVERDUE_COLUMNS]))
    writer, rag = ctx.rows(ws, [None] * len(OVERDUE_COLUMNS), first_row=2), rag_templates(ws)
    late = [r for r in ctx.items if rules.is_overdue(status=r.status, due=r.due, today=ctx.today)]
    for r in sorted(late, key=lambda r: (r.due, r.id)):
        writer.append([r.id, r.agreement, r.area, r.title, r.lead, r.owner, r.due, (ctx.today - r.due).days,
                       ctx.status[r.status], r.progress, ctx.rag[r.rag]],
                      templates={10: rag[styles.rag_key(r.rag)]})
    ws.auto_filter.ref = f"A1:{_letter(len(OVERDUE_COLUMNS))}{writer.rows + 1}"


def _about_sheet(ws, ctx: ReportContext, days: Optional[int]) -> None:  # noqa: ANN001
    setup_sheet(ws, [28, 100], freeze=None)
    docs = ctx.session.exec(select(SourceDocument).order_by(SourceDocument.id)).all()
    source = "; ".join(f"{d.title} ({d.issuer}, {d.issued_on:%d %B %Y})" for d in docs) or "–"
    history = (ctx.t("Full history") if days is None
               else ctx.t("The last {n} days").replace("{n}", str(days)))
    lines = [
        (ctx.t("MoU Tracker status report"), None),
        (ctx.t("Generated at (UTC)"), cell(ws, naive_utc(ctx.now), number_format=DATETIME_FORMAT)),
        (ctx.t("Generated by"), ctx.actor_name),
        (ctx.t("As of"), cell(ws, ctx.today, number_format=DATE_FORMAT)),
        (ctx.t("Source document"), source),
        (ctx.t("Update history"), history),
        (ctx.t("Sample data"), ctx.t(sample_note(ctx.session)) if ctx.sample else ctx.t("None: every row is real data.")),
        (ctx.t("How to re-import"), ctx.t(
            "Edit only the yellow columns of the Items sheet (Status, Progress, Due date, Owner, Note, "
            "Evidence link); keep Item ID and Version as they are. Save as .xlsx and upload it on the "
            "Reports page (secretariat or administrator), or run: python manage.py import FILE --as "
            "USERNAME --dry-run. A preview shows every change before anything is saved; rows changed "
            "in the dashboard since this export are shown as conflicts.")),
    ]
    for key, value in lines:
        ws.append([cell(ws, key, font=BOLD), cell(ws, value, alignment=WRAP) if isinstance(value, str) else value])

