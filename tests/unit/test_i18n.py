"""Language choice, translation, locale formatting, translated labels, per-language content
and the saved language of a user."""
from datetime import date, datetime, timezone
from types import SimpleNamespace

import pytest
from sqlmodel import select

from models import Agreement, AuditEvent, Role
from services import labels
from services.agreements.registry import clause_renderings, get_agreement_detail, list_agreements
from services.errors import PermissionDenied, ValidationFailed
from services.i18n.translate import (
    LANGUAGES, choose_language, format_date, format_number, format_percent, gettext,
    normalize_language, translator,
)
from services.i18n.content import display, localized
from services.accounts.preferences import set_user_language
from tests.conftest import TODAY


@pytest.mark.parametrize("value,expected", [
    ("ms", "ms"), ("ms-MY", "ms"), ("ms_MY", "ms"), ("MS", "ms"), ("may", "ms"),
    ("en-US", "en"), ("en_GB", "en"), ("zh", "zh"), ("zh-CN", "zh"), ("zh-Hans-CN", "zh"),
    ("zh-TW", "zh"), ("de-DE", None), ("", None), (None, None), ("xx", None),
])
def test_normalize_language(value, expected):
    assert normalize_language(value) == expected


@pytest.mark.parametrize("query,chosen,user,browser,default,expected", [
    ("zh", "ms", "en", "ms-MY", "en", "zh"),  # the URL wins
    (None, "ms", "zh", "en-US", "en", "ms"),  # then this session's choice
    ("de", None, "zh", "ms-MY", "en", "zh"),  # an unknown ?lang= is ignored; the user's choice
    (None, None, None, "ms-MY", "en", "ms"),  # the browser's locale
    (None, None, None, "fr-FR", "zh", "zh"),  # the setting
    (None, None, None, None, None, "en"),
])
def test_choose_language(query, chosen, user, browser, default, expected):
    assert choose_language(query=query, chosen=chosen, user=user, browser=browser, default=default) == expected


@pytest.mark.parametrize("lang,text,values,expected", [
    ("ms", "Overview", {}, "Gambaran keseluruhan"),
    ("zh", "Overview", {}, "概览"),
    ("en", "Overview", {}, "Overview"),
    ("ms", "Venue: {v}", {"v": "Putrajaya"}, "Tempat: Putrajaya"),
    ("zh", "{n} action items", {"n": 2}, "2 个行动项"),
    ("ms", "A string with no entry", {}, "A string with no entry"),
    ("zh", "No entry {x}", {"x": 1}, "No entry 1"),
])
def test_gettext(lang, text, values, expected):
    assert gettext(lang, text, **values) == expected
    assert translator(lang)(text, **values) == expected


@pytest.mark.parametrize("value,lang,fmt,expected", [
    (date(2025, 4, 16), "en", "long", "16 April 2025"),
    (date(2025, 4, 16), "ms", "long", "16 April 2025"),
    (date(2025, 8, 16), "ms", "long", "16 Ogos 2025"),
    (date(2025, 3, 1), "ms", "long", "1 Mac 2025"),
    (date(2025, 12, 31), "ms", "long", "31 Disember 2025"),
    (date(2025, 7, 4), "ms", "long", "4 Julai 2025"),
    (date(2025, 8, 16), "zh", "long", "2025年8月16日"),
    (date(2025, 8, 16), "zh", "short", "2025/8/16"),
    (datetime(2025, 8, 16, 10, 0, tzinfo=timezone.utc), "zh", "long", "2025年8月16日"),
    (datetime(2025, 8, 16, 23, 0, tzinfo=timezone.utc), "zh", "long", "2025年8月17日"),  # 07:00 in Kuala Lumpur
    (None, "ms", "long", "–"),
])
def test_format_date(value, lang, fmt, expected):
    assert format_date(value, lang, fmt) == expected


@pytest.mark.parametrize("value,lang,expected", [
    (45.6, "ms", "46%"), (0.0, "zh", "0%"), (100.0, "en", "100%"), (None, "en", "–"),
])
def test_format_percent(value, lang, expected):
    assert format_percent(value, lang) == expected


@pytest.mark.parametrize("lang", LANGUAGES)
def test_format_number_groups_thousands(lang):
    assert format_number(12345.5, lang) == "12,345.5"


@pytest.mark.parametrize("func,key,lang,expected", [
    (labels.status_label, "on_hold", "ms", "Ditangguhkan"),
    (labels.status_label, "on_hold", "zh", "暂停"),
    (labels.status_label, "on_hold", "en", "On hold"),
    (labels.status_label, "brand_new", "ms", "brand_new"),  # unknown: itself, never blank
    (labels.rag_text, "red", "zh", "● 红"),
    (labels.rag_text, None, "ms", "○ Tiada penarafan"),
    (labels.category_label, "joint_working_group", "ms", "Kumpulan Kerja Bersama"),
    (labels.agreement_status_label, "in_force", "zh", "有效"),
    (labels.priority_label, "high", "ms", "Tinggi"),
    (labels.role_label, "secretariat", "ms", "Urus setia"),
    (labels.completion_label, "substantial", "zh", "大部分完成"),
])
def test_labels_in_each_language(func, key, lang, expected):
    assert func(key, lang) == expected


@pytest.mark.parametrize("table", [
    labels.STATUS_LABELS, labels.RAG_LABELS, labels.CATEGORY_LABELS, labels.AGREEMENT_STATUS_LABELS,
    labels.PRIORITY_LABELS, labels.ROLE_LABELS, labels.COMPLETION_LABELS,
])
@pytest.mark.parametrize("lang", ["ms", "zh"])
def test_every_label_is_translated(table, lang):
    translated = labels.labels_in(table, lang)
    assert set(translated) == set(table)
    assert all(translated[k] != table[k] for k in table), translated


def _obj(**fields):
    return SimpleNamespace(**fields)


@pytest.mark.parametrize("fields,lang,expected,fallback,shown", [
    ({"title_en": "MoU", "title_ms": "MP", "title_zh": "备忘录"}, "zh", "备忘录", False, "备忘录"),
    ({"title_en": "MoU", "title_ms": "MP", "title_zh": None}, "zh", "MoU", True, "‹EN› MoU"),
    ({"title_en": "MoU", "title_ms": None, "title_zh": "备忘录"}, "ms", "MoU", True, "‹EN› MoU"),
    ({"title_en": "", "title_ms": "MP", "title_zh": "  "}, "zh", "MP", True, "‹MS› MP"),
    ({"title_en": "MoU", "title_ms": "MP", "title_zh": None}, "en", "MoU", False, "MoU"),
    ({"title_en": None, "title_ms": None, "title_zh": "备忘录"}, "en", "备忘录", True, "‹ZH› 备忘录"),
    ({"title_en": None, "title_ms": None, "title_zh": None}, "ms", "", False, ""),
])
def test_localized_falls_back_with_a_marker(fields, lang, expected, fallback, shown):
    obj = _obj(**fields)
    assert localized(obj, "title", lang) == (expected, fallback)
    assert display(obj, "title", lang) == shown


def test_action_item_keeps_english_in_title():
    item = _obj(title="Convene the group", title_ms=None, title_zh="召开工作组会议")
    assert localized(item, "title", "en") == ("Convene the group", False)
    assert localized(item, "title", "ms") == ("Convene the group", True)
    assert localized(item, "title", "zh") == ("召开工作组会议", False)


def test_organisation_names():
    org = _obj(name_en="Ministry of Digital", name_ms="Kementerian Digital", name_zh="马来西亚数字部")
    assert display(org, "name", "ms") == "Kementerian Digital"


def test_agreement_list_and_detail_in_chinese(seeded):
    ai = seeded.exec(select(Agreement).where(Agreement.code == "MY-CN-AI-2025")).one()
    ai.title_zh = None
    seeded.add(ai)
    seeded.commit()
    rows = {r.code: r for r in list_agreements(session=seeded, today=TODAY, lang="zh")}
    assert rows["MY-CN-DE-2025"].title == "数字经济合作谅解备忘录"
    assert rows["MY-CN-AI-2025"].title == "‹EN› MoU on Artificial Intelligence Cooperation"
    assert rows["MY-CN-DE-2025"].signed == "2025年4月16日"
    detail = get_agreement_detail(session=seeded, agreement_id=rows["MY-CN-AI-2025"].id, today=TODAY, lang="ms")
    assert detail.areas[0].title == "Program pertukaran teknikal"
    assert detail.areas[0].quote == "program pertukaran teknikal"
    assert detail.areas[0].quote_en == "technical exchange programmes"


def test_every_seeded_clause_has_an_english_rendering(seeded):
    renderings = clause_renderings()
    for agreement in list_agreements(session=seeded, today=TODAY):
        for area in get_agreement_detail(session=seeded, agreement_id=agreement.id, today=TODAY).areas:
            assert area.quote in renderings, area.quote


def test_user_sets_own_language_with_audit(users, seeded):
    viewer = users["viewer"]
    set_user_language(session=seeded, actor=viewer, user_id=viewer.id, language="zh")
    assert seeded.get(type(viewer), viewer.id).language == "zh"
    event = seeded.exec(select(AuditEvent).where(AuditEvent.action == "set_language")).one()
    assert (event.user_id, event.object_id) == (viewer.id, viewer.id)
    assert '"zh"' in event.after and "null" in event.before


def test_saving_the_same_language_records_nothing(users, seeded):
    viewer = users["viewer"]
    for _ in range(2):
        set_user_language(session=seeded, actor=viewer, user_id=viewer.id, language="ms")
    assert len(seeded.exec(select(AuditEvent).where(AuditEvent.action == "set_language")).all()) == 1


@pytest.mark.parametrize("actor_role,target_role,language,error", [
    ("viewer", "secretariat", "ms", PermissionDenied),
    ("secretariat", "viewer", "ms", PermissionDenied),
    ("admin", "viewer", "ms", None),
    ("viewer", "viewer", "fr", ValidationFailed),
    (None, "viewer", "ms", PermissionDenied),
])
def test_who_may_set_a_language(users, seeded, actor_role, target_role, language, error):
    actor = users[actor_role] if actor_role else None
    target = users[target_role]
    if error:
        with pytest.raises(error):
            set_user_language(session=seeded, actor=actor, user_id=target.id, language=language)
        assert seeded.get(type(target), target.id).language is None
    else:
        set_user_language(session=seeded, actor=actor, user_id=target.id, language=language)
        assert seeded.get(type(target), target.id).language == language


def test_disabled_user_cannot_save(users, seeded):
    viewer = users["viewer"]
    viewer.disabled = True
    with pytest.raises(PermissionDenied):
        set_user_language(session=seeded, actor=viewer, user_id=viewer.id, language="ms")


def test_role_enum_has_a_label_per_value():
    assert set(labels.ROLE_LABELS) == {r.value for r in Role}
