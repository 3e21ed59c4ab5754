"""AppTest flows: the items page (URL filters, bulk edit), the update form, the stale-version
refusal, my items, meetings and set-up."""
import json
from datetime import datetime, timezone

import pytest
from ui.i18n import fmt_date
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from models import (
    ActionItem, CommitmentArea, EvidenceLink, Meeting, Milestone, Organisation, ProgressUpdate, SourceDocument, User,
)
from services.items.bulk import editable_item_ids
from services.items.listing import ItemFilter, list_items
from services.items.progress import update_progress
from tests.apptest.conftest import press_twice, run_page
from ui.items_view import editor_key
from tests.conftest import TODAY


def user_id(engine, username: str) -> int:
    with Session(engine) as s:
        return s.exec(select(User.id).where(User.username == username)).one()


def open_page(engine, page: str, username: str = "demo.viewer", query: dict | None = None) -> AppTest:
    at = run_page(page, query=query, user=username)
    assert not at.exception, at.exception
    return at


def first_rows(engine, n: int = 3):
    with Session(engine) as s:
        return list_items(session=s, flt=ItemFilter(), today=TODAY, limit=n).rows


def mdec_item(engine) -> ActionItem:
    """An open MDEC-led sample item (demo.focal belongs to MDEC)."""
    with Session(engine) as s:
        mdec = s.exec(select(Organisation.id).where(Organisation.acronym == "MDEC")).one()
        return s.exec(select(ActionItem).where(ActionItem.lead_org_id == mdec, ActionItem.status == "in_progress")
                      .order_by(ActionItem.id)).first()


def updates(engine, item_id: int) -> list[ProgressUpdate]:
    with Session(engine) as s:
        return list(s.exec(select(ProgressUpdate).where(ProgressUpdate.item_id == item_id).order_by(ProgressUpdate.id)).all())


def test_filters_come_from_the_url_and_go_back_into_it(app_db):
    at = open_page(app_db, "views/items.py", query={"status": "completed", "sort": "title"})
    table = at.dataframe[0].value
    assert len(table) > 0 and set(table["Status"]) == {"Completed"}
    assert list(table["Action item"]) == sorted(table["Action item"])
    assert at.multiselect(key="f_status_en").value == ["completed"]
    at.multiselect(key="f_rag_en").set_value(["none"]).run()
    assert at.query_params["rag"] == "none" and at.query_params["status"] == "completed"
    assert set(at.dataframe[0].value["RAG"]) == {"○ No rating"}  # symbol and label, never colour alone


def test_viewers_see_no_bulk_editor(app_db):
    at = open_page(app_db, "views/items.py", "demo.viewer")
    assert not [tg for tg in at.toggle if tg.key == "bulk_on"]


def bulk_at(app_db, edited_rows: dict, note: str) -> AppTest:
    at = open_page(app_db, "views/items.py", "demo.secretariat")
    at.toggle(key="bulk_on").set_value(True).run()
    at.session_state[editor_key(0, first_rows(app_db, 200))] = {"edited_rows": edited_rows, "added_rows": [], "deleted_rows": []}
    at.text_area(key="bulk_note_0").input(note)
    at.button(key="bulk_save_0").click().run()
    assert not at.exception, at.exception
    return at


def test_bulk_edit_saves_each_changed_row(app_db):
    rows = first_rows(app_db, 2)
    at = bulk_at(app_db, {0: {"owner_name": "Siti Aminah"}, 1: {"due_date": "2027-06-30"}}, "Owners and dates reviewed")
    assert at.toast and at.toast[0].value == "2 items updated."
    assert at.session_state["bulk_gen"] == 1  # a fresh grid over the saved rows
    for row in rows:
        last = updates(app_db, row.id)[-1]
        assert (last.source, last.note) == ("bulk", "Owners and dates reviewed")
    with Session(app_db) as s:
        assert s.get(ActionItem, rows[0].id).owner_name == "Siti Aminah"
        assert str(s.get(ActionItem, rows[1].id).due_date) == "2027-06-30"


def test_bulk_edit_with_a_bad_row_saves_nothing_and_lists_the_problem(app_db):
    rows = first_rows(app_db, 2)
    before = [len(updates(app_db, r.id)) for r in rows]
    at = bulk_at(app_db, {0: {"owner_name": "Farid"}, 1: {"progress": 150}}, "batch")
    assert "Nothing was saved" in at.error[0].value
    problems = [m.value.replace("\\", "") for m in at.markdown if "between 0 and 100" in m.value.replace("\\", "")]
    assert len(problems) == 1 and f"{rows[1].title}** (ID {rows[1].id})" in problems[0]  # names the item, in full
    assert [len(updates(app_db, r.id)) for r in rows] == before


def test_one_row_of_the_bulk_grid_is_reverted_and_the_others_kept(app_db):
    rows = first_rows(app_db, 3)
    before = [len(updates(app_db, r.id)) for r in rows]
    at = bulk_at(app_db, {0: {"owner_name": "Farid"}, 1: {"progress": 150}, 2: {"due_date": "2027-06-30"}}, "batch")
    assert "Nothing was saved" in at.error[0].value
    base = editor_key(0, first_rows(app_db, 200))
    at.selectbox(key=f"{base}_revert_pick_en").select(rows[1].id).run()  # the row with the problem
    at.button(key=f"{base}_revert").click().run()
    assert not at.exception
    pending = next(df.value for df in at.dataframe if "Before" in df.value.columns)
    assert sorted(pending["ID"]) == sorted([rows[0].id, rows[2].id])  # the other rows' edits are kept
    assert at.selectbox(key=f"{base}_r1_revert_pick_en").value is None  # a fresh box for the next revert
    at.button(key="bulk_save_0").click().run()
    assert not at.exception and at.toast[0].value == "2 items updated."
    with Session(app_db) as s:
        assert s.get(ActionItem, rows[0].id).owner_name == "Farid"
        assert s.get(ActionItem, rows[1].id).progress == rows[1].progress  # reverted: untouched
        assert str(s.get(ActionItem, rows[2].id).due_date) == "2027-06-30"
    assert [len(updates(app_db, r.id)) for r in rows] == [before[0] + 1, before[1], before[2] + 1]


def test_a_reverted_grid_keeps_new_edits_over_the_kept_ones(app_db):
    rows = first_rows(app_db, 2)
    at = bulk_at(app_db, {0: {"owner_name": "Farid"}, 1: {"progress": 150}}, "batch")
    base = editor_key(0, first_rows(app_db, 200))
    at.selectbox(key=f"{base}_revert_pick_en").select(rows[1].id).run()
    at.button(key=f"{base}_revert").click().run()
    # The grid started again (a new key) from the kept edits; an edit there adds to them.
    at.session_state[f"{base}_r1"] = {"edited_rows": {0: {"owner_name": "Farid Hakim"}, 1: {"progress": 40}},
                                      "added_rows": [], "deleted_rows": []}
    at.button(key="bulk_save_0").click().run()
    assert not at.exception and at.toast[0].value == "2 items updated."
    with Session(app_db) as s:
        assert s.get(ActionItem, rows[0].id).owner_name == "Farid Hakim"
        assert s.get(ActionItem, rows[1].id).progress == 40


def update_form(at: AppTest, item_id: int, *, progress: int, note: str) -> AppTest:
    at.number_input(key=f"u_progress_{item_id}_0").set_value(progress)
    at.text_area(key=f"u_note_{item_id}_0").input(note)
    next(b for b in at.button if b.label == "Save update").click()
    return at.run()


def test_update_form_saves_and_the_history_shows_it(app_db):
    item = mdec_item(app_db)
    at = open_page(app_db, "views/item.py", "demo.focal", {"id": str(item.id)})
    new = min(item.progress + 5, 95)
    at = update_form(at, item.id, progress=new, note="Workshop venue confirmed")
    assert not at.exception and at.toast[0].value == "Update saved."
    last = updates(app_db, item.id)[-1]
    assert (last.progress_after, last.note, last.source) == (new, "Workshop venue confirmed", "web")
    history = at.dataframe[-1].value
    assert history["Note"][0] == "Workshop venue confirmed"
    assert history["What changed"][0] == f"Progress: {item.progress}% -> {new}%"
    assert history["Evidence"][0] == ""  # no link: an empty cell, not the English "None"
    facts = dict(zip(at.dataframe[0].value["Field"], at.dataframe[0].value["Value"]))
    assert facts["Due"] == fmt_date(item.due_date, "medium")  # as the figure above it, not 2026-09-27


def test_a_stale_save_is_refused_shows_their_change_and_keeps_the_input(app_db):
    item = mdec_item(app_db)
    at = open_page(app_db, "views/item.py", "demo.focal", {"id": str(item.id)})
    with Session(app_db, expire_on_commit=False) as s:  # someone else saves meanwhile
        admin = s.exec(select(User).where(User.username == "demo.admin")).one()
        update_progress(session=s, actor=admin, item_id=item.id, expected_version=item.version, status="in_progress",
                        progress=item.progress, note="Their note", now=datetime.now(timezone.utc))
    at = update_form(at, item.id, progress=min(item.progress + 5, 95), note="My note")
    assert "was changed by Demo admin" in at.error[0].value
    assert any("Their note" in m.value for m in at.markdown) and any("My note" in m.value for m in at.markdown)
    assert at.text_area(key=f"u_note_{item.id}_0").value == "My note"  # kept for re-applying
    assert [u.note for u in updates(app_db, item.id)][-1] == "Their note"
    at.button(key=f"reapply_{item.id}").click().run()  # the button that says save saves, once
    assert not at.exception and not at.error and at.toast[0].value == "Update saved."
    assert [u.note for u in updates(app_db, item.id)][-2:] == ["Their note", "My note"]
    assert updates(app_db, item.id)[-1].progress_after == min(item.progress + 5, 95)


def test_an_item_opened_again_after_their_change_saves_without_a_refusal(app_db):
    """Leaving the item, someone else saving it, coming back: the user works from the page as
    it shows now (their change included), so the save goes through."""
    item = mdec_item(app_db)
    at = open_page(app_db, "views/item.py", "demo.focal", {"id": str(item.id)})
    at.switch_page("views/items.py").run()
    with Session(app_db, expire_on_commit=False) as s:
        admin = s.exec(select(User).where(User.username == "demo.admin")).one()
        update_progress(session=s, actor=admin, item_id=item.id, expected_version=item.version, status="in_progress",
                        progress=item.progress, note="Their note", now=datetime.now(timezone.utc))
    at.switch_page("views/item.py")
    at.query_params["id"] = str(item.id)
    at.run()
    assert at.dataframe[-1].value["Note"][0] == "Their note"  # the history shows their change
    at = update_form(at, item.id, progress=min(item.progress + 5, 95), note="Mine, after theirs")
    assert not at.exception and not at.error and at.toast[0].value == "Update saved."
    assert [u.note for u in updates(app_db, item.id)][-2:] == ["Their note", "Mine, after theirs"]


def test_a_stale_refusal_still_stands_while_the_user_stays_on_the_item(app_db):
    """Reruns on the same item keep the version the form was opened on: their change is still caught."""
    item = mdec_item(app_db)
    at = open_page(app_db, "views/item.py", "demo.focal", {"id": str(item.id)})
    with Session(app_db, expire_on_commit=False) as s:
        admin = s.exec(select(User).where(User.username == "demo.admin")).one()
        update_progress(session=s, actor=admin, item_id=item.id, expected_version=item.version, status="in_progress",
                        progress=item.progress, note="Their note", now=datetime.now(timezone.utc))
    at.run()
    at = update_form(at, item.id, progress=min(item.progress + 5, 95), note="My note")
    assert "was changed by Demo admin" in at.error[0].value


def test_save_mine_on_top_is_refused_again_when_a_third_change_came_in(app_db):
    item = mdec_item(app_db)
    at = open_page(app_db, "views/item.py", "demo.focal", {"id": str(item.id)})
    with Session(app_db, expire_on_commit=False) as s:
        admin = s.exec(select(User).where(User.username == "demo.admin")).one()
        update_progress(session=s, actor=admin, item_id=item.id, expected_version=item.version, status="in_progress",
                        progress=item.progress, note="First", now=datetime.now(timezone.utc))
    at = update_form(at, item.id, progress=min(item.progress + 5, 95), note="My note")
    with Session(app_db, expire_on_commit=False) as s:  # a third change after the panel was shown
        admin = s.exec(select(User).where(User.username == "demo.admin")).one()
        update_progress(session=s, actor=admin, item_id=item.id, expected_version=item.version + 1,
                        status="in_progress", progress=item.progress, note="Second", now=datetime.now(timezone.utc))
    at.button(key=f"reapply_{item.id}").click().run()
    assert not at.toast and any("Second" in m.value for m in at.markdown)  # refused, their newest shown
    assert [u.note for u in updates(app_db, item.id)][-1] == "Second"
    at.button(key=f"reapply_{item.id}").click().run()
    assert at.toast[0].value == "Update saved." and updates(app_db, item.id)[-1].note == "My note"


def test_my_items_tab_lists_the_focal_points_organisation(app_db):
    at = open_page(app_db, "views/items.py", "demo.focal")
    assert [tab.label for tab in at.tabs] == ["My items", "All items"]  # first for a focal point
    mine = at.tabs[0]
    assert not mine.multiselect and not mine.selectbox  # the filters belong to All items
    table = mine.dataframe[-1].value  # after "What needs you now"
    assert len(table) > 0 and list(table.columns) == [
        "Action item", "Status", "Progress", "RAG", "Due", "Owner", "Last update"]
    assert "None" not in set(table["Owner"])
    dues = [d for d in table["Due"] if d is not None]
    assert dues == sorted(dues)
    assert [tab.label for tab in open_page(app_db, "views/items.py", "demo.secretariat").tabs] == [
        "All items", "My items"]


def test_one_click_on_a_row_opens_the_item_in_the_same_tab(app_db):
    at = open_page(app_db, "views/items.py", "demo.focal")
    at.session_state["my_items_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    table = at.tabs[0].dataframe[0].value
    at.run()
    assert not at.exception
    assert at.title[0].value.replace("\\", "") == table["Action item"][0].replace("\\", "")
    assert "id" in at.query_params


def test_a_focal_point_bulk_edits_only_their_rows_and_never_the_due_date(app_db):
    at = open_page(app_db, "views/items.py", "demo.focal")
    at.toggle(key="bulk_on").set_value(True).run()
    assert not at.exception
    editors = [e for e in at.dataframe if e.proto.editing_mode]
    assert len(editors) == 1
    ids = set(editors[0].value["id"])
    with Session(app_db) as s:
        focal = s.exec(select(User).where(User.username == "demo.focal")).one()
        shown = [r.id for r in first_rows(app_db, 200)]
        assert ids == editable_item_ids(session=s, actor=focal, item_ids=shown) and 0 < len(ids) < len(shown)
    assert any("are locked" in c.value for c in at.caption)
    config = json.loads(editors[0].proto.columns)
    locked = {name for name, c in config.items() if c.get("disabled")}
    assert locked == {"id", "title", "due_date"} and "🔒" in config["due_date"]["label"]



def test_meetings_page_shows_decisions_and_changes(app_db):
    at = open_page(app_db, "views/meetings.py", "demo.secretariat")
    assert at.header[0].value.startswith("Joint Working Group on the Digital Economy")
    [decisions] = [d.value for d in at.dataframe if "Status now" in d.value.columns]  # the decisions table
    assert len(decisions) > 0 and decisions["Status now"][0]
    assert [tab.label.split(" (")[0] for tab in at.tabs] == ["New", "Turned Red", "Completed", "Improved", "No update since"]


def test_setup_creates_an_action_item(app_db):
    at = open_page(app_db, "views/setup.py", "demo.secretariat")
    at.text_input(key="item0_title").input("Organise a data-sharing seminar")
    at.text_input(key="item0_tms").input("Anjurkan seminar perkongsian data")
    at.text_input(key="item0_tzh").input("举办数据共享研讨会")
    at.button(key="FormSubmitter:item_form_0__0-Save action item").click().run()
    assert not at.exception and at.toast[0].value == "Action item saved."
    with Session(app_db) as s:
        new = s.exec(select(ActionItem).where(ActionItem.title == "Organise a data-sharing seminar")).one()
    # The form now edits the new item (its id, a link to it); the "new item" form is gone,
    # so a second press of the same button creates nothing.
    assert at.number_input(key="item_pick").value == new.id and at.query_params["item"] == str(new.id)
    assert at.text_input(key=f"item{new.id}_title").value == "Organise a data-sharing seminar"
    assert not [b for b in at.button if b.key == "FormSubmitter:item_form_0__0-Save action item"]
    with Session(app_db) as s:
        assert len(s.exec(select(ActionItem).where(ActionItem.title == "Organise a data-sharing seminar")).all()) == 1
    assert (new.title_ms, new.title_zh) == ("Anjurkan seminar perkongsian data", "举办数据共享研讨会")
    page = open_page(app_db, "views/item.py", "demo.viewer", {"id": str(new.id), "lang": "ms"})
    assert page.title[0].value == "Anjurkan seminar perkongsian data"  # no ‹EN› marker


def test_setup_save_action_item_pressed_twice_creates_one_item(app_db):
    at = open_page(app_db, "views/setup.py", "demo.secretariat")
    at.text_input(key="item0_title").input("Publish the open-data catalogue")
    # The second press still carries "0" (new item) in the id box, as a double click sends it.
    assert press_twice(at, "FormSubmitter:item_form_0__0-Save action item") == ["Action item saved."]
    assert not at.exception
    with Session(app_db) as s:
        assert len(s.exec(select(ActionItem).where(ActionItem.title == "Publish the open-data catalogue")).all()) == 1


def test_a_new_commitment_area_has_no_preselected_category(app_db):
    at = open_page(app_db, "views/setup.py", "demo.secretariat")
    assert at.selectbox(key="area0_cat").value is None
    at.text_input(key="area0_ten").input("Data centres")
    at.button(key="FormSubmitter:area_form_0__0-Save commitment area").click().run()
    assert "Category: choose one of the categories." in at.error[0].value.replace("\\", "")
    with Session(app_db) as s:
        assert not s.exec(select(CommitmentArea).where(CommitmentArea.title_en == "Data centres")).all()


@pytest.mark.parametrize("username", [None, "demo.viewer", "demo.focal"])
def test_setup_is_not_offered_below_the_secretariat(app_db, username):
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        open_page(app_db, "views/setup.py", username)


def test_completing_with_open_milestones_asks_then_saves_when_confirmed(app_db):
    item = mdec_item(app_db)
    with Session(app_db) as s:
        open_ms = s.exec(select(Milestone).where(Milestone.item_id == item.id, Milestone.completed_on.is_(None))).all()
        if not open_ms:
            s.add(Milestone(item_id=item.id, title="Final report"))
            s.commit()
    at = open_page(app_db, "views/item.py", "demo.focal", {"id": str(item.id)})
    at = update_form(at, item.id, progress=100, note="All done")
    assert "confirm that the item is complete anyway" in at.warning[-1].value
    assert updates(app_db, item.id)[-1].status_after != "completed"
    at.checkbox(key=f"u_confirm_{item.id}_0").check()
    next(b for b in at.button if b.label == "Save update").click()
    at.run()
    assert at.toast[0].value == "Update saved."
    assert (updates(app_db, item.id)[-1].status_after, updates(app_db, item.id)[-1].progress_after) == ("completed", 100)


def test_an_evidence_link_given_with_an_update_is_in_the_evidence_list(app_db):
    item = mdec_item(app_db)
    at = open_page(app_db, "views/item.py", "demo.focal", {"id": str(item.id)})
    at.text_input(key=f"u_evidence_{item.id}_0").input("https://www.digital.gov.my/minutes.pdf")
    at = update_form(at, item.id, progress=min(item.progress + 5, 95), note="Minutes filed")
    assert at.toast[0].value == "Update saved."
    evidence = next(df.value for df in at.dataframe if "Link" in df.value.columns)
    assert "https://www.digital.gov.my/minutes.pdf" in list(evidence["Link"])
    assert "Minutes filed" in list(evidence["Label"])


def test_milestone_checkbox_and_evidence_form(app_db):
    item = mdec_item(app_db)
    with Session(app_db) as s:
        milestone = Milestone(item_id=item.id, title="Venue booked")
        s.add(milestone)
        s.commit()
        milestone_id = milestone.id
    at = open_page(app_db, "views/item.py", "demo.focal", {"id": str(item.id)})
    at.checkbox(key=f"ms_{milestone_id}").check().run()
    assert at.toast[0].value == "Milestone updated."
    link = next(w for w in at.text_input if w.label == "Link (https://…)")
    link.input("https://www.digital.gov.my/report.pdf")
    add = next(b for b in at.button if b.label == "Add evidence")
    add.click()
    at.run()
    assert at.toast[0].value == "Evidence added."
    assert add.key not in [b.key for b in at.button]  # that form is retired: a second press adds nothing
    assert not next(w for w in at.text_input if w.label == "Link (https://…)").value  # a fresh form
    with Session(app_db) as s:
        assert s.get(Milestone, milestone_id).completed_on is not None
        assert s.exec(select(EvidenceLink.url).where(EvidenceLink.item_id == item.id)).all() == [
            "https://www.digital.gov.my/report.pdf"]


def test_the_secretariat_edits_a_meeting(app_db):
    at = open_page(app_db, "views/meetings.py", "demo.secretariat")
    meeting_id = int(at.query_params["meeting"])
    at.text_input(key=f"em{meeting_id}_venue").input("Putrajaya, Ministry of Digital")
    at.button(key="FormSubmitter:edit_meeting-Save changes").click().run()
    assert not at.exception
    assert any("Venue: Putrajaya, Ministry of Digital" in c.value for c in at.caption)
    with Session(app_db) as s:
        assert s.get(Meeting, meeting_id).venue == "Putrajaya, Ministry of Digital"


def test_setup_area_quote_must_be_in_the_source_text(app_db):
    at = open_page(app_db, "views/setup.py", "demo.secretariat")
    at.text_input(key="area0_ten").input("Data centres")
    at.text_area(key="area0_quote").input("pusat data hiperskala")  # not in the statement
    at.selectbox(key="area0_cat").select("other")
    at.button(key="FormSubmitter:area_form_0__0-Save commitment area").click().run()
    assert "Quote not found in the source text" in at.error[0].value.replace("\\", "")
    at.text_area(key="area0_quote").input("program pertukaran teknikal")
    at.button(key="FormSubmitter:area_form_0__0-Save commitment area").click().run()
    assert at.toast[0].value == "Commitment area saved."
    with Session(app_db) as s:
        area = s.exec(select(CommitmentArea).where(CommitmentArea.title_en == "Data centres")).one()
        doc = s.get(SourceDocument, area.source_document_id)
        assert doc.text[area.quote_start:area.quote_end] == "program pertukaran teknikal"


def test_bulk_edit_refuses_rows_changed_since_the_table_was_shown(app_db):
    rows = first_rows(app_db, 2)
    at = open_page(app_db, "views/items.py", "demo.secretariat")
    at.toggle(key="bulk_on").set_value(True).run()  # the versions shown are remembered now
    with Session(app_db, expire_on_commit=False) as s:
        admin = s.exec(select(User).where(User.username == "demo.admin")).one()
        update_progress(session=s, actor=admin, item_id=rows[0].id, expected_version=rows[0].version,
                        status=rows[0].status, progress=rows[0].progress, note="Admin's note",
                        now=datetime.now(timezone.utc))
    at.session_state[editor_key(0, first_rows(app_db, 200))] = {
        "edited_rows": {0: {"owner_name": "Lim"}, 1: {"owner_name": "Kumar"}}, "added_rows": [], "deleted_rows": []}
    at.text_area(key="bulk_note_0").input("Owners")
    at.button(key="bulk_save_0").click().run()
    problems = [m.value.replace("\\", "") for m in at.markdown if "Demo admin" in m.value]
    assert len(problems) == 1 and f"(ID {rows[0].id})" in problems[0] and f"(ID {rows[1].id})" not in problems[0]
    assert [u.note for u in updates(app_db, rows[0].id)][-1] == "Admin's note"
    assert updates(app_db, rows[1].id)[-1].note != "Owners"  # nothing of the batch was saved
