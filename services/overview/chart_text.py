"""Text placed in a chart is text. plotly renders titles, tick labels, legend entries,
annotations and hover labels (including values substituted into a hovertemplate) in its own
HTML subset: `<a href>` becomes a live link, `<b>`, `<br>`, `<span style>` change the chart,
and `&lt;`-style entities turn back into characters. Every chart builder passes every string
it did not write itself (titles of items, areas and agreements, organisation names, codes,
milestones, translated titles) through chart_text; the builders' own templates (`<br>`,
`<extra>`) stay markup. tests/unit/test_chart_text.py feeds markup through every chart."""
from __future__ import annotations

import html
from typing import Iterable, Optional


def chart_text(value: Optional[object]) -> str:
    """`value` as plotly shows it literally: & < > written as entities ('' for None).
    plotly turns the entities back into the characters when it draws, so 'R&D <2026>' reads
    'R&D <2026>' and '<a href=x>go</a>' reads as those characters, never as a link."""
    if value is None:
        return ""
    return html.escape(str(value), quote=False)


def chart_texts(values: Iterable[Optional[object]]) -> list[str]:
    return [chart_text(v) for v in values]
