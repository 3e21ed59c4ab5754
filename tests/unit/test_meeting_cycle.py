"""The meeting cycle: the record as presented (snapshot), marking held (once), carried-over points,
the update window, and the minutes read back with python-docx."""
import io
from datetime import date, datetime, timedelta, timezone

import pytest
from docx import Document
from sqlmodel import Session, select

from models import ActionItem, AuditEvent, Meeting, MeetingSnapshot, SnapshotItem
from services.i18n.translate import local_today
from services.errors import ValidationFailed
from services.items.progress import update_progress
from services.meetings.changes import GROUPS
from services.meetings.cycle import updates_due, window_closes
from services.meetings.minutes import build_minutes
from services.meetings.mode import build_agenda
from services.meetings.register import changes_for_body, record_decision, save_meeting
from services.meetings.snapshot import mark_held, take_snapshot
from tests.unit.item_factories import add_item, org_id
from tests.unit.test_meetings import at, de_area, jwg

HELD = date(2026, 4, 1)


def now_on(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.utc)


@pytest.fixture
def cycle(seeded, users):
    """A held meeting of the working group on HELD with two items of its agreement."""
    sec = users["secretariat"]
    area = de_area(seeded)
    made = dict(area_id=area.id, created_at=at(date(2026, 1, 1)), start_date=date(2026, 1, 1), due_date=date(2026, 12, 31))
    a = add_item(seeded, title="Data corridor pilot", **made)
    b = add_item(seeded, title="Joint statement", **made)
    update_progress(session=seeded, actor=sec, item_id=a.id, expected_version=1, status="in_progress", progress=40,
                    note="Pilot scoped", now=at(date(2026, 3, 1)))
    m = save_meeting(session=seeded, actor=sec, data={"body_id": jwg(seeded).id, "held_on": HELD, "venue": "Putrajaya",
                                                       "attendees_my": "Aisyah Rahman (KD)",
                                                       "attendees_counterpart": "Li Wei (NDA)"})
    return seeded, sec, m, a, b


def test_marking_held_freezes_the_record_and_later_edits_do_not_change_it(cycle):
    session, sec, m, a, b = cycle
    result = mark_held(session=session, actor=sec, meeting_id=m.id, today=HELD, now=now_on(HELD))
    snap = session.get(MeetingSnapshot, result.snapshot_id)
    frozen = {r.item_id: (r.status, r.progress, r.last_note) for r in
              session.exec(select(SnapshotItem).where(SnapshotItem.snapshot_id == snap.id)).all()}
    assert frozen == {a.id: ("in_progress", 40, "Pilot scoped"), b.id: ("not_started", 0, None)}
    update_progress(session=session, actor=sec, item_id=a.id, expected_version=2, status="in_progress", progress=90,
                    note="Pilot running", now=now_on(HELD, 15))  # the same afternoon, after the snapshot
    again = take_snapshot(session=session, actor=sec, meeting_id=m.id, reason="pack", now=now_on(HELD, 16))
    assert again.id == snap.id and again.taken_at == now_on(HELD)
    session.expire_all()
    assert session.get(SnapshotItem, (snap.id, a.id)).progress == 40
    # the next meeting's "what changed" is measured from the snapshot: the afternoon's update counts
    c = changes_for_body(session=session, body_id=m.body_id, today=date(2026, 5, 1))
    assert c.from_snapshot and c.ids()["improved"] == [a.id]
    assert [(x.before.progress, x.item.progress) for x in c.groups["improved"]] == [(40, 90)]
    with pytest.raises(ValidationFailed, match="already marked held"):
        mark_held(session=session, actor=sec, meeting_id=m.id, today=HELD, now=now_on(HELD, 17))
    assert [e.action for e in session.exec(select(AuditEvent).where(AuditEvent.object_type == "meeting")
                                           .order_by(AuditEvent.id)).all()][-2:] == ["snapshot_meeting", "mark_meeting_held"]


def test_a_planned_meeting_cannot_be_marked_held_and_a_past_one_gets_no_invented_snapshot(cycle):
    session, sec, m, a, b = cycle
    with pytest.raises(ValidationFailed, match="planned"):
        mark_held(session=session, actor=sec, meeting_id=m.id, today=HELD - timedelta(days=1), now=now_on(HELD))
    result = mark_held(session=session, actor=sec, meeting_id=m.id, today=HELD + timedelta(days=20), now=now_on(HELD))
    assert result.snapshot_id is None and session.exec(select(MeetingSnapshot)).all() == []
    c = changes_for_body(session=session, body_id=m.body_id, today=HELD + timedelta(days=20))
    assert not c.from_snapshot and c.since == HELD


@pytest.mark.store
def test_two_secretariat_users_marking_held_at_once(store_engine):
    from tests.unit.scenario import build_scenario
    with Session(store_engine, expire_on_commit=False) as s:
        w = build_scenario(s)
        m = save_meeting(session=s, actor=w.users["secretariat"], data={"body_id": jwg(s).id, "held_on": HELD})
    with Session(store_engine, expire_on_commit=False) as one, Session(store_engine, expire_on_commit=False) as two:
        actor_one, actor_two = one.merge(w.users["secretariat"]), two.merge(w.users["admin"])
        one.get(Meeting, m.id), two.get(Meeting, m.id)  # both screens show it not held
        mark_held(session=one, actor=actor_one, meeting_id=m.id, today=HELD, now=now_on(HELD))
        with pytest.raises(ValidationFailed, match="already marked held"):
            mark_held(session=two, actor=actor_two, meeting_id=m.id, today=HELD, now=now_on(HELD, 13))
    with Session(store_engine) as s:
        assert len(s.exec(select(MeetingSnapshot)).all()) == 1
        assert s.get(Meeting, m.id).held_by_id == w.users["secretariat"].id


def test_unfinished_points_and_open_decisions_carry_over(cycle):
    session, sec, m, a, b = cycle
    for item, version in ((a, 2), (b, 1)):  # both fresh and on schedule: only a carry-over puts one on the agenda
        update_progress(session=session, actor=sec, item_id=item.id, expected_version=version, status="in_progress",
                        progress=40, note="Checked before the meeting", now=now_on(HELD - timedelta(days=1)))
    record_decision(session=session, actor=sec, meeting_id=m.id, text="Publish the joint statement", item_id=b.id)
    later = HELD + timedelta(days=10)
    items = [p.item.id for p in build_agenda(session=session, body_id=m.body_id, today=later) if p.kind == "item"]
    assert b.id in items and a.id not in items  # b is on track but carried over; a is not flagged
    [point] = [p for p in build_agenda(session=session, body_id=m.body_id, today=later) if p.kind == "item"]
    assert point.reasons == ["Carried over"]
    update_progress(session=session, actor=sec, item_id=b.id, expected_version=2, status="completed", progress=100,
                    now=now_on(later))
    assert [p for p in build_agenda(session=session, body_id=m.body_id, today=later) if p.kind == "item"] == []


def test_the_update_window_before_the_next_meeting(cycle, users):
    session, sec, m, a, b = cycle
    mark_held(session=session, actor=sec, meeting_id=m.id, today=HELD, now=now_on(HELD))
    nxt = save_meeting(session=session, actor=sec, data={"body_id": m.body_id, "held_on": date(2026, 7, 1)})
    assert window_closes(nxt, window_days=3) == date(2026, 6, 28)
    kd = org_id(session, "MDEC")  # add_item's lead
    due = updates_due(session=session, organisation_id=kd, today=date(2026, 6, 20))
    assert [(u.body.id, u.meeting_on, sorted(u.item_ids)) for u in due] == [(m.body_id, date(2026, 7, 1), sorted([a.id, b.id]))]
    update_progress(session=session, actor=sec, item_id=a.id, expected_version=2, status="in_progress", progress=50,
                    now=now_on(date(2026, 6, 21)))
    assert updates_due(session=session, organisation_id=kd, today=date(2026, 6, 22))[0].item_ids == [b.id]
    assert updates_due(session=session, organisation_id=org_id(session, "KD"), today=date(2026, 6, 22)) == []
    assert updates_due(session=session, organisation_id=kd, today=date(2026, 6, 29)) == []  # window closed
    flagged = {p.item.id: p.reasons for p in build_agenda(session=session, body_id=m.body_id, today=date(2026, 6, 29))
               if p.kind == "item"}
    assert "Not updated for this meeting" in flagged[b.id]
    assert flagged[a.id] == ["Carried over"]  # on the agenda as presented, updated since: carried, not flagged late


def _docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


@pytest.mark.parametrize("lang,expect", [
    ("en", ["Minutes of the meeting of the Joint Working Group on the Digital Economy (1)", "1 April 2026",
            "Aisyah Rahman (KD)", "Li Wei (NDA)", "Publish the joint statement", "Pilot scoped", "In progress"]),
    ("ms", ["Kumpulan Kerja Bersama mengenai Ekonomi Digital", "1 April 2026", "Dalam pelaksanaan"]),
    ("zh", ["数字经济联合工作组", "2026年4月1日"]),
    ("ms+zh", ["Kumpulan Kerja Bersama mengenai Ekonomi Digital", "数字经济联合工作组", "Publish the joint statement"]),
    ("en+zh", ["Joint Working Group on the Digital Economy", "数字经济联合工作组"]),
])
def test_minutes_in_each_language(cycle, lang, expect):
    session, sec, m, a, b = cycle
    record_decision(session=session, actor=sec, meeting_id=m.id, text="Publish the joint statement", item_id=b.id)
    record_decision(session=session, actor=sec, meeting_id=m.id, text="Open the data corridor", new_item={
        "area_id": a.area_id, "title": "Open the data corridor", "lead_org_id": org_id(session, "KD"),
        "due_date": date(2026, 9, 30), "owner_name": "Aisyah Rahman"})
    mark_held(session=session, actor=sec, meeting_id=m.id, today=HELD, now=now_on(HELD))
    text = _docx_text(build_minutes(session=session, meeting_id=m.id, lang=lang, today=date(2026, 5, 1)))
    for part in expect:
        assert part in text, part
    if "+" in lang:
        doc = Document(io.BytesIO(build_minutes(session=session, meeting_id=m.id, lang=lang, today=date(2026, 5, 1))))
        first = doc.tables[0].rows[0].cells
        assert len(first) == 2 and first[0].text != first[1].text  # the two languages side by side


def test_minutes_refuse_an_unknown_language(cycle):
    session, sec, m, a, b = cycle
    with pytest.raises(ValidationFailed, match="ms\\+zh"):
        build_minutes(session=session, meeting_id=m.id, lang="fr")


def test_the_cli_prints_the_same_list_as_the_page(cycle, capsys, monkeypatch):
    import manage
    session, sec, m, a, b = cycle
    monkeypatch.setattr(manage, "make_engine", lambda: session.get_bind())
    monkeypatch.setattr(manage, "new_session", lambda engine: Session(engine, expire_on_commit=False))
    assert manage.main(["what-changed", "--body", "Joint Working Group on the Digital Economy",
                        "--since", "2026-02-01"]) == 0
    lines = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    expect = changes_for_body(session=session, body_id=m.body_id, today=local_today(), since=date(2026, 2, 1))
    assert [(g, int(i)) for g, i, *_ in lines] == [(g, x.item.id) for g in GROUPS for x in expect.groups[g]]
    assert manage.main(["what-changed", "--body", "No such body", "--since", "2026-02-01"]) == 2
    assert "No joint body named 'No such body'" in capsys.readouterr().err
    assert manage.main(["what-changed", "--body", "Joint Working Group on the Digital Economy", "--since", "1 Feb"]) == 2
    assert session.exec(select(ActionItem)).all()


def test_documents_say_sample_data_while_it_is_loaded(sampled, users):
    """Sample data is labelled wherever it shows: the minutes (each language) and the renewal
    brief carry the pack's sample line while sample rows exist, and not once they are gone."""
    from services.i18n.translate import gettext
    from services.lifecycle.brief import write_renewal_brief
    from services.seeding.sample import DOCUMENT_SAMPLE_NOTE, remove_sample

    meeting = sampled.exec(select(Meeting).order_by(Meeting.id)).first()
    for lang in ("en", "ms", "ms+zh"):
        text = _docx_text(build_minutes(session=sampled, meeting_id=meeting.id, lang=lang, today=date(2026, 5, 1)))
        assert all(gettext(x, DOCUMENT_SAMPLE_NOTE) in text for x in lang.split("+")), lang
    brief = _docx_text(write_renewal_brief(session=sampled, code="MY-CN-DE-2025", today=date(2026, 5, 1), lang="ms"))
    assert gettext("ms", DOCUMENT_SAMPLE_NOTE) in brief and "DATA SAMPEL" in brief
    remove_sample(session=sampled, actor=users["admin"])
    brief = _docx_text(write_renewal_brief(session=sampled, code="MY-CN-DE-2025", today=date(2026, 5, 1)))
    assert "SAMPLE DATA" not in brief
