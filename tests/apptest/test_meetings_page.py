"""The Meetings page, meeting mode and the pack agree on what changed; marking a meeting held;
the update-due notice on My items."""
import io
from datetime import datetime, time, timedelta, timezone

from pptx import Presentation
from sqlmodel import Session, select

from models import (
    ActionItem, Agreement, CommitmentArea, Decision, JointBody, Meeting, MeetingSnapshot, Organisation, User,
)
from services.i18n.translate import local_today
from services.items.progress import update_progress
from services.meetings.changes import GROUPS
from services.meetings.pack import build_meeting_pack
from services.meetings.pack_text import TEXT
from services.meetings.register import save_meeting
from services.seeding.sample import JWG_BODY
from tests.apptest.conftest import press_twice, run_page

GROUP_TABS = ["New", "Turned Red", "Completed", "Improved", "No update since"]


def _setup_meeting_day(engine) -> tuple[int, int, int]:
    """Yesterday the body met: an item was created at the meeting and another updated that
    morning. Returns (body id, new item id, updated item id)."""
    yesterday = local_today() - timedelta(days=1)
    with Session(engine, expire_on_commit=False) as s:
        body = s.exec(select(JointBody).where(JointBody.name_en == JWG_BODY)).one()
        sec = s.exec(select(User).where(User.username == "demo.secretariat")).one()
        save_meeting(session=s, actor=sec, data={"body_id": body.id, "held_on": yesterday, "venue": "Putrajaya"})
        area = s.exec(select(CommitmentArea).join(Agreement).where(Agreement.code == "MY-CN-DE-2025")).first()
        kd = s.exec(select(Organisation.id).where(Organisation.acronym == "KD")).one()
        new = ActionItem(area_id=area.id, title="Agreed at the meeting", lead_org_id=kd,
                         created_at=datetime.combine(yesterday, time(10), tzinfo=timezone.utc))
        s.add(new)
        s.commit()
        old = s.exec(select(ActionItem).join(CommitmentArea).join(Agreement).where(
            Agreement.code == "MY-CN-DE-2025", ActionItem.status == "in_progress", ActionItem.progress < 90)).first()
        update_progress(session=s, actor=sec, item_id=old.id, expected_version=old.version, status="in_progress",
                        progress=old.progress + 5, note="Reported at the meeting",
                        now=datetime.combine(yesterday, time(1), tzinfo=timezone.utc))
        return body.id, new.id, old.id


def _tab_titles(at) -> dict[str, list[str]]:
    """Each group tab's item titles, in the table's order (a row opens its item on click)."""
    out = {}
    for tab in at.tabs:
        name = tab.label.split(" (")[0]
        if name in GROUP_TABS:
            frames = tab.dataframe
            out[name] = list(frames[0].value["Action item"]) if len(frames) else []
    return out


def _pack_titles(engine, body_id: int) -> dict[str, list[str]]:
    """The changes in the pack: the changes slide, or (when some did not fit) its appendix,
    which lists every change."""
    with Session(engine) as s:
        prs = Presentation(io.BytesIO(build_meeting_pack(session=s, today=local_today(), body_id=body_id)))
    kinds = {TEXT["en"]["kinds"][g]: g for g in GROUPS}
    appendix = [sl for sl in prs.slides if sl.shapes.title.text == TEXT["en"]["changes_all"]]
    slides = appendix or [sl for sl in prs.slides if sl.shapes.title.text.startswith("What changed since")]
    out: dict[str, list[str]] = {g: [] for g in GROUPS}
    for slide in slides:
        for shape in slide.shapes:
            if shape.has_table:
                for row in list(shape.table.rows)[1:]:
                    out[kinds[row.cells[0].text]].append(row.cells[1].text)
    return out


def test_page_meeting_mode_and_pack_show_the_same_changes_on_a_meeting_day(app_db):
    body_id, new_id, updated_id = _setup_meeting_day(app_db)
    page = run_page("views/meetings.py", query={"body": str(body_id)}, user="demo.viewer")
    assert not page.exception
    mode = run_page("views/meeting_mode.py", query={"body": str(body_id)}, user="demo.viewer")
    assert not mode.exception
    on_page, in_mode = _tab_titles(page), _tab_titles(mode)
    assert on_page == in_mode and set(on_page) == set(GROUP_TABS)
    with Session(app_db) as s:
        titles = {i.id: i.title for i in s.exec(select(ActionItem)).all()}
    assert titles[new_id] in on_page["New"] and titles[updated_id] in on_page["Improved"]
    in_pack = _pack_titles(app_db, body_id)
    assert {g: on_page[label] for g, label in zip(GROUPS, GROUP_TABS)} == in_pack


def test_the_secretariat_marks_a_meeting_held_once(app_db):
    with Session(app_db, expire_on_commit=False) as s:
        body = s.exec(select(JointBody).where(JointBody.name_en == JWG_BODY)).one()
        sec = s.exec(select(User).where(User.username == "demo.secretariat")).one()
        m = save_meeting(session=s, actor=sec, data={"body_id": body.id, "held_on": local_today()})
    at = run_page("views/meetings.py", query={"body": str(body.id), "meeting": str(m.id)}, user="demo.secretariat")
    assert at.get("download_button")[0].proto.label == "Minutes (.docx)"
    at.button(key="mark_held").click().run()
    assert not at.exception
    with Session(app_db) as s:
        assert s.get(Meeting, m.id).held_at is not None
        assert s.exec(select(MeetingSnapshot).where(MeetingSnapshot.meeting_id == m.id)).one().reason == "held"
    assert any(x.value.startswith("Held; as presented at") for x in at.success)
    assert not [b for b in at.button if b.key == "mark_held"]


def test_my_items_says_when_an_update_is_due_before_a_meeting(app_db):
    with Session(app_db, expire_on_commit=False) as s:
        body = s.exec(select(JointBody).where(JointBody.name_en == JWG_BODY)).one()
        sec = s.exec(select(User).where(User.username == "demo.secretariat")).one()
        save_meeting(session=s, actor=sec, data={"body_id": body.id, "held_on": local_today() + timedelta(days=10)})
    at = run_page("views/items.py", user="demo.focal")
    assert not at.exception
    notices = [w.value for w in at.warning if w.value.startswith("Update due before")]
    assert notices and "Joint Working Group on the Digital Economy" in notices[0]


def _jwg(engine) -> int:
    with Session(engine) as s:
        return s.exec(select(JointBody.id).where(JointBody.name_en == JWG_BODY)).one()


def test_a_meeting_pressed_twice_is_recorded_once(app_db):
    body_id = _jwg(app_db)
    at = run_page("views/meetings.py", query={"body": str(body_id)}, user="demo.secretariat")
    day = local_today() + timedelta(days=40)
    at.date_input(key="new_meeting__0_date").set_value(day)
    at.text_input(key="new_meeting__0_venue").input("Hangzhou")
    assert press_twice(at, "FormSubmitter:new_meeting__0-Save meeting") == ["Meeting recorded."]  # confirmed once
    assert not at.exception
    with Session(app_db) as s:
        assert len(s.exec(select(Meeting).where(Meeting.body_id == body_id, Meeting.held_on == day)).all()) == 1
    assert at.text_input(key="new_meeting__1_venue").value == ""  # a fresh form for the next one


def test_a_decision_with_its_new_item_pressed_twice_is_recorded_once(app_db):
    body_id = _jwg(app_db)
    at = run_page("views/meetings.py", query={"body": str(body_id)}, user="demo.secretariat")
    meeting_id = int(at.query_params["meeting"])
    with Session(app_db) as s:
        mdec = s.exec(select(Organisation.id).where(Organisation.acronym == "MDEC")).one()
    at.text_area(key="new_decision__0_text").input("Hold a joint data-governance workshop")
    at.text_input(key="new_decision__0_title").input("Joint data-governance workshop")
    at.selectbox(key="new_decision__0_lead_en").select(mdec)
    assert press_twice(at, "FormSubmitter:new_decision__0-Save decision") == ["Decision recorded."]
    assert not at.exception
    with Session(app_db) as s:
        decisions = s.exec(select(Decision).where(Decision.meeting_id == meeting_id,
                                                  Decision.text == "Hold a joint data-governance workshop")).all()
        items = s.exec(select(ActionItem).where(ActionItem.title == "Joint data-governance workshop")).all()
    assert len(decisions) == 1 and len(items) == 1 and decisions[0].item_id == items[0].id
    assert at.text_area(key="new_decision__1_text").value == ""


def test_a_joint_body_pressed_twice_is_created_once(app_db):
    at = run_page("views/meetings.py", user="demo.secretariat")
    at.text_input(key="body_form_new__0_en").input("Joint Committee on Smart Cities")
    assert press_twice(at, "FormSubmitter:body_form_new__0-Save joint body") == ["Joint body saved."]
    assert not at.exception and not at.error  # the second press never ran: no "already exists"
    with Session(app_db) as s:
        assert len(s.exec(select(JointBody).where(JointBody.name_en == "Joint Committee on Smart Cities")).all()) == 1
