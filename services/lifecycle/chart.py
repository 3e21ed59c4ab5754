"""The funnel of a package's stages (plotly graph_objects, one language per figure)."""
from __future__ import annotations

import plotly.graph_objects as go

from services import labels
from services.i18n.translate import translator

FUNNEL_COLOUR = "#0072B2"  # Okabe-Ito blue, as the other quantity charts
CLOSED_COLOUR = "#999999"


def stage_funnel(funnel: list[tuple[str, int]], *, title: str, lang: str = "en") -> go.Figure:
    """One bar per stage, signed -> closed, with how many agreements reached it."""
    _ = translator(lang)
    names = [labels.stage_label(stage, lang) for stage, _n in funnel]
    colours = [CLOSED_COLOUR if stage == "closed" else FUNNEL_COLOUR for stage, _n in funnel]
    trace = go.Funnel(y=names, x=[n for _s, n in funnel], textinfo="value", marker={"color": colours},
                      hovertemplate=_("%{y}: %{x} agreements") + "<extra></extra>")
    return go.Figure([trace], {"title": {"text": title, "x": 0, "xanchor": "left"}, "font": labels.CHART_FONT,
                               "margin": {"l": 10, "r": 10, "t": 60, "b": 10}, "plot_bgcolor": "white"})
