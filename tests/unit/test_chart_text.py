"""Text is text in every chart: markup and entities typed into titles, names and codes reach
plotly only escaped (services/overview/chart_text.py), in labels, hover, ticks, legends and
annotations. Every public builder in services/overview/charts.py is found by inspection and
must have a case here."""
import inspect
import re
from datetime import date

import plotly.graph_objects as go
import pytest

from services.overview import charts
from services.overview.chart_text import chart_text
from services.overview.figures import AreaProgress, ItemLine

TODAY = date(2026, 11, 26)
PAYLOADS = [
    '<a href="https://evil.example/x">QQlink</a>',
    "<b>QQbold</b>",
    "QQone<br>two",
    "QQ &lt;i&gt; &#60;b&#62; &#x3C;a&#x3E; &amp; &nbsp;",
    "<span style='font-size:90px'>QQbig</span>",
]


def _line(n, payload):
    return ItemLine(id=n, title=payload, agreement=payload, lead=payload, owner=payload, start=date(2026, 1, 1),
                    due=date(2026, 12, 1), status="in_progress", progress=40, rag="red" if n % 2 else None,
                    last_update=None)


def _cases(payload: str) -> dict:
    areas = [AreaProgress(payload, payload, 30.0, 50.0, 2), AreaProgress("A", payload + "2", None, None, 1)]
    items = [_line(1, payload), _line(2, payload + "x")]
    return {
        "status_by_agreement": lambda: charts.status_by_agreement([(payload, "in_progress", 2)], title=payload),
        "area_progress": lambda: charts.area_progress(areas, title=payload),
        "rag_distribution": lambda: charts.rag_distribution({"red": 1}, title=payload),
        "timeline": lambda: charts.timeline(items, [(1, date(2026, 6, 1), payload, True),
                                                    (2, date(2026, 7, 1), payload, False)],
                                            today=TODAY, total=5, title=payload),
        "progress_over_time": lambda: charts.progress_over_time([("2026-01", 10.0)], title=payload),
        "activity_heatmap": lambda: charts.activity_heatmap([(payload, "2026-01", 3)], title=payload),
        "completion_gauge": lambda: charts.completion_gauge(40.0, payload, title=payload),
    }


def _builders() -> set[str]:
    return {name for name, fn in inspect.getmembers(charts, inspect.isfunction)
            if not name.startswith("_") and fn.__module__ == charts.__name__
            and inspect.signature(fn).return_annotation in (go.Figure, "go.Figure")}


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from _strings(v)
    elif isinstance(node, (list, tuple)):
        for v in node:
            yield from _strings(v)
    elif hasattr(node, "tolist"):
        yield from _strings(node.tolist())


def test_every_chart_builder_has_a_case():
    assert _builders() == set(_cases("x")), "add the new chart builder to _cases()"


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("builder", sorted(_cases("x")))
def test_no_markup_from_data_survives_in_any_chart(builder, payload):
    spec = _cases(payload)[builder]().to_plotly_json()
    carrying = [s for s in _strings(spec) if "QQ" in s]
    assert carrying, "the payload should reach the chart"
    for s in carrying:
        assert "<" not in s and ">" not in s, s  # no tag of any kind
        # every & is our own escape: plotly turns &amp; &lt; &gt; back into characters only
        assert not re.search(r"&(?!amp;|lt;|gt;)", s), s


def test_escaped_text_reads_as_typed():
    """What plotly shows after turning entities back: the characters the user typed."""
    import html
    for payload in PAYLOADS + ["R&D <2026>", "Ünïcode 中文"]:
        assert html.unescape(chart_text(payload)) == payload
    assert chart_text(None) == ""
