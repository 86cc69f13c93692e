"""Server-drawn bar charts: figures that share a unit, so that their bars compare like with like."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from .models import Metric

MIN_BARS = 2
ROW_HEIGHT = 44
# In the SVG's own coordinates: the longest bar leaves room for its value label.
LONGEST_BAR = 440


@dataclass(frozen=True)
class Bar:
    metric: Metric
    width: float
    y: int


@dataclass(frozen=True)
class BarChart:
    unit: str
    bars: list[Bar]

    @property
    def height(self) -> int:
        return ROW_HEIGHT * len(self.bars)


def bar_charts(metrics: list[Metric]) -> list[BarChart]:
    """One chart per unit that at least two of the figures share, in figure order."""

    # Group on the Chinese unit: in English many measure words are empty and would merge.
    def unit_of(metric: Metric) -> str:
        return metric.unit_zh_hans or ""

    charts = []
    for _unit, group in groupby(sorted(metrics, key=unit_of), key=unit_of):
        members = sorted(group, key=lambda metric: metric.position)
        if len(members) < MIN_BARS:
            continue
        largest = max(metric.value for metric in members) or 1
        bars = [
            Bar(
                metric=metric,
                width=round(float(metric.value / largest) * LONGEST_BAR, 1),
                y=i * ROW_HEIGHT,
            )
            for i, metric in enumerate(members)
        ]
        charts.append(BarChart(unit=members[0].unit, bars=bars))
    return sorted(charts, key=lambda chart: chart.bars[0].metric.position)
