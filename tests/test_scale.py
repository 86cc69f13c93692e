"""Query budgets hold with ten times the content: the cost of a page does not grow with data."""

import re
from html import unescape

import pytest
from django.db import transaction
from django.db.models import F

from highlights.models import Award, Keyword, News, Place, Review
from tests.content import duplicate, multiply_content
from tests.pages import QUERY_BUDGETS, assert_within_budget


@pytest.fixture(scope="module")
def tenfold(django_db_setup, django_db_blocker) -> None:
    """The 2023 review ten times over, built once for this module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        multiply_content(Review.objects.get(year=2023), times=10)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def review(tenfold, review_2023) -> Review:
    return review_2023


def test_the_content_is_ten_times_larger(review):
    """Seventy keywords and stories, 120 places: the budgets below are checked against real
    growth."""
    assert Keyword.objects.count() == 70
    assert News.objects.count() == 70
    assert Place.objects.count() == 120


@pytest.mark.parametrize("page", QUERY_BUDGETS)
def test_query_budgets_with_ten_times_the_content(
    client, django_assert_max_num_queries, review, warm_content_version, page
):
    """Each page stays within the same budget as with the real data."""
    assert_within_budget(client, django_assert_max_num_queries, review, page)


def test_award_pages_list_every_award_once_in_order(client, review):
    """With 55 awards over two pages, the pages together list each award once, newest first
    and undated last, as the plain sorted list has them."""
    keyword = review.keywords.get(position=1)
    Award.objects.bulk_create(
        duplicate(award, keyword=keyword, position=100 + n)
        for n, award in enumerate(Award.objects.all()[:5])
    )
    order = [
        F("year").desc(nulls_last=True),
        "keyword__review__year",
        "keyword__position",
        "position",
    ]
    expected = [
        f"{name}|{keyword}"
        for name, keyword in Award.objects.order_by(*order).values_list(
            "name_zh_hans", "keyword__title_zh_hans"
        )
    ]
    listed = []
    for page in (1, 2):
        html = client.get(f"/awards/?page={page}").text
        listed += [
            f"{unescape(name)}|{unescape(keyword)}"
            for name, keyword in re.findall(
                r'award-name">(.*?)</strong>.*?award-keyword[^>]*>\d+年度回眸：(.*?)</a>',
                html,
                re.S,
            )
        ]
    assert len(expected) == 55
    assert listed == expected
