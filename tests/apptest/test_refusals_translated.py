"""A service's refusal reaches the page in the user's language: the item page's update form
and its stale-version panel, the bulk edit's row problems and the My account page, in
Malay and Chinese, with no English message left on the page."""
import json
from datetime import datetime, timezone

import pytest
from sqlmodel import Session, select

from models import User
from services.items.progress import update_progress
from services.labels import STATUS_ORDER
from tests.apptest.conftest import run_page
from tests.apptest.test_items_pages import first_rows, mdec_item, updates
from tests.apptest.untranslated import page_texts, translated, untranslated
from ui import i18n as ui_i18n
from ui import widgets as ui_widgets
from ui.items_view import editor_key
from ui.widgets import md_escape

LANGS = ["ms", "zh"]


@pytest.fixture(autouse=True)
def _language(request, monkeypatch):
    """AppTest calls a widget's format_func (status and sort labels go through t()) outside the
    script run, where the session's language cannot be read and English would be assumed;
    pin the test's language for those calls (the page itself runs in it through ?lang=)."""
    lang = request.node.callspec.params.get("lang")
    if lang:
        for module in (ui_i18n, ui_widgets):
            monkeypatch.setattr(module, "current_language", lambda: lang)


def _english_absent(at, english: str) -> None:
    assert not [s for s in page_texts(at) if english in s], f"English left on the page: {english!r}"


def _button(at, lang: str, key: str):
    label = translated(lang, key)
    return next(b for b in at.button if b.label == label)


@pytest.mark.parametrize("lang", LANGS)
def test_refused_progress_update_is_in_the_users_language(app_db, lang):
    """On hold without a note: the refusal and its reason, both translated."""
    item = mdec_item(app_db)
    at = run_page("views/item.py", query={"id": str(item.id), "lang": lang}, user="demo.focal")
    before = len(updates(app_db, item.id))
    at.selectbox(key=f"u_status_{item.id}_0_{lang}").select_index(STATUS_ORDER.index("on_hold"))
    _button(at, lang, "Save update").click()
    at.run()
    assert not at.exception, at.exception
    reasons = [translated(lang, "Add a note saying why the item is put on hold or cancelled."),
               translated(lang, "This item is rated Red: add a note on what is being done about it.")]
    expected = translated(lang, "The update was not saved: {details}", details=" ".join(reasons))
    assert [e.value for e in at.error] == [md_escape(expected)]  # the page escapes markdown
    assert reasons[0] != "Add a note saying why the item is put on hold or cancelled."  # really translated
    _english_absent(at, "The update was not saved")
    _english_absent(at, "put on hold or cancelled")
    assert len(updates(app_db, item.id)) == before
    with Session(app_db) as session:
        assert untranslated(at, lang, session) == []


@pytest.mark.parametrize("lang", LANGS)
def test_stale_version_panel_is_in_the_users_language(app_db, lang):
    item = mdec_item(app_db)
    at = run_page("views/item.py", query={"id": str(item.id), "lang": lang}, user="demo.focal")
    with Session(app_db, expire_on_commit=False) as s:  # someone else saves meanwhile
        admin = s.exec(select(User).where(User.username == "demo.admin")).one()
        update_progress(session=s, actor=admin, item_id=item.id, expected_version=item.version,
                        status="in_progress", progress=item.progress, note="Their note",
                        now=datetime.now(timezone.utc))
    at.number_input(key=f"u_progress_{item.id}_0").set_value(min(item.progress + 5, 95))
    at.text_area(key=f"u_note_{item.id}_0").input("My note")
    _button(at, lang, "Save update").click()
    at.run()
    assert not at.exception, at.exception
    message = at.error[0].value
    key = ("'{title}' was changed by {who} at {when} after you opened it. Your input is kept on this "
           "page but not saved: review their change, then save yours on top of it.")
    who = "Demo admin (sample)"
    head = translated(lang, key, title=item.title, who=who, when="\0").split("\0")[0]
    assert message.startswith(md_escape(head))  # the translated sentence, whatever the time it names
    _english_absent(at, "after you opened it")


def _bulk(app_db, lang: str, edited_rows: dict, note: str):
    at = run_page("views/items.py", query={"lang": lang}, user="demo.secretariat")
    at.toggle(key="bulk_on").set_value(True).run()
    at.session_state[editor_key(0, first_rows(app_db, 200))] = {
        "edited_rows": edited_rows, "added_rows": [], "deleted_rows": []}
    at.text_area(key="bulk_note_0").input(note)
    at.button(key="bulk_save_0").click().run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("lang", LANGS)
def test_bulk_edit_row_problems_are_in_the_users_language(app_db, lang):
    rows = first_rows(app_db, 2)
    at = _bulk(app_db, lang, {1: {"progress": 150}}, "")  # and no note for the batch
    problems = [m.value for m in at.markdown if m.value.startswith("- **")]
    assert len(problems) == 1
    lines = problems[0].split("\n")
    bad = md_escape(translated(lang, "Progress must be between 0 and 100 (got {progress}).", progress=150))
    assert any(md_escape(rows[1].title) in line and bad in line for line in lines)
    batch = md_escape(translated(lang, "Add one note for the batch saying why these items change."))
    assert any(md_escape(translated(lang, "Batch")) in line and batch in line for line in lines)
    _english_absent(at, "between 0 and 100")
    _english_absent(at, "one note for the batch")


@pytest.mark.parametrize("lang", LANGS)
def test_wrong_current_password_is_refused_in_the_users_language(app_db, demo_passwords, lang):
    at = run_page("views/account.py", query={"lang": lang}, user="demo.focal")
    fields = at.text_input
    fields[0].input("not the password")
    fields[1].input("brand new password")
    fields[2].input("brand new password")
    _button(at, lang, "Change password").click()
    at.run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [translated(lang, "The current password is not correct.")]
    assert at.error[0].value != "The current password is not correct."
    _english_absent(at, "current password is not correct")


@pytest.mark.parametrize("lang", LANGS)
def test_a_new_password_that_is_too_short_names_its_limits_in_the_users_language(app_db, demo_passwords, lang):
    """A message with values: the numbers land in the translated sentence."""
    from tests.apptest.conftest import sign_in_form

    at = sign_in_form(run_page(query={"lang": lang}, user=None), "demo.focal", demo_passwords["demo.focal"])
    at.switch_page("views/account.py")
    at.run()
    fields = at.text_input
    fields[0].input(demo_passwords["demo.focal"])
    fields[1].input("short")
    fields[2].input("short")
    _button(at, lang, "Change password").click()
    at.run()
    assert [e.value for e in at.error] == [translated(lang, "A password has {low} to {high} characters.",
                                                      low=8, high=1024)]
    _english_absent(at, "A password has")


@pytest.mark.parametrize("lang", LANGS)
def test_the_bulk_grid_is_the_same_widget_in_every_language(app_db, lang):
    """Its columns and cells are codes (only labels are translated), so Streamlit keeps the
    unsaved edits when the language is switched (a translated header made a new widget)."""
    at = run_page("views/items.py", query={"lang": lang}, user="demo.secretariat")
    at.toggle(key="bulk_on").set_value(True).run()
    editor = next(e for e in at.dataframe if e.proto.editing_mode)
    assert list(editor.value.columns) == ["id", "title", "status", "progress", "due_date", "owner_name"]
    assert set(editor.value["status"]) <= set(STATUS_ORDER)
    config = json.loads(editor.proto.columns)
    assert config["status"]["label"] == translated(lang, "Status")  # what the user reads is translated
