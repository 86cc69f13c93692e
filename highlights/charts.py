"""Server-drawn bar charts: figures that share a unit, so that their bars compare like with like."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from .models import Figure

MIN_BARS = 2
ROW_HEIGHT = 44
# In the SVG's own coordinates: the longest bar leaves room for its value label.
LONGEST_BAR = 440


@dataclass(frozen=True)
class Bar:
    figure: Figure
    width: float
    y: int


@dataclass(frozen=True)
class BarChart:
    unit: str
    bars: list[Bar]

    @property
    def height(self) -> int:
        return ROW_HEIGHT * len(self.bars)


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
            Bar(
                figure=figure,
                width=round(float(figure.value / largest) * LONGEST_BAR, 1),
                y=i * ROW_HEIGHT,
            )
            for i, figure in enumerate(members)
        ]
        charts.append(BarChart(unit=members[0].unit, bars=bars))
    return sorted(charts, key=lambda chart: chart.bars[0].figure.position)
