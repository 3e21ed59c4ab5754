"""send_reminders against a real SMTP server on loopback (aiosmtpd, started here): digests in
each language with their links, nothing sent twice, the server down then up, a refused
recipient, overlapping runs, and the command line's exit code and summary."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from models import AuditEvent, Role, SentMail, User
from services.i18n.translate import gettext
from services.reminders.mail import SmtpSender
from services.reminders.plan import MailConfig
from services.reminders.run import send_reminders
from services.seeding.facts import ensure_system_user
from tests.conftest import make_user
from tests.unit.scenario import TODAY, build_scenario
from tests.unit.smtp_server import LoopbackSmtp

NOW = datetime(2026, 11, 26, 6, 0, tzinfo=timezone.utc)
CFG = MailConfig(public_url="https://tracker.example.gov.my/", mail_from="MoU Tracker <tracker@example.gov.my>",
                 stale_days=30)
SUBJECT = "MoU Tracker: action items that need your attention ({n})"


@pytest.fixture
def smtp():
    server = LoopbackSmtp()
    server.start()
    yield server
    server.stop()


def sender(smtp: LoopbackSmtp) -> SmtpSender:
    return SmtpSender(host="127.0.0.1", port=smtp.port, starttls=False, timeout=5)


def focal(session: Session, name: str, lang: str, org: str = "MDEC", email: str | None = "") -> User:
    user = make_user(session, name, Role.FOCAL_POINT, org)
    user.language, user.email = lang, f"{name}@example.gov.my" if email == "" else email
    session.add(user)
    session.commit()
    return user


def run(session: Session, smtp: LoopbackSmtp | None, *, today=TODAY, now=NOW, only=None):
    system = ensure_system_user(session=session)
    if smtp is None:
        return send_reminders(session=session, actor=system, today=today, now=now, cfg=CFG, sender=None, only=only)
    with sender(smtp) as s:
        return send_reminders(session=session, actor=system, today=today, now=now, cfg=CFG, sender=s, only=only)


def sent_rows(session: Session) -> int:
    return session.exec(select(func.count()).select_from(SentMail).where(SentMail.state == "sent")).one()


@pytest.mark.parametrize("lang", ["en", "ms", "zh"])
def test_digest_in_the_readers_language_with_the_link(session, smtp, lang):
    sc = build_scenario(session)
    user = focal(session, f"fp_{lang}", lang)
    report = run(session, smtp)
    assert report.ok and report.refused == []
    [msg] = smtp.inbox.to(user.email)
    # MDEC leads item B (overdue, no update since March); A and C are KD's alone.
    assert msg["Subject"] == gettext(lang, SUBJECT, n=1)
    assert msg.get_content_type() == "multipart/alternative"
    plain = msg.get_body(preferencelist=("plain",)).get_content()
    html = msg.get_body(preferencelist=("html",)).get_content()
    assert f"https://tracker.example.gov.my/item?id={sc.b}&lang={lang}" in plain
    assert f'href="https://tracker.example.gov.my/item?id={sc.b}&amp;lang={lang}"' in html
    assert gettext(lang, "Overdue") in plain and f"id={sc.a}&" not in plain
    assert msg["Message-ID"].endswith("@example.gov.my>")
    row = session.exec(select(SentMail).where(SentMail.recipient_id == user.id)).one()
    assert (row.state, row.kind, row.message_id) == ("sent", "digest", msg["Message-ID"])
    audit = session.exec(select(AuditEvent).where(AuditEvent.action == "send_mail",
                                                  AuditEvent.object_id == user.id)).one()
    assert msg["Message-ID"] in audit.after


def test_a_supporting_organisation_gets_its_items_too(session, smtp):
    sc = build_scenario(session)
    kd = focal(session, "fp_kd", "en", org="KD")
    run(session, smtp)
    plain = smtp.inbox.to(kd.email)[0].get_body(preferencelist=("plain",)).get_content()
    # B (KD supports; overdue) comes before A (KD leads; no update since 1 Oct); C is new and not due.
    assert plain.index(f"id={sc.b}&") < plain.index(f"id={sc.a}&") and f"id={sc.c}&" not in plain


def test_nothing_is_sent_twice_and_weekly_waits_seven_days(session, smtp):
    build_scenario(session)
    weekly = focal(session, "fp_weekly", "en")
    daily = focal(session, "fp_daily", "en")
    daily.digest_frequency = "daily"
    session.add(daily)
    session.commit()
    assert len(run(session, smtp).sent) == 2
    assert run(session, smtp, now=NOW + timedelta(hours=3)).sent == []
    tomorrow = run(session, smtp, today=TODAY + timedelta(days=1), now=NOW + timedelta(days=1))
    assert [to for _k, to, _s in tomorrow.sent] == [daily.email]
    week = run(session, smtp, today=TODAY + timedelta(days=7), now=NOW + timedelta(days=7))
    assert sorted(to for _k, to, _s in week.sent) == sorted([daily.email, weekly.email])
    assert len(smtp.inbox.to(weekly.email)) == 2 and len(smtp.inbox.to(daily.email)) == 3


def test_server_down_records_nothing_then_the_next_run_sends(session, smtp):
    build_scenario(session)
    user = focal(session, "fp_down", "ms")
    smtp.stop()
    report = run(session, smtp)
    assert not report.ok and "127.0.0.1" in report.server_error and report.sent == []
    assert session.exec(select(func.count()).select_from(SentMail)).one() == 0
    smtp.start()
    again = run(session, smtp, now=NOW + timedelta(minutes=5))
    assert again.ok and [to for _k, to, _s in again.sent] == [user.email]
    assert sent_rows(session) == 1


def test_a_refused_recipient_does_not_stop_the_others(session, smtp):
    build_scenario(session)
    bad = focal(session, "fp_bad", "en")
    good = focal(session, "fp_good", "zh")
    typo = focal(session, "fp_typo", "en", email="not an address")
    none = focal(session, "fp_none", "en", email=None)
    smtp.inbox.refuse.add(bad.email)
    report = run(session, smtp)
    assert report.ok and len(smtp.inbox.to(good.email)) == 1
    refused = {username: reason for username, _addr, reason in report.refused}
    assert "550" in refused[bad.username] and typo.username in refused
    assert sorted(report.no_email) == sorted([none.username, "s_focal_point"])  # the scenario's has none
    sent_to = session.exec(select(SentMail.recipient_id)).all()
    assert sent_to == [good.id]  # the refused mail is not recorded, so a fixed address gets it later


@pytest.mark.store
def test_overlapping_runs_send_each_mail_once(store_engine, smtp):
    """Run B starts while run A is sending its first mail (A planned before B claimed)."""
    session = Session(store_engine, expire_on_commit=False)
    build_scenario(session)
    people = [focal(session, f"fp_{i}", "en") for i in range(4)]
    other = Session(store_engine, expire_on_commit=False)
    inner = {}

    class Overlapping(SmtpSender):
        def send(self, msg):
            if not inner:
                inner["report"] = run(other, smtp, now=NOW)
            super().send(msg)

    system = ensure_system_user(session=session)
    with Overlapping(host="127.0.0.1", port=smtp.port, starttls=False, timeout=5) as s:
        first = send_reminders(session=session, actor=system, today=TODAY, now=NOW, cfg=CFG, sender=s)
    second = inner["report"]
    # A had claimed its first mail when B began: B does not plan that one and sends the other
    # three; A then finds those three claimed and skips them.
    assert (len(first.sent), first.skipped, len(second.sent)) == (1, 3, 3)
    assert sorted(m["To"] for m in smtp.inbox.messages) == sorted(p.email for p in people)
    other.close()
    session.close()


@pytest.mark.store
def test_concurrent_runs_in_threads_send_each_mail_once(store_engine, smtp):
    """Three runs at once, each with its own connection: every reader gets exactly one digest."""
    with Session(store_engine, expire_on_commit=False) as session:
        build_scenario(session)
        people = [focal(session, f"fp_t{i}", ("en", "ms", "zh")[i % 3]) for i in range(12)]
        ensure_system_user(session=session)
        session.commit()
    reports, errors = [], []

    def one_run() -> None:
        try:
            with Session(store_engine, expire_on_commit=False) as own:
                reports.append(run(own, smtp))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=one_run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == [] and all(r.ok for r in reports)
    assert sorted(m["To"] for m in smtp.inbox.messages) == sorted(p.email for p in people)
    assert sum(len(r.sent) for r in reports) == len(people)


def test_starttls_before_sending(session, tmp_path):
    """A relay that requires STARTTLS: the digest goes over TLS; without STARTTLS it is refused."""
    import ssl

    from tests.unit.smtp_server import self_signed

    cert, key = self_signed(tmp_path)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    smtp = LoopbackSmtp(tls=server_tls)
    smtp.start()
    try:
        build_scenario(session)
        user = focal(session, "fp_tls", "zh")
        system = ensure_system_user(session=session)
        plain = SmtpSender(host="127.0.0.1", port=smtp.port, starttls=False, timeout=5)
        with plain:
            refused = send_reminders(session=session, actor=system, today=TODAY, now=NOW, cfg=CFG, sender=plain)
        assert not refused.ok and smtp.inbox.messages == [] and sent_rows(session) == 0
        client_tls = ssl.create_default_context(cafile=cert)
        with SmtpSender(host="127.0.0.1", port=smtp.port, starttls=True, timeout=5, tls=client_tls) as tls:
            report = send_reminders(session=session, actor=system, today=TODAY, now=NOW, cfg=CFG, sender=tls)
        assert report.ok and [m["To"] for m in smtp.inbox.messages] == [user.email]
        assert smtp.inbox.messages[0]["Subject"] == gettext("zh", SUBJECT, n=1)
    finally:
        smtp.stop()


def test_update_request_names_the_meeting_and_the_window(session, smtp):
    from models import Meeting
    from services.i18n.translate import format_date
    from services.reminders.requests import request_updates

    sc = build_scenario(session)
    from tests.unit.test_reminders import joint_body

    body = joint_body(session, sc.a)
    session.add(Meeting(body_id=body, held_on=TODAY + timedelta(days=8)))
    session.commit()
    kd = focal(session, "fp_req", "ms", org="KD")
    request_updates(session=session, actor=sc.users["secretariat"], body_id=body, today=TODAY)
    report = run(session, smtp, only="requests")
    assert report.ok and [to for _k, to, _s in report.sent] == [kd.email]
    [msg] = smtp.inbox.to(kd.email)
    assert msg["Subject"] == gettext("ms", "Update request: {body}, meeting on {day}",
                                     body="Joint Working Group on the Digital Economy",
                                     day=format_date(TODAY + timedelta(days=8), "ms"))
    plain = msg.get_body(preferencelist=("plain",)).get_content()
    assert format_date(TODAY + timedelta(days=5), "ms") in plain and f"item?id={sc.a}&lang=ms" in plain
    assert run(session, smtp, only="requests", now=NOW + timedelta(hours=1)).sent == []
