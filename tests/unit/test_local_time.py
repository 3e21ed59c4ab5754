"""Times are stored in UTC and shown in the TIMEZONE setting's local time, the zone named in
words; the sample history never lies in the future; evidence is one list."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlmodel import select

from core.settings import Settings, get_settings
from models import ActionItem, ProgressUpdate
from services.errors import Message
from services.i18n.translate import date_input_format, format_date, format_datetime, start_of_day, zone_name
from services.items.detail import add_evidence, list_evidence
from services.items.progress import update_progress
from services.seeding.sample import seed_sample

NOON_UTC = datetime(2026, 11, 30, 12, 33, tzinfo=timezone.utc)


@pytest.mark.parametrize("lang,expected", [
    ("en", "30 Nov 2026 20:33"), ("ms", "30 Nov 2026 20:33"), ("zh", "2026年11月30日 20:33"),
])
def test_a_utc_time_shows_in_malaysian_time(lang, expected):
    assert format_datetime(NOON_UTC, lang) == expected
    assert format_datetime(NOON_UTC.replace(tzinfo=None), lang) == expected  # SQLite's naive UTC


def test_the_zone_is_named_in_the_language_and_follows_the_setting(monkeypatch):
    assert zone_name("ms").startswith("Waktu Malaysia") and zone_name("zh").startswith("马来西亚")
    assert Message("at {when}", when=NOON_UTC).text("en") == "at 30 Nov 2026 20:33 (Malaysia (Kuala Lumpur) Time)"
    monkeypatch.setenv("TIMEZONE", "Europe/London")
    get_settings.cache_clear()
    try:
        assert format_datetime(NOON_UTC, "en") == "30 Nov 2026 12:33"
    finally:
        get_settings.cache_clear()


def test_a_stored_moment_falls_on_its_local_day():
    evening = datetime(2026, 3, 31, 23, 30, tzinfo=timezone.utc)  # 07:30 on 1 April in Kuala Lumpur
    assert format_date(evening, "en") == "1 April 2026" and format_date(evening.date(), "en") == "31 March 2026"
    assert start_of_day(evening.date() + timedelta(days=1)) == datetime(2026, 3, 31, 16, tzinfo=timezone.utc)


def test_an_unknown_zone_is_refused_at_start_up():
    with pytest.raises(ValueError, match="not a known IANA time zone"):
        Settings(timezone="Asia/Atlantis")


def test_sample_history_is_never_later_than_now(seeded, system_user):
    now = datetime(2026, 11, 30, 8, 5, tzinfo=timezone.utc)  # before the 08:00-17:00 sample hours end
    seed_sample(session=seeded, actor=system_user, today=now.date(), now=now)
    stamps = seeded.exec(select(ProgressUpdate.ts)).all()
    assert stamps and max(s.replace(tzinfo=timezone.utc) if s.tzinfo is None else s for s in stamps) <= now
    assert any(s.date() == now.date() for s in stamps)  # the clamp is exercised, not avoided


def test_evidence_given_with_an_update_joins_the_evidence_list(seeded, users):
    item = ActionItem(area_id=1, title="Data exchange pilot", lead_org_id=users["focal_point"].organisation_id)
    seeded.add(item)
    seeded.commit()
    t0 = datetime(2026, 11, 1, tzinfo=timezone.utc)
    add_evidence(session=seeded, actor=users["focal_point"], item_id=item.id, url="https://a.gov.my/1", label="MoU",
                 now=t0)
    update_progress(session=seeded, actor=users["focal_point"], item_id=item.id, expected_version=item.version,
                    status="in_progress", progress=20, note="Workshop held", evidence_url="https://a.gov.my/2",
                    now=t0 + timedelta(days=1))
    update_progress(session=seeded, actor=users["focal_point"], item_id=item.id, expected_version=item.version,
                    status="in_progress", progress=30, note="Same link again", evidence_url="https://a.gov.my/1",
                    now=t0 + timedelta(days=2))
    links = list_evidence(session=seeded, item_id=item.id)
    assert [(e.url, e.label, e.with_update) for e in links] == [
        ("https://a.gov.my/2", "Workshop held", True), ("https://a.gov.my/1", "MoU", False)]


@pytest.mark.parametrize("lang,expected", [("en", "DD/MM/YYYY"), ("ms", "DD/MM/YYYY"), ("zh", "YYYY/MM/DD")])
def test_one_date_format_per_language_from_babel(lang, expected):
    assert date_input_format(lang) == expected


def test_today_is_the_local_day_not_the_servers(monkeypatch):
    """At 17:00 UTC it is already 01:00 the next day in Kuala Lumpur: the pages' "today"
    (overdue, meeting day, what changed) is the local day; with TIMEZONE=UTC it is UTC's."""
    from services.i18n.translate import local_today

    evening = datetime(2026, 11, 30, 17, 0, tzinfo=timezone.utc)
    assert local_today(evening) == date(2026, 12, 1)
    assert local_today(datetime(2026, 11, 30, 15, 59, tzinfo=timezone.utc)) == date(2026, 11, 30)
    monkeypatch.setenv("TIMEZONE", "UTC")
    get_settings.cache_clear()
    try:
        assert local_today(evening) == date(2026, 11, 30)
    finally:
        monkeypatch.delenv("TIMEZONE")
        get_settings.cache_clear()
