"""The meeting pack in Malay and Chinese: no interface English left on any slide (titles,
text, tables, chart titles and legends), dates in the language."""
from __future__ import annotations

import io

import pytest
from pptx import Presentation

from services.meetings.pack import build_meeting_pack
from services.seeding.sample import seed_sample
from tests.conftest import TODAY
from tests.i18n_check import leftovers


def slide_texts(prs) -> list[str]:
    out = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                out.append(shape.text_frame.text)
            if shape.has_table:
                out += [c.text for row in shape.table.rows for c in row.cells]
            if shape.has_chart:
                chart = shape.chart
                if chart.has_title:
                    out.append(chart.chart_title.text_frame.text)
                out += [s.name for s in chart.plots[0].series]
    return out


@pytest.fixture
def sampled(seeded, system_user):
    seed_sample(session=seeded, actor=system_user, today=TODAY)
    return seeded


@pytest.mark.parametrize("lang,title,month", [("ms", "Pek mesyuarat", "November"), ("zh", "会议资料", "11月")])
def test_pack_has_no_english_left(sampled, lang, title, month):
    prs = Presentation(io.BytesIO(build_meeting_pack(session=sampled, today=TODAY, lang=lang)))
    texts = slide_texts(prs)
    assert texts[0] == title or prs.slides[0].shapes.title.text == title
    assert any(month in t for t in texts)  # "Disediakan 26 November 2026", "编制日期：2026年11月26日"
    assert leftovers(texts, lang, sampled) == []
