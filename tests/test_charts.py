"""Charts compare only figures that measure the same thing: one chart group, one unit."""

import pytest
from django.utils import translation

from highlights.charts import bar_charts
from highlights.models import Keyword

pytestmark = pytest.mark.usefixtures("review_2023")


def test_a_shared_unit_alone_makes_no_chart():
    """Keyword 1's 59 study sessions and 175 research visits are both 次, but not comparable."""
    assert bar_charts(list(Keyword.objects.get(position=1).figures.all())) == []


def test_one_chart_per_chart_group():
    """The two areas of keyword 2 are charted together."""
    (areas,) = bar_charts(list(Keyword.objects.get(position=2).figures.all()))
    assert [str(bar.figure.value) for bar in areas.bars] == ["11.89", "19.90"]


def test_bars_scale_to_the_largest_value():
    """The largest figure gets the longest bar, others in proportion."""
    (chart,) = bar_charts(list(Keyword.objects.get(position=2).figures.all()))
    shares = {str(bar.figure.value): bar.percent for bar in chart.bars}
    assert shares["19.90"] == 100
    assert shares["11.89"] == pytest.approx(100 * 11.89 / 19.9, abs=0.1)


def test_english_groups_by_the_chinese_unit():
    """In English, empty measure words do not merge different units into one chart."""
    figures = list(Keyword.objects.get(position=1).figures.all())
    for figure in figures:
        figure.chart_group = "all"
    with translation.override("en"):
        charts = bar_charts(figures)
    assert [len(chart.bars) for chart in charts] == [2, 2, 2]
    assert {chart.bars[0].figure.unit_zh_hans for chart in charts} == {"次", "场", "个"}
