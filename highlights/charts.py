"""Bar charts of figures that share a unit, so that their bars compare like with like.

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
    """One chart per unit that at least two of the figures share, in figure order."""

    # Group on the Chinese unit: in English many measure words are empty and would merge.
    def unit_of(figure: Figure) -> str:
        return figure.unit_zh_hans or ""

    charts = []
    for _unit, group in groupby(sorted(figures, key=unit_of), key=unit_of):
        members = sorted(group, key=lambda figure: figure.position)
        if len(members) < MIN_BARS:
            continue
        largest = max(figure.value for figure in members) or 1
        bars = [
            Bar(figure=figure, percent=round(float(figure.value / largest) * 100, 1))
            for figure in members
        ]
        charts.append(BarChart(unit=members[0].unit, bars=bars))
    return sorted(charts, key=lambda chart: chart.bars[0].figure.position)
