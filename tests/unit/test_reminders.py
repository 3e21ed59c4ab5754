"""The reminder rules (what is due, how often, which expiry notice), the ledger's unique key on
SQLite and PostgreSQL, update requests, the digest preference, and the command line."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlmodel import Session, select

import manage
from core.settings import get_settings
from models import Agreement, AuditEvent, Meeting, Role, SentMail, User
from services.i18n.translate import local_today
from services.errors import PermissionDenied, ValidationFailed
from services.reminders.due import DUE_SOON, OVERDUE, STALE, needs_attention, reasons_for
from services.reminders.expiry import due_notices, expiry_stage, months_before
from services.reminders.frequency import digest_due, effective_frequency, set_digest_frequency
from services.reminders.ledger import MailKey, claim, release
from services.reminders.requests import request_updates
from services.seeding.startup import prepare_database
from tests.conftest import make_user
from tests.unit.scenario import TODAY, build_scenario

D = date(2026, 11, 26)


@pytest.mark.parametrize("due,last,expected", [
    (date(2026, 11, 25), date(2026, 11, 20), (OVERDUE,)),
    (date(2026, 11, 26), date(2026, 11, 20), (DUE_SOON,)),
    (date(2026, 12, 10), date(2026, 11, 20), (DUE_SOON,)),
    (date(2026, 12, 11), date(2026, 11, 20), ()),
    (None, date(2026, 10, 27), ()),  # 30 days: not yet stale
    (None, date(2026, 10, 26), (STALE,)),  # 31 days
    (date(2026, 1, 1), None, (OVERDUE, STALE)),
])
def test_reasons(due, last, expected):
    assert reasons_for(due=due, last_update=last, today=D, stale_days=30) == expected


@pytest.mark.parametrize("frequency,last,expected", [
    ("off", None, False), ("weekly", None, True), ("daily", None, True),
    ("daily", datetime(2026, 11, 26, 1, tzinfo=timezone.utc), False),
    ("daily", datetime(2026, 11, 25, 23, tzinfo=timezone.utc), True),
    ("weekly", datetime(2026, 11, 20, 8, tzinfo=timezone.utc), False),
    ("weekly", datetime(2026, 11, 19, 8, tzinfo=timezone.utc), True),
])
def test_digest_due(frequency, last, expected):
    assert digest_due(frequency=frequency, last=last, today=D) is expected


@pytest.mark.parametrize("expires,today,stage", [
    (date(2027, 12, 1), D, None), (date(2027, 11, 26), D, 12), (date(2027, 5, 26), D, 6),
    (date(2027, 5, 27), D, 12), (date(2026, 12, 1), D, 6), (D, D, None),
])
def test_expiry_stage(expires, today, stage):
    assert expiry_stage(expires, today) == stage


def test_months_before_keeps_the_end_of_month():
    assert months_before(date(2027, 8, 31), 6) == date(2027, 2, 28)
    assert months_before(date(2027, 3, 15), 12) == date(2026, 3, 15)


def test_needs_attention_by_organisation(session):
    sc = build_scenario(session)
    by_org = needs_attention(session=session, today=TODAY, stale_days=30)
    kd, mdec = sc.users["secretariat"].organisation_id, sc.users["focal_point"].organisation_id
    assert [(i.id, i.reasons) for i in by_org[kd]] == [(sc.b, (OVERDUE, STALE)), (sc.a, (STALE,))]
    assert [i.id for i in by_org[mdec]] == [sc.b]
    assert needs_attention(session=session, today=TODAY, stale_days=60)[kd][0].id == sc.b


def test_expiry_notices_once_per_stage(session):
    build_scenario(session)
    agreement = session.exec(select(Agreement).order_by(Agreement.code)).first()
    agreement.expires_on, agreement.status = date(2027, 5, 1), "in_force"
    session.add(agreement)
    session.commit()
    [notice] = [n for n in due_notices(session=session, today=D) if n.agreement_id == agreement.id]
    assert notice.subject_key == f"agreement:{agreement.id}:expiry-6m" and notice.period == "2027-05-01"


def _clock(session, **fields) -> Agreement:
    agreement = session.exec(select(Agreement).order_by(Agreement.code)).first()
    for key, value in {"status": "in_force", "expires_on": None, "signed_on": None, "in_force_from": None,
                       "term_months": None, "auto_renews": None, "renewal_months": None, "notice_days": None,
                       **fields}.items():
        setattr(agreement, key, value)
    session.add(agreement)
    session.commit()
    return agreement


def test_notice_deadline_comes_from_the_clock(session):
    build_scenario(session)
    # expires 1 Apr 2027 with 90 days' notice: give notice by 1 Jan 2027, 36 days after D
    agreement = _clock(session, expires_on=date(2027, 4, 1), notice_days=90)
    kinds = {n.subject_key.rsplit(":", 1)[1]: n for n in due_notices(session=session, today=D)
             if n.agreement_id == agreement.id}
    assert set(kinds) == {"expiry-6m", "notice"}
    assert kinds["notice"].notice_by == date(2027, 1, 1) and kinds["notice"].period == "2027-01-01"
    _clock(session, expires_on=date(2027, 4, 1), notice_days=None)  # not stated: no notice invented
    assert [n.subject_key for n in due_notices(session=session, today=D) if n.agreement_id == agreement.id] == [
        f"agreement:{agreement.id}:expiry-6m"]


def test_expiry_notice_follows_term_and_renewals(session):
    build_scenario(session)
    # signed 1 Jan 2024 for 2 years, renewing for 2 years: the expiry now in effect is 1 Jan 2028
    agreement = _clock(session, signed_on=date(2024, 1, 1), term_months=24, auto_renews=True)
    assert [n for n in due_notices(session=session, today=D) if n.agreement_id == agreement.id] == []
    [notice] = [n for n in due_notices(session=session, today=date(2027, 2, 1)) if n.agreement_id == agreement.id]
    assert (notice.subject_key, notice.period) == (f"agreement:{agreement.id}:expiry-12m", "2028-01-01")
    # without renewal the same clock expired on 1 Jan 2026: an expired agreement gets no notice
    _clock(session, signed_on=date(2024, 1, 1), term_months=24, auto_renews=False)
    assert [n for n in due_notices(session=session, today=D) if n.agreement_id == agreement.id] == []


def test_digest_frequency_default_and_permissions(session):
    build_scenario(session)
    fp = make_user(session, "fp_pref", Role.FOCAL_POINT, "MDEC")
    viewer = make_user(session, "viewer_pref", Role.VIEWER)
    assert (effective_frequency(fp), effective_frequency(viewer)) == ("weekly", "off")
    with pytest.raises(PermissionDenied):
        set_digest_frequency(session=session, actor=viewer, user_id=fp.id, frequency="off")
    with pytest.raises(ValidationFailed):
        set_digest_frequency(session=session, actor=viewer, user_id=viewer.id, frequency="hourly")
    set_digest_frequency(session=session, actor=viewer, user_id=viewer.id, frequency="daily")
    assert effective_frequency(session.get(User, viewer.id)) == "daily"
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "set_digest_frequency")).one()
    assert json.loads(event.before) == {"digest_frequency": "off"}


def joint_body(session, item_id: int) -> int:
    """A joint body overseeing the agreement of `item_id`; returns its id."""
    from models import ActionItem, BodyAgreement, CommitmentArea, JointBody

    from sqlmodel import select

    name = "Joint Working Group on the Digital Economy"
    body = session.exec(select(JointBody).where(JointBody.name_en == name)).first()
    if body is None:
        body = JointBody(name_en=name)
        session.add(body)
        session.flush()
    area = session.get(CommitmentArea, session.get(ActionItem, item_id).area_id)
    if session.get(BodyAgreement, (body.id, area.agreement_id)) is None:
        session.add(BodyAgreement(body_id=body.id, agreement_id=area.agreement_id))
    session.commit()
    return body.id


def test_request_updates_before_the_next_meeting(session):
    sc = build_scenario(session)
    body = joint_body(session, sc.a)
    sec, fp = sc.users["secretariat"], sc.users["focal_point"]
    with pytest.raises(ValidationFailed):
        request_updates(session=session, actor=sec, body_id=body, today=TODAY)  # no meeting ahead
    session.add(Meeting(body_id=body, held_on=TODAY + timedelta(days=10)))
    session.commit()
    with pytest.raises(PermissionDenied):
        request_updates(session=session, actor=fp, body_id=body, today=TODAY)
    req = request_updates(session=session, actor=sec, body_id=body, today=TODAY)
    meeting = session.get(Meeting, req.meeting_id)
    # the window closes UPDATE_WINDOW_DAYS (3) before the meeting
    assert (meeting.body_id, meeting.held_on, req.window_end) == (body, TODAY + timedelta(days=10),
                                                                  TODAY + timedelta(days=7))
    assert sc.a in json.loads(req.item_ids)
    assert request_updates(session=session, actor=sec, body_id=body, today=TODAY).id == req.id


@pytest.mark.store
def test_the_unique_key_refuses_a_second_claim(store_engine):
    with Session(store_engine, expire_on_commit=False) as s:
        user = User(username="ledger1", display_name="L", role="focal_point")
        s.add(user)
        s.commit()
        now = datetime(2026, 11, 26, 6, tzinfo=timezone.utc)
        key = MailKey(user.id, "digest", "digest", "2026-11-26")
        first = claim(session=s, key=key, email="a@b.gov.my", subject="x", now=now)
        assert first is not None
        assert claim(session=s, key=key, email="a@b.gov.my", subject="x", now=now + timedelta(minutes=5)) is None
        # A run that died after claiming: its claim is taken over once it is 30 minutes old.
        again = claim(session=s, key=key, email="a@b.gov.my", subject="x", now=now + timedelta(minutes=31))
        assert again is not None
        assert s.get(SentMail, again).claimed_at == now + timedelta(minutes=31)
        release(session=s, claim_id=again)
        assert s.exec(select(SentMail)).all() == []


@pytest.fixture
def cli_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("SMTP_HOST", raising=False)
    get_settings.cache_clear()
    from core.db import make_engine

    engine = make_engine(url)
    prepare_database(engine, sample=True, today=local_today())
    with Session(engine) as s:
        fp = s.exec(select(User).where(User.username == "demo.focal")).one()
        fp.email = "demo.focal@example.gov.my"
        s.add(fp)
        make_user(s, "fp_noaddr", Role.FOCAL_POINT, "MDEC")
    yield engine
    engine.dispose()
    get_settings.cache_clear()


def test_cli_dry_run_prints_and_records_nothing(cli_db, capsys):
    assert manage.main(["send-reminders", "--dry-run", "--only", "digest"]) == 0
    out = capsys.readouterr().out
    assert "To: demo.focal@example.gov.my" in out and "/item?id=" in out
    assert "nothing was sent or recorded" in out and "No e-mail address" in out and "fp_noaddr" in out
    with Session(cli_db) as s:
        assert s.exec(select(SentMail)).all() == []


def test_cli_smtp_down_exits_non_zero(cli_db, capsys, monkeypatch):
    from tests.unit.smtp_server import free_port

    assert manage.main(["send-reminders"]) == 3
    assert "SMTP_HOST is not set" in capsys.readouterr().err
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(free_port()))
    monkeypatch.setenv("SMTP_STARTTLS", "false")
    get_settings.cache_clear()
    assert manage.main(["send-reminders"]) == 4
    assert "mail server failed" in capsys.readouterr().err
    with Session(cli_db) as s:
        assert s.exec(select(SentMail)).all() == []


def test_a_long_digest_lists_thirty_and_sends_the_rest_to_my_items():
    from services.reminders.compose import MAX_LISTED, digest_mail
    from services.reminders.due import DueItem

    items = [DueItem(i, f"Item {i}", None, None, D - timedelta(days=i), "in_progress", 10, None, (OVERDUE,))
             for i in range(1, MAX_LISTED + 6)]
    mail = digest_mail(to="a@b.gov.my", name="A", lang="ms", items=items, frequency="daily",
                       public_url="https://t.example", today=D)
    assert mail.text.count("https://t.example/item?id=") == MAX_LISTED
    assert "dan 5 lagi" in mail.text and "https://t.example/items?lang=ms" in mail.text
    assert "setiap hari" in mail.text


def test_cli_sends_once_through_a_relay(cli_db, capsys, monkeypatch):
    from tests.unit.smtp_server import LoopbackSmtp

    smtp = LoopbackSmtp()
    smtp.start()
    try:
        monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("SMTP_PORT", str(smtp.port))
        monkeypatch.setenv("SMTP_STARTTLS", "false")
        monkeypatch.setenv("PUBLIC_URL", "https://tracker.example.gov.my")
        get_settings.cache_clear()
        assert manage.main(["send-reminders", "--only", "digest"]) == 0
        first = capsys.readouterr().out
        assert manage.main(["send-reminders"]) == 0
        again = capsys.readouterr().out
    finally:
        smtp.stop()
    [msg] = smtp.inbox.to("demo.focal@example.gov.my")
    assert "https://tracker.example.gov.my/item?id=" in msg.get_body(preferencelist=("plain",)).get_content()
    assert "Mails sent: 1." in first and "fp_noaddr" in first and "Mails sent: 0." in again
