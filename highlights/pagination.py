"""Pages of long sorted lists: sorting keys, not whole rows, and the API's page numbers."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework.pagination import PageNumberPagination

from .addresses import CanonicalRequest


class SortedByKey:
    """A QuerySet as Paginator reads it, whose page is found by sorting primary keys only.

    SQLite sorts whole result rows: every language's columns and the joined keyword and review
    come along, so a page of 12,000 awards cost four times the sort of their keys. The page's
    rows are then read by key in the same order, in the same query (a subquery), so the page
    still takes one query.
    """

    def __init__(self, queryset: QuerySet) -> None:
        self.queryset = queryset

    @property
    def ordered(self) -> bool:
        """Whether pages are well defined: Paginator warns about an unordered list."""
        return self.queryset.ordered

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, page: slice) -> list:
        keys = self.queryset.values("pk")[page]
        return list(self.queryset.filter(pk__in=keys))


class StrictPageNumberPagination(PageNumberPagination):
    """The API's pages, where ?page= must be the page number its schema documents.

    DRF reads an empty ?page= as page 1; here it is "Invalid page." (404), like ?page=abc, so
    that a caller whose code sends no number learns so rather than getting page 1 forever.
    """

    def paginate_queryset(self, queryset, request, view=None):
        # Its next and previous links are on the site's address, not the request's Host.
        return super().paginate_queryset(queryset, CanonicalRequest(request), view)

    def get_page_number(self, request, paginator):
        if request.query_params.get(self.page_query_param) == "":
            return ""  # not a number: Paginator refuses it
        return super().get_page_number(request, paginator)
