"""The columns' pages cost the same queries with a hundred times the data: ten years of weekly
stories and monthly notices, a hundred times the places, each with hours and a photo."""

import pytest
from django.db import transaction

from highlights.models import News, Notice, Place, ServiceGuide
from tests.content import multiply_columns
from tests.pages import COLUMN_PAGES, assert_within_budget


@pytest.fixture(scope="module")
def hundredfold(django_db_setup, django_db_blocker) -> None:
    """Built once for this module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        multiply_columns(100)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def review(hundredfold, review_2023):
    return review_2023


def test_the_columns_are_a_hundred_times_larger(review):
    assert News.objects.count() == 700
    assert Place.objects.count() == 1200
    assert Notice.objects.count() == 500
    assert ServiceGuide.objects.count() == 100


@pytest.mark.parametrize("page", sorted(COLUMN_PAGES))
def test_query_budgets_with_a_hundred_times_the_columns(
    client, django_assert_max_num_queries, review, warm_content_version, page
):
    """Each column page stays within the budget it has with the real data."""
    assert_within_budget(client, django_assert_max_num_queries, review, page)
