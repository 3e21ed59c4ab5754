"""Meeting mode: the agenda, previous/next (session state and URL), recording a decision."""
from datetime import date

from sqlmodel import Session, select

from models import ActionItem, Decision, Meeting
from services.seeding.sample import JWG_BODY
from tests.apptest.conftest import run_page

PAGE = "views/meeting_mode.py"


def open_as(engine, username: str | None = "demo.viewer", query: dict | None = None):
    at = run_page(PAGE, query=query, user=username or "demo.viewer")
    assert not at.exception
    return at


def heading(at) -> str:
    return at.header[0].value.replace("\\", "")


def test_the_agenda_starts_with_the_agreement_then_its_items(app_db):
    at = open_as(app_db, None)
    assert at.selectbox[0].value == JWG_BODY
    assert heading(at) == "MY-CN-DE-2025: MoU on Digital Economy Cooperation"
    assert at.button(key="mm_prev").disabled
    assert at.info[0].value.startswith("Sign in as secretariat")  # read-only when signed out
    assert at.get("download_button")[0].proto.label == "Meeting pack (.pptx)"
    at.button(key="mm_next").click().run()
    assert heading(at).startswith("[Sample]")
    assert at.query_params["point"] == "2"
    assert {m.label for m in at.metric} == {"RAG", "Status", "Progress", "Due"}
    at.button(key="mm_prev").click().run()
    assert heading(at).startswith("MY-CN-DE-2025") and at.query_params["point"] == "1"


def test_the_point_in_the_url_is_where_the_meeting_resumes(app_db):
    at = open_as(app_db, None, {"body": JWG_BODY, "point": "3"})
    assert at.session_state["mm_point"] == 2
    assert at.progress[0].proto.text.startswith("Point 3 of")


def test_secretariat_records_a_decision_on_the_item_on_screen(app_db):
    at = open_as(app_db, "demo.secretariat")
    at.button(key="mm_next").click().run()
    title = heading(at)
    at.text_area[0].input("Escalate to the minister before the next meeting")  # form: no rerun before submit
    at.button[2].click().run()  # Record the decision
    assert not at.exception and at.success[0].value.startswith("Decision recorded")
    with Session(app_db) as session:
        meeting = session.exec(select(Meeting).where(Meeting.body == JWG_BODY, Meeting.held_on == date.today())).one()
        decision = session.exec(select(Decision).where(Decision.meeting_id == meeting.id)).one()
        assert decision.text == "Escalate to the minister before the next meeting"
        assert session.get(ActionItem, decision.item_id).title == title
    assert "Escalate to the minister" in "\n".join(m.value for m in at.markdown)


def test_secretariat_adds_an_action_item_to_the_meeting(app_db):
    at = open_as(app_db, "demo.secretariat")
    at.text_input[0].input("Circulate the draft terms of reference")
    at.button[3].click().run()  # Add the action item
    assert not at.exception and at.success[0].value.startswith("Action item added")
    with Session(app_db) as session:
        item = session.exec(select(ActionItem).where(ActionItem.title == "Circulate the draft terms of reference")).one()
        assert session.get(Meeting, item.meeting_id).body == JWG_BODY
