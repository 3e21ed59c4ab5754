"""Figures for the Overview, the agreement page and meeting mode. Each takes small aggregated
data and returns a plotly graph_objects Figure (plotly.express costs several times more to
build). Colours and labels come only from services/labels.py; RAG always carries its label. Every
figure is built in one language (`lang`): legends, axes, hover text and month names."""
from __future__ import annotations

import heapq
from collections import defaultdict
from datetime import date, timedelta
from typing import Iterable, Optional

import plotly.graph_objects as go

from babel.dates import format_skeleton

from services import labels
from services.i18n.translate import babel_locale, translator
from services.overview.chart_text import chart_text as esc, chart_texts

DAY_MS = 86_400_000


def _layout(title: str, subtitle: Optional[str] = None, **extra) -> dict:
    head: dict = {"text": esc(title), "x": 0, "xanchor": "left"}
    if subtitle:
        head["subtitle"] = {"text": esc(subtitle)}
    base = {"title": head, "font": labels.CHART_FONT, "margin": {"l": 10, "r": 10, "t": 70, "b": 10},
            "legend": {"orientation": "h", "y": -0.15}, "plot_bgcolor": "white"}
    base.update(extra)
    return base


# What a chart draws is capped to what reads on a screen; the subtitle says what was left out.
AGREEMENTS_MAX = 30
AREAS_MAX = 40


def status_by_agreement(rows: Iterable[tuple[str, str, int]], *, title: str = "Status by agreement",
                        lang: str = "en", limit: int = AGREEMENTS_MAX) -> go.Figure:
    """Stacked bars: one bar per agreement, one segment per status, in the canonical order.
    Past `limit` agreements, the `limit` with the most items are drawn (in code order) and the
    subtitle says how many agreements and items are not (one bar for them all would dwarf
    the others)."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    size: dict[str, int] = defaultdict(int)  # items per agreement, summed in the same pass
    for agreement, status, n in rows:
        per = counts[status]
        per[agreement] = per.get(agreement, 0) + n
        size[agreement] += n
    agreements = sorted(size)
    _ = translator(lang)
    subtitle = None
    if len(agreements) > limit:
        # nsmallest is sorted(...)[:limit] without sorting all 5,000 agreements at L.
        kept = sorted(heapq.nsmallest(limit, agreements, key=lambda a: (-size[a], a)))
        rest = set(agreements) - set(kept)
        subtitle = _("The {shown} agreements with the most items; {more} others with {items} items are not drawn",
                     shown=len(kept), more=f"{len(rest):,}", items=f"{sum(size[a] for a in rest):,}")
        agreements = kept
    traces = [
        go.Bar(name=esc(labels.status_label(s, lang)), x=chart_texts(agreements), y=[counts[s].get(a, 0) for a in agreements],
               marker={"color": labels.STATUS_COLOURS[s]},
               hovertemplate=_("%{x}: %{y} items") + "<extra>%{fullData.name}</extra>")
        for s in labels.STATUS_ORDER if s in counts
    ]
    return go.Figure(traces, _layout(title, subtitle, barmode="stack", yaxis={"title": {"text": esc(_("Action items"))}},
                                     legend={"orientation": "h", "y": -0.15, "traceorder": "normal"}))


def behind_first(areas: list, limit: int) -> list:
    """At most `limit` areas, those furthest behind the schedule's expectation (expected
    minus progress, in points; an area with no expectation comes last), in their given order."""
    if len(areas) <= limit:
        return list(areas)

    def gap(a) -> float:  # noqa: ANN001
        return float("-inf") if a.expected is None else a.expected - (a.progress or 0)
    chosen = set(heapq.nsmallest(limit, range(len(areas)), key=lambda k: -gap(areas[k])))
    return [a for k, a in enumerate(areas) if k in chosen]


def area_progress(areas: list, *, title: str = "Progress by commitment area", with_agreement: bool = True,
                  lang: str = "en", limit: int = AREAS_MAX) -> go.Figure:
    """Horizontal bars of weighted progress; a black mark where the schedule expects it today.
    Past `limit` areas, those furthest behind schedule are drawn and the subtitle says so."""
    _ = translator(lang)
    total, areas = len(areas), behind_first(areas, limit)
    subtitle = (_("Showing {shown} of {total} areas: furthest behind schedule first",
                  shown=len(areas), total=f"{total:,}") if total > len(areas) else None)
    bar_names = chart_texts(f"{a.agreement} · {a.area}" if with_agreement else a.area for a in areas)
    bars = go.Bar(
        name=esc(_("Progress")), orientation="h", y=bar_names, x=[round(a.progress or 0, 1) for a in areas],
        marker={"color": labels.PROGRESS_COLOUR}, text=[f"{a.progress or 0:.0f}%" for a in areas],
        textposition="auto", hovertemplate="%{y}: %{x:.0f}%<extra></extra>",
    )
    expected = go.Scatter(
        name=esc(_("Expected by today")), mode="markers", y=bar_names,
        x=[None if a.expected is None else round(a.expected, 1) for a in areas],
        marker={"symbol": "line-ns", "size": 22, "line": {"width": 4, "color": labels.REFERENCE_COLOUR},
                "color": labels.REFERENCE_COLOUR},
        hovertemplate=_("Expected: %{x:.0f}%") + "<extra></extra>",
    )
    return go.Figure([bars, expected], _layout(
        title, subtitle, height=max(330, 130 + 34 * len(areas)),
        legend={"orientation": "h", "yanchor": "top", "y": -0.12 if len(areas) > 6 else -0.2},
        xaxis={"range": [0, 102], "ticksuffix": "%", "dtick": 25},
        yaxis={"autorange": "reversed", "automargin": True},
    ))


def rag_distribution(counts: dict[str, int], *, title: str = "RAG rating of action items",
                     lang: str = "en") -> go.Figure:
    """One bar per rating, always in Red, Amber, Green, No rating order, with label and shape."""
    _ = translator(lang)
    keys = labels.RAG_ORDER
    bar = go.Bar(
        x=chart_texts(labels.rag_text(k if k != labels.NO_RAG else None, lang) for k in keys),
        y=[counts.get(k, 0) for k in keys], marker={"color": [labels.RAG_COLOURS[k] for k in keys],
                                                    "line": {"color": labels.OUTLINE_COLOUR, "width": 1}},
        text=[str(counts.get(k, 0)) for k in keys], textposition="outside", showlegend=False,
        hovertemplate=_("%{x}: %{y} items") + "<extra></extra>",
    )
    return go.Figure([bar], _layout(title, yaxis={"title": {"text": esc(_("Action items"))}}))



def timeline(items: list, milestones: Iterable[tuple[int, date, str, bool]], *, today: date, total: int,
             title: str = "Timeline of action items", lang: str = "en") -> go.Figure:
    """Gantt bars coloured by RAG (label in the legend), milestones as diamonds, a today line.
    Only the `items` given are drawn; the subtitle says how many of `total` they are."""
    _ = translator(lang)
    label = {i.id: esc(f"{i.title[:48]}{'…' if len(i.title) > 48 else ''} #{i.id}") for i in items}
    by_rag: dict[str, list] = defaultdict(list)
    for i in items:
        by_rag[labels.rag_key(i.rag)].append(i)
    traces = []
    for key in labels.RAG_ORDER:
        group = by_rag.get(key, [])
        if not group:
            continue
        starts = [i.start or i.due or today for i in group]
        ends = [max(i.due or today, s + timedelta(days=1)) for i, s in zip(group, starts)]
        traces.append(go.Bar(
            name=esc(labels.rag_text(None if key == labels.NO_RAG else key, lang)), orientation="h",
            y=[label[i.id] for i in group], base=[s.isoformat() for s in starts],
            x=[(e - s).days * DAY_MS for s, e in zip(starts, ends)],
            marker={"color": labels.RAG_COLOURS[key], "line": {"color": labels.OUTLINE_COLOUR, "width": 1}},
            customdata=[[s.isoformat(), e.isoformat()] for s, e in zip(starts, ends)],
            hovertemplate="%{y}<br>%{customdata[0]} → %{customdata[1]}<extra>%{fullData.name}</extra>",
        ))
    traces += _milestone_traces(milestones, label, lang)
    shown = len(items)
    note = (_("Showing {shown} of {total} items: overdue and Red first", shown=shown, total=f"{total:,}")
            if total > shown else _("All {total} items", total=total))
    fig = go.Figure(traces, _layout(
        title, note, height=max(300, 150 + 30 * shown), barmode="overlay",
        xaxis={"type": "date", "showgrid": True, "gridcolor": labels.GRID_COLOUR},
        yaxis={"autorange": "reversed", "automargin": True, "categoryorder": "array",
               "categoryarray": [label[i.id] for i in items]},
    ))
    fig.add_shape(type="line", x0=today.isoformat(), x1=today.isoformat(), y0=0, y1=1, yref="paper",
                  line={"color": labels.REFERENCE_COLOUR, "width": 2, "dash": "dash"})
    fig.add_annotation(x=today.isoformat(), y=1, yref="paper", text=esc(_("Today")), showarrow=False,
                       yanchor="bottom", font={"color": labels.REFERENCE_COLOUR})
    return fig


def _milestone_traces(milestones, label: dict, lang: str = "en") -> list:  # noqa: ANN001
    _ = translator(lang)
    out = []
    for done, name, symbol in ((True, _("Milestone reached"), "diamond"), (False, _("Milestone due"), "diamond-open")):
        rows = [m for m in milestones if m[3] is done and m[0] in label]
        if rows:
            out.append(go.Scatter(
                name=esc(name), mode="markers", x=[m[1].isoformat() for m in rows], y=[label[m[0]] for m in rows],
                text=chart_texts(m[2] for m in rows), hovertemplate="%{text}<br>%{x}<extra>%{fullData.name}</extra>",
                marker={"symbol": symbol, "size": 12, "color": labels.REFERENCE_COLOUR,
                        "line": {"color": labels.REFERENCE_COLOUR, "width": 2}},
            ))
    return out


def month_label(month: str, lang: str = "en") -> str:
    """'2026-03' -> 'Mar 2026' (en), 'Mac 2026' (ms), '2026年3月' (zh)."""
    return format_skeleton("yMMM", date.fromisoformat(f"{month}-01"), locale=babel_locale(lang))


def progress_over_time(points: list[tuple[str, float]], *, title: str = "Weighted progress over time",
                       lang: str = "en") -> go.Figure:
    _ = translator(lang)
    line = go.Scatter(
        name=esc(_("Weighted % complete")), mode="lines+markers", x=[esc(month_label(m, lang)) for m, _v in points],
        y=[round(v, 1) for _m, v in points], line={"color": labels.PROGRESS_COLOUR, "width": 3},
        hovertemplate="%{x}: %{y:.0f}%<extra></extra>",
    )
    return go.Figure([line], _layout(title, xaxis={"type": "category", "nticks": 8},
                                     yaxis={"range": [0, 102], "ticksuffix": "%", "dtick": 25}))


def activity_heatmap(rows: Iterable[tuple[str, str, int]], *, title: str = "Progress updates by organisation and month",
                     lang: str = "en") -> go.Figure:
    """Organisations (rows) by month (columns); empty cells are zero, and every cell shows its count."""
    _ = translator(lang)
    cells: dict[tuple[str, str], int] = {}
    for org, month, n in rows:
        cells[(org, month)] = cells.get((org, month), 0) + n
    orgs = sorted({o for o, _ in cells})
    months = sorted({m for _, m in cells})
    z = [[cells.get((o, m), 0) for m in months] for o in orgs]
    heat = go.Heatmap(
        z=z, x=[esc(month_label(m, lang)) for m in months], y=chart_texts(orgs), colorscale=labels.HEATMAP_SCALE, texttemplate="%{z}",
        hovertemplate=_("%{y}, %{x}: %{z} updates") + "<extra></extra>", colorbar={"title": {"text": esc(_("Updates"))}},
        xgap=2, ygap=2,
    )
    return go.Figure([heat], _layout(title, height=max(260, 140 + 40 * len(orgs)),
                                     xaxis={"type": "category", "nticks": 8}, yaxis={"type": "category"}))


def completion_gauge(progress: Optional[float], level_label: str, *, title: str = "Completion level") -> go.Figure:
    """Weighted progress on a 0-100 gauge whose bands are the completion levels."""
    from services.rules import LIMITED_BELOW

    gauge = go.Indicator(
        mode="gauge+number", value=round(progress or 0, 1), number={"suffix": "%", "valueformat": ".0f", "font": {"size": 40}},
        title={"text": esc(f"{title}: {level_label}"), "font": {"size": 18}},
        gauge={"axis": {"range": [0, 100], "ticksuffix": "%"}, "bar": {"color": labels.PROGRESS_COLOUR},
               "steps": [{"range": [0, LIMITED_BELOW], "color": labels.COMPLETION_BAND_COLOURS["limited"]}, {"range": [LIMITED_BELOW, 100], "color": labels.COMPLETION_BAND_COLOURS["substantial"]}],  # noqa: E501
               "threshold": {"line": {"color": labels.REFERENCE_COLOUR, "width": 4}, "value": 100}},
    )
    return go.Figure([gauge], {"font": labels.CHART_FONT, "height": 280, "margin": {"l": 45, "r": 45, "t": 60, "b": 10}})
