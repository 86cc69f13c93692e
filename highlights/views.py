"""Public pages. Every view selects content through a QuerySet's visible_to(), nowhere else."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.views.generic import DetailView

from .models import Initiative, Keyword, Metric, Review


class ReviewDetailView(DetailView):
    model = Review
    slug_field = "year"
    slug_url_kwarg = "year"
    context_object_name = "review"

    def get_queryset(self) -> QuerySet[Review]:
        keywords = Keyword.objects.visible_to(self.request.user).prefetch_related(
            Prefetch("metrics", queryset=Metric.objects.order_by("position"))
        )
        return Review.objects.visible_to(self.request.user).prefetch_related(
            Prefetch("keywords", queryset=keywords)
        )


class HomeView(ReviewDetailView):
    """The latest review the visitor may see."""

    def get_object(self, queryset: QuerySet[Review] | None = None) -> Review:
        review = (queryset or self.get_queryset()).first()
        if review is None:
            raise Http404("No review has been published yet.")
        return review


class KeywordDetailView(DetailView):
    context_object_name = "keyword"

    def get_queryset(self) -> QuerySet[Keyword]:
        return (
            Keyword.objects.visible_to(self.request.user)
            .filter(review__year=self.kwargs["year"])
            .select_related("review")
            .prefetch_related("initiatives", "metrics", "awards")
        )


class InitiativeDetailView(DetailView):
    context_object_name = "initiative"

    def get_queryset(self) -> QuerySet[Initiative]:
        return (
            Initiative.objects.visible_to(self.request.user)
            .filter(
                keyword__review__year=self.kwargs["year"], keyword__slug=self.kwargs["keyword_slug"]
            )
            .select_related("keyword__review")
            .prefetch_related("metrics")
        )
