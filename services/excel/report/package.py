"""The report's Package sheet: one row per agreement of a package (a state visit's agreements)
with its stage, commitment coverage, expiry and notice deadline, under a line per package
saying how many of its stated agreements are recorded.

Kept apart from the workbook writer on purpose: `package_sheet` builds plain rows (values and a
kind per column), and one small writer per library lays them out: `write_openpyxl` for a
write-only openpyxl sheet, `write_xlsxwriter` for an XlsxWriter worksheet."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Optional

from sqlmodel import Session, select

from core.settings import get_settings
from models import AgreementPackage
from services import labels
from services.i18n.translate import N_, translator
from services.lifecycle.package import package_view
from services.lifecycle.words import yes_no

# (header, kind, width): kind tells each writer the number format.
COLUMNS = [
    (N_("Package"), "text", 30), (N_("Code"), "text", 16), (N_("Agreement"), "text", 44), (N_("Malaysian lead"), "text", 12),
    (N_("Counterpart"), "text", 16), (N_("Signed"), "date", 12), (N_("Status"), "text", 14), (N_("Stage"), "text", 24),
    (N_("Commitment areas"), "int", 11), (N_("Areas with a live item"), "int", 11), (N_("Commitment coverage"), "percent", 11),
    (N_("Expires"), "date", 12), (N_("Notice deadline"), "date", 12), (N_("Days to expiry"), "int", 10),
    (N_("Dormant"), "text", 10),
]
DATE_FORMAT = "yyyy-mm-dd"
PERCENT_FORMAT = "0%"


@dataclass(frozen=True)
class PackageSheet:
    title: str
    headers: list[str]
    kinds: list[str]
    widths: list[int]
    notes: list[str]  # one line per package: "<name>: 3 of 31 recorded"
    rows: list[list[Any]]


def package_sheet(*, session: Session, today: date, lang: str = "en", codes: Iterable[str] = (),
                  dormant_days: Optional[int] = None) -> Optional[PackageSheet]:
    """The sheet's content in `lang`; None when no package holds any of the report's
    agreements (`codes`: the report's filter; empty means all)."""
    _ = translator(lang)
    wanted, days = set(codes), dormant_days or get_settings().dormant_days
    notes, rows = [], []
    for package in session.exec(select(AgreementPackage).order_by(AgreementPackage.name)).all():
        view = package_view(session=session, package_id=package.id, today=today, dormant_days=days, lang=lang)
        chosen = [r for r in view.rows if not wanted or r.code in wanted]
        if not chosen:
            continue
        stated = view.stated_total
        notes.append(_("{name}: {n} of {total} recorded", name=view.name, n=view.recorded, total=stated)
                     if stated else f"{view.name}: {view.recorded}")
        rows += [[view.name, r.code, r.title, r.lead, r.counterparts, r.signed_on,
                  labels.agreement_status_label(r.facts.status, lang), labels.stage_label(r.facts.stage, lang),
                  r.facts.areas, r.facts.covered, r.facts.coverage, r.facts.expiry, r.facts.notice_deadline,
                  r.facts.days_to_expiry, yes_no(r.facts.dormant, lang) if r.facts.dormant else ""]
                 for r in chosen]
    if not rows:
        return None
    return PackageSheet(title=_(N_("Package")), headers=[_(h) for h, _k, _w in COLUMNS], kinds=[k for _h, k, _w in COLUMNS],
                        widths=[w for _h, _k, w in COLUMNS], notes=notes, rows=rows)


def write_openpyxl(ws, sheet: PackageSheet) -> None:  # noqa: ANN001
    """Onto a write-only openpyxl worksheet (widths before the first row, as write-only needs)."""
    from services.excel.report.sheets import BOLD, cell, header_row, setup_sheet

    setup_sheet(ws, sheet.widths, freeze=f"A{len(sheet.notes) + 3}", header_row=len(sheet.notes) + 2)
    for note in sheet.notes:
        ws.append([cell(ws, note, font=BOLD)])
    ws.append([])
    ws.append(header_row(ws, sheet.headers))
    formats = {"date": DATE_FORMAT, "percent": PERCENT_FORMAT}
    for values in sheet.rows:
        ws.append([cell(ws, v, number_format=formats.get(kind)) if v is not None else None
                   for v, kind in zip(values, sheet.kinds)])


def write_xlsxwriter(workbook, worksheet, sheet: PackageSheet) -> None:  # noqa: ANN001
    """Onto an XlsxWriter worksheet: text is written as text (never read as a formula)."""
    bold = workbook.add_format({"bold": True})
    header = workbook.add_format({"bold": True, "bg_color": "#D9D9D9", "text_wrap": True, "valign": "top"})
    formats = {"date": workbook.add_format({"num_format": DATE_FORMAT}),
               "percent": workbook.add_format({"num_format": PERCENT_FORMAT})}
    for col, width in enumerate(sheet.widths):
        worksheet.set_column(col, col, width)
    for row, note in enumerate(sheet.notes):
        worksheet.write_string(row, 0, note, bold)
    top = len(sheet.notes) + 1
    for col, text in enumerate(sheet.headers):
        worksheet.write_string(top, col, text, header)
    worksheet.freeze_panes(top + 1, 0)
    for r, values in enumerate(sheet.rows, start=top + 1):
        for col, (value, kind) in enumerate(zip(values, sheet.kinds)):
            if value is None:
                continue
            if kind == "date":
                worksheet.write_datetime(r, col, value, formats["date"])
            elif kind in ("int", "percent"):
                worksheet.write_number(r, col, value, formats.get(kind))
            else:
                worksheet.write_string(r, col, str(value))
