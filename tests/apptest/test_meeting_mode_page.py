"""Meeting mode: the agenda, previous/next (session state and URL), recording a decision and a
new action item with its lead organisation chosen, the item's latest note."""

from sqlmodel import Session, select

from models import ActionItem, Decision, JointBody, Meeting, Organisation
from services.i18n.translate import local_today
from services.seeding.sample import JWG_BODY
from tests.apptest.conftest import press_twice, run_page

PAGE = "views/meeting_mode.py"


def open_as(engine, username: str | None = "demo.viewer", query: dict | None = None):
    at = run_page(PAGE, query=query, user=username or "demo.viewer")
    assert not at.exception
    return at


def heading(at) -> str:
    return at.header[0].value.replace("\\", "")


def jwg_id(engine) -> int:
    with Session(engine) as s:
        return s.exec(select(JointBody.id).where(JointBody.name_en == JWG_BODY)).one()


def test_the_agenda_starts_with_the_agreement_then_its_items(app_db):
    at = open_as(app_db, None)
    assert at.selectbox[0].value == jwg_id(app_db) and at.query_params["body"] == str(jwg_id(app_db))
    assert heading(at) == "MY-CN-DE-2025: MoU on Digital Economy Cooperation"
    assert at.button(key="mm_prev").disabled
    assert at.info[0].value.startswith("Sign in as secretariat")  # read-only when signed out
    assert at.get("download_button")[0].proto.label == "Meeting pack (.pptx)"
    at.button(key="mm_next").click().run()
    assert heading(at).startswith("[Sample]")
    assert at.query_params["point"] == "2"
    assert {m.label for m in at.metric} == {"RAG", "Status", "Progress", "Due"}
    assert any(m.value.startswith("**Latest note**") for m in at.markdown)
    at.button(key="mm_prev").click().run()
    assert heading(at).startswith("MY-CN-DE-2025") and at.query_params["point"] == "1"


def test_the_point_in_the_url_is_where_the_meeting_resumes(app_db):
    at = open_as(app_db, None, {"body": str(jwg_id(app_db)), "point": "3"})
    assert at.session_state["mm_point"] == 2
    assert at.progress[0].proto.text.startswith("Point 3 of")


def test_secretariat_records_a_decision_on_the_item_on_screen(app_db):
    at = open_as(app_db, "demo.secretariat")
    at.button(key="mm_next").click().run()
    title = heading(at)
    at.text_area[0].input("Escalate to the minister before the next meeting")  # form: no rerun before submit
    at.button(key="FormSubmitter:mm_decision__0-Record the decision").click().run()
    assert not at.exception and at.toast[0].value.startswith("Decision recorded")
    with Session(app_db) as session:
        meeting = session.exec(select(Meeting).where(Meeting.body_id == jwg_id(app_db),
                                                     Meeting.held_on == local_today())).one()
        decision = session.exec(select(Decision).where(Decision.meeting_id == meeting.id)).one()
        assert decision.text == "Escalate to the minister before the next meeting"
        assert session.get(ActionItem, decision.item_id).title == title
    assert "Escalate to the minister" in "\n".join(m.value for m in at.markdown)


def test_a_new_action_item_needs_its_lead_organisation_chosen(app_db):
    at = open_as(app_db, "demo.secretariat")
    lead = next(s for s in at.selectbox if s.label == "Lead organisation")
    assert lead.value is None  # nothing chosen for the user: not KD silently
    at.text_input[0].input("Circulate the draft terms of reference")
    at.button(key="FormSubmitter:mm_item__0-Add the action item").click().run()
    assert "Choose the lead organisation" in at.error[0].value
    with Session(app_db) as session:  # refused: no item and no empty meeting left behind
        assert session.exec(select(Meeting).where(Meeting.held_on == local_today())).all() == []
        mdec = session.exec(select(Organisation.id).where(Organisation.acronym == "MDEC")).one()
    at.text_input[0].input("Circulate the draft terms of reference")
    next(s for s in at.selectbox if s.label == "Lead organisation").select(mdec)
    at.button(key="FormSubmitter:mm_item__0-Add the action item").click().run()
    assert not at.exception and at.toast[0].value.startswith("Action item added")
    with Session(app_db) as session:
        item = session.exec(select(ActionItem).where(ActionItem.title == "Circulate the draft terms of reference")).one()
        assert item.lead_org_id == mdec and session.get(Meeting, item.meeting_id).body_id == jwg_id(app_db)


def test_malay_presenter_labels_wrap_instead_of_being_cut(app_db):
    at = open_as(app_db, "demo.viewer", {"lang": "ms"})
    assert at.button(key="mm_next").label == "Seterusnya ▶"
    style = next(h.proto.body for h in at.get("html") if "stMetricLabel" in h.proto.body)
    assert "white-space: normal" in style


def test_a_decision_pressed_twice_is_recorded_once(app_db):
    at = open_as(app_db, "demo.secretariat")
    at.button(key="mm_next").click().run()  # an item on screen: every control of the forms is live
    at.text_area[0].input("Table the pilot's evaluation at the next meeting")
    toasts = press_twice(at, "FormSubmitter:mm_decision__0-Record the decision")
    assert not at.exception and len(toasts) == 1 and toasts[0].startswith("Decision recorded")
    with Session(app_db) as session:
        assert len(session.exec(select(Decision).where(
            Decision.text == "Table the pilot's evaluation at the next meeting")).all()) == 1
    assert not at.text_area[0].value  # a fresh form for the next decision


def test_an_action_item_pressed_twice_is_added_once(app_db):
    at = open_as(app_db, "demo.secretariat")
    with Session(app_db) as session:
        mdec = session.exec(select(Organisation.id).where(Organisation.acronym == "MDEC")).one()
    at.button(key="mm_next").click().run()
    at.text_input[0].input("Draft the seminar programme")
    next(s for s in at.selectbox if s.label == "Lead organisation").select(mdec)
    toasts = press_twice(at, "FormSubmitter:mm_item__0-Add the action item")
    assert not at.exception and len(toasts) == 1 and toasts[0].startswith("Action item added")
    with Session(app_db) as session:
        assert len(session.exec(select(ActionItem).where(ActionItem.title == "Draft the seminar programme")).all()) == 1


def test_a_decision_goes_to_the_meeting_already_planned(app_db):
    """With the body's next meeting planned, meeting mode records into it by default: no second
    meeting dated today (a tester's decision once made one, and the planned meeting's number
    moved)."""
    from datetime import timedelta

    planned_on = local_today() + timedelta(days=14)
    with Session(app_db) as s:
        s.add(Meeting(body_id=jwg_id(app_db), held_on=planned_on))
        s.commit()
    at = open_as(app_db, "demo.secretariat")
    assert at.date_input(key=f"mm_day_{jwg_id(app_db)}").value == planned_on
    assert not [c for c in at.caption if c.value.startswith("No meeting of this body")]
    at.text_area[0].input("Agree the pilot's scope")
    at.button(key="FormSubmitter:mm_decision__0-Record the decision").click().run()
    assert not at.exception and at.toast[0].value.startswith("Decision recorded")
    with Session(app_db) as s:
        [meeting] = s.exec(select(Meeting).join(Decision, Decision.meeting_id == Meeting.id)
                           .where(Decision.text == "Agree the pilot's scope")).all()
        assert meeting.held_on == planned_on
        assert s.exec(select(Meeting).where(Meeting.held_on == local_today())).all() == []
    at.date_input(key=f"mm_day_{jwg_id(app_db)}").set_value(local_today()).run()
    assert any(c.value.startswith("No meeting of this body on") for c in at.caption)  # said before it creates one
