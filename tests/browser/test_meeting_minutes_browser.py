"""In headless Chromium, as the secretariat: a meeting from the agenda to the minutes. A decision
recorded in meeting mode, the meeting marked held on the Meetings page (the agenda as presented
is kept), and the minutes downloaded and read back with python-docx."""
import io

import pytest
from docx import Document
from sqlmodel import Session, select

from core.db import make_engine
from models import JointBody, Meeting, MeetingSnapshot
from services.seeding.sample import JWG_BODY
from tests.browser.conftest import running_dashboard, screenshot, sign_in

pytestmark = pytest.mark.browser
DECISION = "Publish the joint statement on data corridors before the next meeting"


@pytest.fixture(scope="module")
def meeting_dashboard(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser15")
    with running_dashboard(folder) as (base, passwords):
        engine = make_engine(f"sqlite:///{folder / 'tracker.db'}")
        with Session(engine) as s:
            body_id = s.exec(select(JointBody.id).where(JointBody.name_en == JWG_BODY)).one()
        yield {"base": base, "password": passwords["demo.secretariat"], "body": body_id, "engine": engine}
        engine.dispose()


def test_a_meeting_from_agenda_to_minutes(meeting_dashboard, anon_page):
    page, d = anon_page, meeting_dashboard
    sign_in(page, d["base"], "demo.secretariat", d["password"])
    page.goto(f"{d['base']}/meeting_mode?body={d['body']}")
    page.get_by_role("heading", name="MY-CN-DE-2025: MoU on Digital Economy Cooperation").wait_for(timeout=30000)
    box = page.locator("textarea").first  # the decision form is the first text area on the page
    box.wait_for(timeout=60000)
    box.fill(DECISION)
    page.wait_for_timeout(300)
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("Decision recorded in the meeting of").wait_for(timeout=30000)
    screenshot(page, "meeting-mode-decision", height=1600)

    page.goto(f"{d['base']}/meetings?body={d['body']}")
    page.get_by_role("button", name="Mark this meeting held").wait_for(timeout=30000)
    page.get_by_role("button", name="Mark this meeting held").click()
    page.get_by_text("as presented at").first.wait_for(timeout=30000)
    screenshot(page, "meetings-held", height=1800)
    with page.expect_download(timeout=60000) as info:
        page.get_by_role("button", name="Minutes (.docx)").click()
    data = open(info.value.path(), "rb").read()
    doc = Document(io.BytesIO(data))
    text = "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])
    assert DECISION in text and "Minutes of the meeting of the Joint Working Group on the Digital Economy" in text
    with Session(d["engine"]) as s:
        meeting = s.exec(select(Meeting).where(Meeting.body_id == d["body"]).order_by(Meeting.held_on.desc())).first()
        assert meeting.held_at is not None
        assert s.exec(select(MeetingSnapshot).where(MeetingSnapshot.meeting_id == meeting.id)).one()
