"""Bar charts of figures that measure the same thing: staff give them one chart group (a
count of study sessions beside a count of research visits shares a unit, not a meaning).

Labels and values are HTML text, at the page's size on any screen; only the bars are drawn
(a small SVG each, as wide as the others: its filled part is the figure's share of the
largest).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from .models import Figure

MIN_BARS = 2


@dataclass(frozen=True)
class Bar:
    figure: Figure
    percent: float  # of the chart's largest figure


@dataclass(frozen=True)
class BarChart:
    unit: str
    bars: list[Bar]


def bar_charts(figures: list[Figure]) -> list[BarChart]:
    """One chart per chart group and unit that at least two of the figures share, in figure
    order; figures without a chart group are not charted."""

    # Group on the Chinese unit: in English many measure words are empty and would merge.
    def group_of(figure: Figure) -> tuple[str, str]:
        return figure.chart_group, figure.unit_zh_hans or ""

    grouped = sorted((figure for figure in figures if figure.chart_group), key=group_of)
    charts = []
    for _group, members in groupby(grouped, key=group_of):
        members = sorted(members, key=lambda figure: figure.position)
        if len(members) < MIN_BARS:
            continue
        largest = max(figure.value for figure in members) or 1
        bars = [
            Bar(figure=figure, percent=round(float(figure.value / largest) * 100, 1))
            for figure in members
        ]
        charts.append(BarChart(unit=members[0].unit, bars=bars))
    return sorted(charts, key=lambda chart: chart.bars[0].figure.position)
