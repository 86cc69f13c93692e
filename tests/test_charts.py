"""Charts compare only figures that share a unit."""

import pytest
from django.utils import translation

from highlights.charts import bar_charts
from highlights.models import Keyword

pytestmark = pytest.mark.usefixtures("review_2023")


def test_one_chart_per_shared_unit():
    """Keyword 1 has three units shared by two figures each; single figures get no chart."""
    figures = list(Keyword.objects.get(position=1).figures.all())
    charts = bar_charts(figures)
    assert [len(chart.bars) for chart in charts] == [2, 2, 2]
    assert {chart.unit for chart in charts} == {"次", "场", "个"}


def test_bars_scale_to_the_largest_value():
    """The largest figure gets the longest bar, others in proportion."""
    (chart,) = bar_charts(list(Keyword.objects.get(position=2).figures.all()))
    shares = {str(bar.figure.value): bar.percent for bar in chart.bars}
    assert shares["19.90"] == 100
    assert shares["11.89"] == pytest.approx(100 * 11.89 / 19.9, abs=0.1)


def test_english_groups_by_the_chinese_unit():
    """In English, empty measure words do not merge different units into one chart."""
    figures = list(Keyword.objects.get(position=1).figures.all())
    with translation.override("en"):
        assert [len(chart.bars) for chart in bar_charts(figures)] == [2, 2, 2]
