"""The reminders on the screens: My items shows the digest's own list ("What needs you now"),
My account sets the digest frequency and shows the last mails, Meetings requests updates."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from sqlmodel import Session, select

from core.settings import get_settings
from models import Meeting, SentMail, UpdateRequest, User
from services.i18n.content import display
from services.i18n.translate import local_today
from services.reminders.due import needs_me_now
from services.reminders.plan import MailConfig, plan_digests
from tests.apptest.conftest import run_page


def _user(engine, username: str) -> User:
    with Session(engine) as s:
        return s.exec(select(User).where(User.username == username)).one()


def _table_with(at, column: str):
    return next(df.value for df in at.dataframe if column in df.value.columns)


def test_my_items_shows_what_the_digest_sends(app_db):
    today = local_today()  # the page's clock
    fp = _user(app_db, "demo.focal")
    with Session(app_db) as s:
        fp_row = s.get(User, fp.id)
        fp_row.email = "focal@example.gov.my"
        s.add(fp_row)
        s.commit()
        expected = needs_me_now(session=s, organisation_id=fp.organisation_id, today=today,
                                stale_days=get_settings().stale_days)
        cfg = MailConfig(public_url="https://t.example", mail_from="t@example.gov.my",
                         stale_days=get_settings().stale_days)
        [digest] = [p for p in plan_digests(session=s, today=today, cfg=cfg) if p.recipient.id == fp.id]
    assert expected, "the sample data gives MDEC items that need attention"
    at = run_page("views/items.py", user="demo.focal")
    assert not at.exception, at.exception
    assert "What needs you now" in [h.value for h in at.subheader]
    panel = _table_with(at, "Why")
    assert list(panel["Action item"]) == [display(i, "title", "en") for i in expected]
    assert [int(n) for n in re.findall(r"item\?id=(\d+)&", digest.mail.text)] == [i.id for i in expected]
    # One click on a row opens that item in the same tab, as every table of items does.
    at.session_state["needs_me"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert not at.exception and at.query_params["id"] == str(expected[0].id)
    if len(expected) > 1:  # a click on a cell of the second row (its "Why") opens that item too
        at = run_page("views/items.py", user="demo.focal")
        at.session_state["needs_me"] = {"selection": {"rows": [], "columns": [], "cells": [(1, "Why")]}}
        at.run()
        assert not at.exception and at.query_params["id"] == str(expected[1].id)


def test_my_items_panel_in_malay(app_db):
    at = run_page("views/items.py", user="demo.focal", query={"lang": "ms"})
    assert not at.exception, at.exception
    assert "Perkara yang memerlukan anda sekarang" in [h.value for h in at.subheader]
    assert "Sebab" in _table_with(at, "Sebab").columns


def test_my_account_sets_the_frequency_and_shows_the_last_mail(app_db):
    viewer = _user(app_db, "demo.viewer")
    sent_at = datetime(2026, 11, 20, 7, tzinfo=timezone.utc)
    with Session(app_db) as s:
        s.add(SentMail(recipient_id=viewer.id, recipient_email="v@example.gov.my", kind="digest",
                       subject_key="digest", period="2026-11-20", subject="MoU Tracker: 3 action items",
                       state="sent", claimed_at=sent_at, sent_at=sent_at, message_id="<x@example.gov.my>"))
        s.commit()
    at = run_page("views/account.py", user="demo.viewer")
    assert not at.exception, at.exception
    last = _table_with(at, "Last sent")
    assert list(last["Subject"]) == ["MoU Tracker: 3 action items"] and list(last["Mail"]) == ["Digest"]
    assert at.radio(key="digest_frequency").value == "off"  # a viewer asks for the digest
    at.radio(key="digest_frequency").set_value("daily").run()
    at.button(key="digest_save").click().run()
    assert not at.exception, at.exception
    assert _user(app_db, "demo.viewer").digest_frequency == "daily"


def test_secretariat_requests_updates_before_the_next_meeting(app_db):
    from models import JointBody

    with Session(app_db) as s:
        body = s.exec(select(JointBody.id).where(JointBody.name_en == "Joint Working Group on the Digital Economy")).one()
        s.add(Meeting(body_id=body, held_on=local_today() + timedelta(days=12)))
        s.commit()
    at = run_page("views/meetings.py", user="demo.secretariat", query={"body": str(body)})
    assert not at.exception, at.exception
    at.button(key="request_updates").click().run()
    assert not at.exception, at.exception
    assert any("Request recorded" in m.value for m in at.toast)
    with Session(app_db) as s:
        req = s.exec(select(UpdateRequest)).one()
        meeting = s.get(Meeting, req.meeting_id)
    assert (meeting.body_id, meeting.held_on) == (body, local_today() + timedelta(days=12))
    viewer = run_page("views/meetings.py", user="demo.viewer", query={"body": str(body)})
    assert not [b for b in viewer.button if b.key == "request_updates"]


def test_a_long_list_of_what_needs_you_shows_the_first_rows_and_says_so(app_db, monkeypatch):
    import ui.reminders

    fp = _user(app_db, "demo.focal")
    with Session(app_db) as s:
        expected = needs_me_now(session=s, organisation_id=fp.organisation_id, today=local_today(),
                                stale_days=get_settings().stale_days)
    assert len(expected) > 1, "the sample data gives MDEC more than one item that needs attention"
    monkeypatch.setattr(ui.reminders, "NEEDS_ME_SHOWN", 1)
    at = run_page("views/items.py", user="demo.focal")
    assert not at.exception, at.exception
    assert list(_table_with(at, "Why")["Action item"]) == [display(expected[0], "title", "en")]
    assert f"The first 1 of {len(expected)}, the most overdue first; the list below holds them all." in [
        c.value for c in at.caption]
