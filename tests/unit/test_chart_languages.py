"""The Overview's and the agreement page's charts and tables name commitment areas and items
in the chosen language, with the fallback marker where a translation is missing."""
import pytest
from sqlmodel import select

from models import ActionItem, CommitmentArea
from services.overview import charts
from services.overview.filtered import Filters
from services.i18n.content import fallback_marker
from services.overview.figures import agreement_charts, overview_data
from services.seeding.sample import seed_sample
from services.seeding.facts import load_facts
from tests.conftest import TODAY

DE = "MY-CN-DE-2025"


@pytest.fixture
def world(seeded, system_user):
    seed_sample(session=seeded, actor=system_user, today=TODAY)
    return seeded


def _facts_area_titles(lang: str) -> set[str]:
    return {area[f"title_{lang}"] for a in load_facts()["agreements"] for area in a["areas"]}


def _bar_labels(fig) -> list[str]:
    return list(fig.data[0].y)


def test_overview_area_chart_in_chinese_shows_the_chinese_titles(world):
    data = overview_data(session=world, filters=Filters(), today=TODAY, lang="zh")
    assert data.areas and {a.area for a in data.areas} <= _facts_area_titles("zh")
    fig = charts.area_progress(data.areas, title="按承诺领域的进度", lang="zh")
    area = world.exec(select(CommitmentArea).where(CommitmentArea.position == 1)
                      .order_by(CommitmentArea.id)).first()
    code = next(a.agreement for a in data.areas if a.area == area.title_zh)
    assert f"{code} · {area.title_zh}" in _bar_labels(fig)
    assert not any(area.title_en in label for label in _bar_labels(fig))


def test_a_missing_translation_shows_the_fallback_marker(world):
    area = world.exec(select(CommitmentArea).order_by(CommitmentArea.id)).first()
    area.title_zh = None
    world.add(area)
    world.commit()
    data = overview_data(session=world, filters=Filters(), today=TODAY, lang="zh")
    labels = _bar_labels(charts.area_progress(data.areas, lang="zh"))
    assert any(label.endswith(f"{fallback_marker('en')} {area.title_en}") for label in labels)
    # Malay still has its own title: no marker there
    ms = overview_data(session=world, filters=Filters(), today=TODAY, lang="ms")
    assert area.title_ms in {a.area for a in ms.areas}


def test_item_titles_on_the_timeline_and_tables_follow_the_language(world):
    item = world.exec(select(ActionItem).order_by(ActionItem.id)).first()
    item.title_zh = "示例：中文标题"
    world.add(item)
    world.commit()
    data = overview_data(session=world, filters=Filters(agreements=(item_code(world, item),)), today=TODAY,
                         lang="zh")
    titles = {line.id: line.title for line in [*data.gantt, *data.overdue, *data.stale]}
    assert titles[item.id] == "示例：中文标题"
    # the others have no Chinese title: English, marked
    assert all(t.startswith(fallback_marker("en")) for i, t in titles.items() if i != item.id)
    fig = charts.timeline(data.gantt, data.milestones, today=TODAY, total=data.total_items, lang="zh")
    assert any(label.startswith("示例：中文标题") for trace in fig.data for label in (trace.y or []))


def item_code(session, item) -> str:
    from models import Agreement

    area = session.get(CommitmentArea, item.area_id)
    return session.get(Agreement, area.agreement_id).code


def test_agreement_page_charts_in_each_language(world):
    for lang in ("ms", "zh"):
        drawn = agreement_charts(session=world, code=DE, today=TODAY, lang=lang)
        assert drawn.areas and {a.area for a in drawn.areas} <= _facts_area_titles(lang)
        fig = charts.area_progress(drawn.areas, with_agreement=False, lang=lang)
        assert set(_bar_labels(fig)) <= _facts_area_titles(lang)
    english = agreement_charts(session=world, code=DE, today=TODAY)
    assert {a.area for a in english.areas} <= _facts_area_titles("en")


def test_items_list_names_areas_and_items_in_the_language(world):
    from services.items.listing import ItemFilter, list_items

    rows = list_items(session=world, flt=ItemFilter(), today=TODAY, limit=1000, lang="zh").rows
    assert rows and {r.area for r in rows} <= _facts_area_titles("zh")
    assert all(r.title.startswith(fallback_marker("en")) for r in rows)  # sample items: English only
    english = list_items(session=world, flt=ItemFilter(), today=TODAY, limit=1000).rows
    assert {r.area for r in english} <= _facts_area_titles("en")


def test_meeting_agenda_in_malay(world):
    from services.meetings.mode import agreement_areas, build_agenda

    agenda = build_agenda(session=world, body_id=None, today=TODAY, lang="ms")
    titles = {a["code"]: a["title_ms"] for a in load_facts()["agreements"]}
    points = [p for p in agenda if p.kind == "agreement"]
    assert points and all(p.title == titles[p.code] for p in points)
    assert {a.area for p in points for a in p.areas} <= _facts_area_titles("ms")
    areas = agreement_areas(session=world, agreement_id=points[0].agreement_id, lang="zh")
    assert {title for _, title in areas} <= _facts_area_titles("zh")
