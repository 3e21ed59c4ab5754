"""The kinds behind the field cases, each built here in a fixture of its own: a title block
and a two-row merged header, total and average rows, percent formats on the Items sheet,
_xHHHH_ escapes, ambiguous and month-first dates, status words mapped (page, file, memory),
the same preview and result on SQLite and PostgreSQL."""
from __future__ import annotations

import json
from datetime import date

import openpyxl
import pytest
from sqlmodel import select

from models import ActionItem, CommitmentArea
from services.excel.imports.apply import apply_import
from services.excel.imports.items_sheet import read_import
from services.excel.imports.layout import signature
from services.excel.imports.status_words import load_mapping_file, remembered
from services.excel.imports.values import BadValue, decode_escapes, parse_date
from tests.conftest import TODAY
from tests.unit.excel_fixtures import NOW, export_bytes, items_header, reopen, snapshot, to_bytes
from tests.unit.test_excel_bad_input import FIELD
from tests.unit.test_excel_store import store  # noqa: F401 - the store fixture


def in_progress(session, n=2) -> list[ActionItem]:
    return [i for i in session.exec(select(ActionItem).order_by(ActionItem.id)).all()
            if i.status == "in_progress" and i.progress < 80][:n]


def ministry_tracker(rows: list[list]) -> bytes:
    """A title block, a header whose 'Tempoh Pelaksanaan' is merged over 'Mula' and 'Tamat',
    the rows, then a total row and an average row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Pemantauan"
    ws.append(["KEMENTERIAN DIGITAL — PEMANTAUAN PELAKSANAAN MOU"])
    ws.merge_cells("A1:F1")
    ws.append(["Dikemas kini: 30/11/2026"])
    ws.append([])
    ws.append(["Bil.", "Tindakan", "Tempoh Pelaksanaan", None, "Status", "Peratus Kemajuan", "Catatan"])
    ws.append([None, None, "Mula", "Tamat", None, None, None])
    ws.merge_cells("C4:D4")
    for col in "ABEFG":
        ws.merge_cells(f"{col}4:{col}5")
    for row in rows:
        ws.append(row)
    last = ws.max_row
    ws.append(["Jumlah", None, None, None, None, f"=SUM(F6:F{last})"])
    ws.append([None, "Purata kemajuan", None, None, None, f"=AVERAGE(F6:F{last})"])
    return to_bytes(wb)


def read(session, actor, data, **kw):
    return read_import(session=session, actor=actor, data=data, filename="jejak.xlsx", today=TODAY, **kw)


def test_two_row_header_maps_the_sub_header_and_leaves_totals_out(sampled, users):
    a, b = in_progress(sampled)
    data = ministry_tracker([[1, a.title, "16/04/2025", "31/12/2027", "Dalam pelaksanaan", 0.6],
                             [2, b.title, date(2025, 5, 1), date(2028, 3, 31), "Dalam pelaksanaan", None]])
    plan = read(sampled, users["secretariat"], data)
    assert plan.header_row == 4 and plan.headers[2:4] == ["Mula", "Tamat"]
    assert plan.mapping["due_date"] == 3  # Tamat, never the start date under the merged parent
    assert plan.ok, [p.text() for p in plan.problems]
    dues = {r.item_id: r.target["due_date"] for r in plan.rows}
    assert dues == {a.id: date(2027, 12, 31), b.id: date(2028, 3, 31)}
    assert [label for _, label in plan.left_out] == ["Jumlah", "Purata kemajuan"]
    assert plan.data_rows == 4 and len(plan.rows) == 2


def test_month_first_column_makes_ambiguous_dates_problems(sampled, users):
    a, b = in_progress(sampled)
    data = ministry_tracker([[1, a.title, None, "04/16/2027", "Dalam pelaksanaan", None],
                             [2, b.title, None, "03/04/2027", "Dalam pelaksanaan", None]])
    plan = read(sampled, users["secretariat"], data)
    cells = {p.cell for p in plan.problems}
    assert cells == {"D6", "D7"}
    assert any("two ways" in p.text() for p in plan.problems)


@pytest.mark.parametrize("text,expected", [
    ("16/04/2025", date(2025, 4, 16)), ("3 Ogos 2025", date(2025, 8, 3)), ("16 Mac 2025", date(2025, 3, 16)),
    ("2027年9月30日", date(2027, 9, 30)), ("2027/9/30", date(2027, 9, 30)), ("Sept 30, 2027", date(2027, 9, 30)),
])
def test_text_dates(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["05/06/07", "31/02/2025", "04/16/2025", "minggu depan"])
def test_dates_refused(text):
    with pytest.raises(BadValue):
        parse_date(text)


def test_escapes_decoded():
    assert decode_escapes("a_x000D_\nb") == "a\r\nb"
    assert decode_escapes("_x005F_x000D_") == "_x000D_"  # an escaped underscore keeps the text


def test_items_sheet_percent_format_is_a_share(sampled, users):
    wb = reopen(export_bytes(sampled))
    ws = wb["Items"]
    col = items_header(ws)
    a = in_progress(sampled, 1)[0]
    r = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col["Item ID"]).value == a.id)
    ws.cell(r, col["Progress (%)"]).value = 0.85
    ws.cell(r, col["Progress (%)"]).number_format = "0%"
    plan = read(sampled, users["secretariat"], to_bytes(wb))
    assert plan.ok and [row.target["progress"] for row in plan.changed_rows] == [85]
    ws.cell(r, col["Progress (%)"]).value = 0.955
    plan = read(sampled, users["secretariat"], to_bytes(wb))
    assert [p.cell for p in plan.problems] == [f"J{r}"] and "whole percentage" in plan.problems[0].text()


def test_status_words_mapped_by_file_then_remembered(sampled, users):
    a, b = in_progress(sampled)
    data = ministry_tracker([[1, a.title, None, None, "KIV", None, "Menunggu kelulusan KSU."],
                             [2, b.title, None, None, "WIP", None, "Draf dihantar."]])
    sec = users["secretariat"]
    before = snapshot(sampled)
    plan = read(sampled, sec, data)
    assert plan.status_words == {"KIV": [6], "WIP": [7]} and not plan.ok
    statuses = load_mapping_file(json.dumps({"KIV": "On hold", "WIP": "in_progress"}))
    plan = read(sampled, sec, data, statuses=statuses)
    assert plan.ok and {r.item_id: r.target["status"] for r in plan.rows} == {a.id: "on_hold", b.id: "in_progress"}
    assert snapshot(sampled) == before
    apply_import(session=sampled, actor=sec, plan=plan, now=NOW)
    assert remembered(sampled, plan.signature) == {"KIV": "on_hold", "WIP": "in_progress"}
    assert plan.signature == signature(plan.headers)
    again = read(sampled, sec, data)  # the next import of the same tracker needs no mapping
    assert again.status_words == {} and again.statuses == {"KIV": "on_hold", "WIP": "in_progress"}


def test_mapping_file_refusals():
    from services.errors import ValidationFailed

    for text in ("not json", "[1]", '{"KIV": "maybe"}'):
        with pytest.raises(ValidationFailed):
            load_mapping_file(text)


def test_same_preview_and_result_on_every_store(store):
    """A too-long title is a row problem naming the limit, and a tracker's new rows (CJK text,
    characters outside the basic plane, emoji) are created once and matched on re-import, on
    SQLite and PostgreSQL alike: nothing reaches the database to fail there."""
    session, sec = store
    long_plan = read(session, sec, (FIELD / "long_title_tracker.xlsx").read_bytes())
    assert [p.text() for p in long_plan.problems] == [
        "Pemantauan, cell A2 (column Tindakan): Tindakan is 662 characters long; the limit is 500."]
    data = (FIELD / "cjk_emoji_tracker.xlsx").read_bytes()
    plan = read(session, sec, data)
    assert len(plan.new_rows) == 2 and plan.ok
    area_id = session.exec(select(CommitmentArea.id).order_by(CommitmentArea.id)).first()
    apply_import(session=session, actor=sec, plan=plan, now=NOW, area_id=area_id)
    titles = set(session.exec(select(ActionItem.title)).all())
    assert "数字经济政策对话 𠀋 第二轮" in titles
    again = read(session, sec, data)
    assert again.new_rows == [] and again.ok


CORE = (b'<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/'
        b'package/2006/metadata/core-properties" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3'
        b'.org/2001/XMLSchema-instance"><dcterms:modified xsi:type="dcterms:W3CDTF">2020-01-01T00:00:00Z'
        b'</dcterms:modified></cp:coreProperties>')


def test_tracker_saved_before_a_dashboard_change_is_a_conflict(sampled, users):
    from services.excel.imports.reader import saved_at
    from tests.unit.test_excel_bad_input import rezip

    a, b = in_progress(sampled)
    data = rezip(ministry_tracker([[1, a.title, None, None, "Dalam pelaksanaan", 0.9, "Hampir siap."]]),
                 replace={"docProps/core.xml": CORE})
    assert saved_at(data).year == 2020
    sec = users["secretariat"]
    plan = read(sampled, sec, data)
    assert [r.item_id for r in plan.conflicts] == [a.id] and plan.preview() == []
    [line] = [c for c in plan.conflict_view() if c["Field"] == "Progress (%)"]
    assert line["Changed by"] != "–" and line["Changed at"] != "–"
    before = snapshot(sampled)
    apply_import(session=sampled, actor=sec, plan=plan, now=NOW)  # not chosen: nothing written
    assert snapshot(sampled)[0] == before[0]
