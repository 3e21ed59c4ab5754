"""The figure functions, on small hand-made data: counts, order, colours and labels."""
from datetime import date

import pytest

from services.overview import charts
from services import labels
from services.overview.figures import AreaProgress, ItemLine

TODAY = date(2026, 11, 26)


def line(id_, rag, start, due, title="Item"):
    return ItemLine(id=id_, title=f"{title} {id_}", agreement="A", lead="KD", owner="", start=start, due=due,
                    status="in_progress", progress=40, rag=rag, last_update=None)


def test_status_by_agreement_stacks_statuses_in_canonical_order_with_their_colours():
    rows = [("B", "completed", 2), ("A", "in_progress", 3), ("A", "not_started", 1), ("B", "in_progress", 4)]
    fig = charts.status_by_agreement(rows)
    assert fig.layout.barmode == "stack"
    assert [t.name for t in fig.data] == ["Not started", "In progress", "Completed"]
    assert [t.marker.color for t in fig.data] == [labels.STATUS_COLOURS[s] for s in ("not_started", "in_progress", "completed")]
    assert list(fig.data[0].x) == ["A", "B"]
    assert [list(t.y) for t in fig.data] == [[1, 0], [3, 4], [0, 2]]


def test_status_by_agreement_with_no_rows_is_an_empty_figure():
    assert charts.status_by_agreement([]).data == ()


def test_area_progress_marks_expected_progress_and_keeps_order():
    areas = [AreaProgress("A", "Policy", 30.0, 50.0, 2), AreaProgress("A", "Talent", None, None, 1)]
    fig = charts.area_progress(areas)
    bars, expected = fig.data
    assert list(bars.y) == ["A · Policy", "A · Talent"]
    assert list(bars.x) == [30.0, 0] and list(bars.text) == ["30%", "0%"]
    assert list(expected.x) == [50.0, None] and expected.name == "Expected by today"
    assert expected.marker.color == labels.REFERENCE_COLOUR
    assert fig.layout.yaxis.autorange == "reversed"


def test_rag_distribution_always_shows_all_ratings_with_label_shape_and_colour():
    fig = charts.rag_distribution({"green": 4, "red": 2})
    (bar,) = fig.data
    assert list(bar.x) == ["● Red", "▲ Amber", "■ Green", "○ No rating"]
    assert list(bar.y) == [2, 0, 4, 0]
    assert list(bar.marker.color) == [labels.RAG_COLOURS[k] for k in ("red", "amber", "green", "none")]


def test_timeline_groups_by_rag_orders_items_and_says_how_many_are_shown():
    items = [line(1, "red", date(2026, 1, 1), date(2026, 6, 1)), line(2, None, None, date(2027, 1, 1)),
             line(3, "green", date(2026, 3, 1), date(2026, 12, 31))]
    milestones = [(1, date(2026, 3, 1), "Draft", True), (3, date(2026, 9, 1), "Pilot", False), (99, date(2026, 1, 1), "x", True)]
    fig = charts.timeline(items, milestones, today=TODAY, total=10_000)
    names = [t.name for t in fig.data]
    assert names == ["● Red", "■ Green", "○ No rating", "Milestone reached", "Milestone due"]
    assert fig.layout.title.subtitle.text == "Showing 3 of 10,000 items: overdue and Red first"
    assert [c.split(" #")[1] for c in fig.layout.yaxis.categoryarray] == ["1", "2", "3"]
    red = fig.data[0]
    assert list(red.base) == ["2026-01-01"] and list(red.x) == [151 * charts.DAY_MS]
    none = fig.data[2]  # no start date: a one-day bar at the due date
    assert list(none.base) == ["2027-01-01"] and list(none.x) == [charts.DAY_MS]
    assert fig.data[3].marker.symbol == "diamond" and list(fig.data[3].text) == ["Draft"]  # item 99 not shown
    assert fig.data[4].marker.symbol == "diamond-open"
    (today_line,) = fig.layout.shapes
    assert today_line.x0 == today_line.x1 == "2026-11-26"
    assert fig.layout.annotations[0].text == "Today"


def test_timeline_with_every_item_says_all():
    fig = charts.timeline([line(1, "amber", date(2026, 1, 1), date(2026, 2, 1))], [], today=TODAY, total=1)
    assert fig.layout.title.subtitle.text == "All 1 items"


def test_progress_over_time_plots_months_in_order():
    fig = charts.progress_over_time([("2026-09", 35.04), ("2026-10", 41.44)])
    assert list(fig.data[0].x) == ["Sept 2026", "Oct 2026"] and list(fig.data[0].y) == [35.0, 41.4]  # en_GB months
    assert fig.data[0].line.color == labels.PROGRESS_COLOUR


def test_activity_heatmap_fills_empty_cells_with_zero():
    fig = charts.activity_heatmap([("MDEC", "2026-10", 3), ("KD", "2026-09", 1), ("KD", "2026-10", 2)])
    heat = fig.data[0]
    assert list(heat.y) == ["KD", "MDEC"] and list(heat.x) == ["Sept 2026", "Oct 2026"]
    assert [list(r) for r in heat.z] == [[1, 2], [0, 3]]
    assert heat.texttemplate == "%{z}"


@pytest.mark.parametrize("progress,value", [(None, 0), (49.96, 50.0), (100, 100)])
def test_completion_gauge(progress, value):
    fig = charts.completion_gauge(progress, "Limited")
    assert fig.data[0].value == value and fig.data[0].title.text == "Completion level: Limited"


def test_every_chart_colour_comes_from_styles():
    palette = {c.upper() for c in (*labels.STATUS_COLOURS.values(), *labels.RAG_COLOURS.values(),
                                   labels.REFERENCE_COLOUR, labels.PROGRESS_COLOUR, labels.OUTLINE_COLOUR)}
    fig = charts.rag_distribution({"red": 1})
    assert {c.upper() for c in fig.data[0].marker.color} <= palette
