"""The Reports page: export for everyone; upload -> preview -> confirm for the secretariat."""
from __future__ import annotations

import io
from datetime import datetime, timezone

import openpyxl
import pytest
from sqlmodel import Session, select

from models import ActionItem, ProgressUpdate
from services.excel.common import label
from models import ActionItem, ProgressUpdate, User
from services.items.progress import update_progress
from services.excel.common import label
from services.excel.report.workbook import write_report
from tests.apptest.conftest import run_page, user_id
from tests.apptest.untranslated import page_texts, translated, untranslated
from tests.conftest import TODAY
from tests.unit.excel_fixtures import NOW

PAGE = "views/reports.py"


def edited_report(engine) -> tuple[bytes, int, int]:
    """An exported report with one item's progress raised by 5 (and a note)."""
    with Session(engine) as s:
        buf = io.BytesIO()
        write_report(session=s, actor=None, today=TODAY, now=NOW, out=buf)
        item = next(i for i in s.exec(select(ActionItem).order_by(ActionItem.id)).all()
                    if i.status == "in_progress" and i.progress < 90)
    wb = openpyxl.load_workbook(io.BytesIO(buf.getvalue()))
    ws = wb["Items"]
    head = {c.value: c.column for c in ws[1]}
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, head["Item ID"]).value == item.id)
    ws.cell(row, head["Progress (%)"]).value = item.progress + 5
    ws.cell(row, head["Note"]).value = "Raised in Excel"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), item.id, item.progress + 5


def open_as(engine, username: str | None):
    """The Reports page signed in as `username` (a viewer when None: signed-out visitors only
    ever reach the sign-in page)."""
    return run_page(PAGE, user=username or "demo.viewer")


def test_a_viewer_can_export_but_not_import(app_db):
    at = open_as(app_db, None)
    assert not at.exception
    assert at.title[0].value == "Reports"
    assert len(at.get("file_uploader")) == 0
    # built only when pressed, after the session check (tests/unit/test_downloads.py): the
    # page holds no workbook between reruns
    assert at.get("download_button")[0].proto.label == "Download the Excel report"
    assert not any(isinstance(at.session_state[k], bytes) for k in at.session_state)


def test_focal_point_sees_no_import(app_db):
    at = open_as(app_db, "demo.focal")
    assert not at.exception and len(at.get("file_uploader")) == 0


def test_an_upload_is_parsed_once_not_at_every_click(app_db, monkeypatch):
    import ui.uploads

    calls = []
    real = ui.uploads.read_import
    monkeypatch.setattr(ui.uploads, "read_import", lambda **kw: calls.append(kw["sheet"]) or real(**kw))
    data, item_id, _ = edited_report(app_db)
    at = open_as(app_db, "demo.secretariat")
    at.get("file_uploader")[0].upload("report.xlsx", data,
                                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    at.run()
    assert not at.exception and list(at.dataframe[0].value["Item ID"]) == [item_id, item_id]
    next(b for b in at.button if b.label == "Apply these changes").click().run()  # reruns the page
    at.run()
    assert not at.exception and len(calls) == 1
    with Session(app_db) as s:  # a change in the data plans again (conflicts are checked anew)
        item = s.exec(select(ActionItem).where(ActionItem.id != item_id)).first()
        update_progress(session=s, actor=s.exec(select(User).where(User.username == "demo.secretariat")).one(),
                        item_id=item.id, expected_version=item.version, status="in_progress", progress=33,
                        note="meanwhile", now=datetime.now(timezone.utc))
    at.run()
    assert not at.exception and len(calls) == 2


def test_upload_preview_confirm(app_db):
    data, item_id, new_progress = edited_report(app_db)
    at = open_as(app_db, "demo.secretariat")
    at.get("file_uploader")[0].upload("report.xlsx", data,
                                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    at.run()
    assert not at.exception, at.exception
    preview = at.dataframe[0].value
    assert list(preview["Item ID"]) == [item_id, item_id]
    assert set(preview["Field"]) == {"Progress (%)", "Note"}
    apply = next(b for b in at.button if b.label == "Apply these changes")
    apply.click().run()
    assert at.session_state["import_confirm"] is True
    with Session(app_db) as s:
        assert s.get(ActionItem, item_id).progress != new_progress  # nothing saved before confirming
    confirm = next(b for b in at.button if b.label == "Confirm import")
    confirm.click().run()
    assert not at.exception, at.exception
    assert any("Import saved" in s.value for s in at.success)
    with Session(app_db) as s:
        assert s.get(ActionItem, item_id).progress == new_progress
        update = s.exec(select(ProgressUpdate).where(ProgressUpdate.item_id == item_id)
                        .order_by(ProgressUpdate.id.desc())).first()
        assert update.source == "import" and update.author_id == user_id("demo.secretariat")


def test_bad_upload_shows_the_message(app_db):
    at = open_as(app_db, "demo.admin")
    at.get("file_uploader")[0].upload("tracker.csv", b"a,b\n1,2\n", "text/csv")
    at.run()
    assert not at.exception
    assert any("This is a CSV or text file" in e.value for e in at.error)


def test_tracker_upload_shows_the_mapping_editor(app_db):
    with Session(app_db) as s:
        item = next(i for i in s.exec(select(ActionItem).order_by(ActionItem.id)).all()
                    if i.status == "in_progress" and i.progress < 50)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Laporan kemajuan"])
    ws.merge_cells("A1:C1")
    ws.append(["Tindakan", "Status", "Peratus Kemajuan"])
    ws.append([item.title, "Dalam pelaksanaan", "50%"])
    out = io.BytesIO()
    wb.save(out)
    at = open_as(app_db, "demo.secretariat")
    at.get("file_uploader")[0].upload("jejak.xlsx", out.getvalue())
    at.run()
    assert not at.exception, at.exception
    mapped = {sb.label: sb.value for sb in at.selectbox if sb.key and sb.key.startswith("map_")}
    assert (mapped["Action item"], mapped["Status"], mapped["Progress (%)"]) == (0, 1, 2)
    assert mapped["Due date"] == -1
    preview = at.dataframe[0].value
    assert list(preview["New"]) == ["50%"] and list(preview["Item ID"]) == [item.id]
    at.selectbox(key="map_progress").set_value(-1).run()  # the user un-maps a column
    assert not at.exception
    assert "The file matches the dashboard" in " ".join(i.value for i in at.info)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _english_gone(at, english: list[str]) -> None:
    shown = " ".join(page_texts(at))
    assert [e for e in english if e in shown] == []


@pytest.mark.parametrize("lang", ["ms", "zh"])
def test_renamed_text_file_is_refused_in_the_language(app_db, lang):
    at = run_page(PAGE, query={"lang": lang}, user="demo.secretariat")
    at.get("file_uploader")[0].upload("nota.xlsx", b"Tindakan,Status\nX,Selesai\n", XLSX)
    at.run()
    assert not at.exception, at.exception
    key = ("This is a CSV or text file, not an Excel workbook. Open it in Excel and save it as an Excel "
           "Workbook (.xlsx), so dates and numbers keep their meaning, then upload that.")
    assert [e.value for e in at.error] == [translated(lang, key)]
    _english_gone(at, ["not an Excel workbook", "text file"])
    with Session(app_db) as s:
        assert untranslated(at, lang, s) == []


def bad_rows_report(engine, lang: str) -> tuple[bytes, str]:
    """A report exported in `lang` with progress 150 on one item and an unknown status on another."""
    with Session(engine) as s:
        buf = io.BytesIO()
        write_report(session=s, actor=None, today=TODAY, now=NOW, out=buf, lang=lang)
    wb = openpyxl.load_workbook(io.BytesIO(buf.getvalue()))
    sheet = label("Items", lang)
    ws = wb[sheet]
    head = {c.value: c.column for c in ws[1]}
    ws.cell(2, head[label("Progress (%)", lang)]).value = 150
    ws.cell(3, head[label("Status", lang)]).value = "Hampir siap"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), sheet


@pytest.mark.parametrize("lang", ["ms", "zh"])
def test_bad_rows_are_listed_in_the_language(app_db, lang):
    data, sheet = bad_rows_report(app_db, lang)
    at = run_page(PAGE, query={"lang": lang}, user="demo.secretariat")
    at.get("file_uploader")[0].upload("laporan.xlsx", data, XLSX)
    at.run()
    assert not at.exception, at.exception
    # the unknown status word goes to the value-mapping step (its suggestion applied, whose rules
    # may add a problem of their own); the impossible progress is a problem
    assert any(sb.key and sb.key.endswith("Hampir siap") for sb in at.selectbox)
    table = at.dataframe[0].value
    n = len(table)
    assert [e.value for e in at.error] == [translated(
        lang, "The file has {n} problem. Nothing will be saved until it is fixed." if n == 1 else
        "The file has {n} problems. Nothing will be saved until they are fixed.", n=n)]
    assert list(table.columns) == [translated(lang, k) for k in ("Sheet", "Row", "Cell", "Action item", "Column",
                                                                 "Reason")]
    rows = table.values.tolist()
    assert [r[:3] + r[4:] for r in rows][0] == [
        sheet, 2, "J2", label("Progress (%)", lang),
        translated(lang, "progress must be between 0 and 100 (got {value})", value=150)]
    assert all(r[1] != 3 or r[4] == label("Status", lang) for r in rows)
    assert rows[0][3]  # the item is named
    _english_gone(at, ["progress must be", "In progress", "rows read", "problems"])
    with Session(app_db) as s:
        assert untranslated(at, lang, s) == []


@pytest.mark.parametrize("lang", ["ms", "zh", "en"])
def test_report_language_starts_as_the_readers(app_db, lang):
    at = run_page(PAGE, query={"lang": lang}, user="demo.viewer")
    [choice] = [s for s in at.selectbox if s.label == translated(lang, "Report language")]
    assert choice.value == lang


def status_word_tracker(engine, words=("KIV", "Lewat")) -> tuple[bytes, list[int]]:
    """A ministry tracker with a title block and status words the tracker does not know,
    one row per word (each on an item in progress)."""
    with Session(engine) as s:
        items = [i for i in s.exec(select(ActionItem).order_by(ActionItem.id)).all()
                 if i.status == "in_progress"][:len(words)]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["LAPORAN PEMANTAUAN MOU"])
    ws.merge_cells("A1:C1")
    ws.append(["Tindakan", "Status", "Catatan"])
    for item, word in zip(items, words):
        ws.append([item.title, word, f"Catatan untuk {word}."])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), [i.id for i in items]


def test_value_mapping_step_maps_words_and_remembers_them(app_db):
    data, ids = status_word_tracker(app_db)
    at = open_as(app_db, "demo.secretariat")
    at.get("file_uploader")[0].upload("jejak.xlsx", data, XLSX)
    at.run()
    assert not at.exception, at.exception
    words = {sb.key: sb for sb in at.selectbox if sb.key and sb.key.startswith("status_word_")}
    assert sorted(k.split("_", 3)[3] for k in words) == ["KIV", "Lewat"]
    # suggestions preselected: KIV (keep in view) is on hold, Lewat (late) still in progress
    assert {k.split("_", 3)[3]: sb.value for k, sb in words.items()} == {"KIV": "on_hold", "Lewat": "in_progress"}
    assert any("Status words in this file" in h.value for h in at.subheader)
    lewat = next(k for k in words if k.endswith("Lewat"))
    at.selectbox(key=lewat).set_value("in_progress").run()
    assert not at.exception, at.exception
    next(b for b in at.button if b.label == "Apply these changes").click().run()
    next(b for b in at.button if b.label == "Confirm import").click().run()
    assert not at.exception, at.exception
    with Session(app_db) as s:
        assert s.get(ActionItem, ids[0]).status == "on_hold"
        from services.excel.imports.status_words import remembered
        from services.excel.imports.layout import signature

        assert remembered(s, signature(["Tindakan", "Status", "Catatan"])) == {"KIV": "on_hold", "Lewat": "in_progress"}


def _status_word_boxes(at) -> dict:
    return {sb.key.split("_", 3)[3]: sb for sb in at.selectbox if sb.key and sb.key.startswith("status_word_")}


def test_suggested_status_words_apply_without_choosing_them_again(app_db):
    """Every word has a suggestion: Apply and Confirm are offered at once, and the words are
    saved as suggested (no selectbox touched)."""
    data, ids = status_word_tracker(app_db)
    at = open_as(app_db, "demo.secretariat")
    at.get("file_uploader")[0].upload("jejak.xlsx", data, XLSX)
    at.run()
    assert not at.exception, at.exception
    assert {w: sb.value for w, sb in _status_word_boxes(at).items()} == {"KIV": "on_hold", "Lewat": "in_progress"}
    assert not any("nothing can be saved until every word is mapped" in w.value for w in at.warning)
    next(b for b in at.button if b.label == "Apply these changes").click().run()
    next(b for b in at.button if b.label == "Confirm import").click().run()
    assert not at.exception, at.exception
    with Session(app_db) as s:
        assert s.get(ActionItem, ids[0]).status == "on_hold"
        assert s.get(ActionItem, ids[1]).status == "in_progress"
        notes = {u.note for u in s.exec(select(ProgressUpdate).where(ProgressUpdate.item_id.in_(ids))).all()}
        assert {"Catatan untuk KIV.", "Catatan untuk Lewat."} <= notes


def test_a_status_word_without_suggestion_must_be_chosen(app_db):
    """A word no suggestion fits blocks Apply until the user picks its status; the suggested
    word next to it needs nothing, and the user may still change a suggestion."""
    data, ids = status_word_tracker(app_db, words=("KIV", "Menunggu"))
    at = open_as(app_db, "demo.secretariat")
    at.get("file_uploader")[0].upload("jejak.xlsx", data, XLSX)
    at.run()
    assert not at.exception, at.exception
    boxes = _status_word_boxes(at)
    assert {w: sb.value for w, sb in boxes.items()} == {"KIV": "on_hold", "Menunggu": ""}
    assert not any(b.label == "Apply these changes" for b in at.button)
    assert any("nothing can be saved until every word is mapped" in w.value for w in at.warning)
    at.selectbox(key=boxes["Menunggu"].key).set_value("not_started").run()
    at.selectbox(key=boxes["KIV"].key).set_value("cancelled").run()  # a suggestion can be changed
    assert not at.exception, at.exception
    next(b for b in at.button if b.label == "Apply these changes").click().run()
    next(b for b in at.button if b.label == "Confirm import").click().run()
    assert not at.exception, at.exception
    with Session(app_db) as s:
        assert [s.get(ActionItem, i).status for i in ids] == ["cancelled", "not_started"]
