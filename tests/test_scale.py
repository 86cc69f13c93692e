"""Query budgets hold with ten times the content: the cost of a page does not grow with data."""

import pytest
from django.db import transaction

from highlights.models import Keyword, Review
from tests.content import multiply_content
from tests.pages import QUERY_BUDGETS, page_urls


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
    """Seventy keywords: the budgets below are checked against real growth."""
    assert Keyword.objects.count() == 70


@pytest.mark.parametrize("page", QUERY_BUDGETS)
def test_query_budgets_with_ten_times_the_content(
    client, django_assert_max_num_queries, review, warm_content_version, page
):
    """Each page stays within the same budget as with the real data."""
    url = page_urls(review)[page]
    with django_assert_max_num_queries(QUERY_BUDGETS[page]):
        response = client.get(url)
    assert response.status_code == 200
