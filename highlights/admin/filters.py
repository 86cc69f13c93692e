"""The admin lists' filters and search fields."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .. import languages
from ..models import Review
from ..publishing import PublicationState
from ..translation_status import REVIEW_PARAMETER, english_fields, missing_english_q


def searchable(model: type, *extra: str) -> list[str]:
    """The admin's search fields: every language's column of the model's search_fields."""
    return [*languages.columns(model.search_fields), *extra]


class ReviewFilter(admin.SimpleListFilter):
    """Rows of one review, however they hang on it (the translation panel links here)."""

    title = _("review")
    parameter_name = REVIEW_PARAMETER

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [
            (str(pk), str(year))
            for pk, year in Review.objects.order_by("-year").values_list("pk", "year")
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() and self.value().isascii() and self.value().isdigit():
            return queryset.for_review(int(self.value()))
        return queryset


class TwoWayFilter(admin.SimpleListFilter):
    """Rows that meet a condition, or rows that do not: `ways` names the two, in that order."""

    ways: tuple[tuple[str, str], tuple[str, str]]

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> tuple:
        return self.ways

    def condition(self, model: type) -> Q:
        raise NotImplementedError

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        meets, fails = (value for value, _label in self.lookup_choices[:2])
        if self.value() == meets:
            return queryset.filter(self.condition(queryset.model))
        if self.value() == fails:
            return queryset.exclude(self.condition(queryset.model))
        return queryset


class MissingEnglishFilter(TwoWayFilter):
    """Rows lacking English anywhere (?english=missing) or in one field (?english=missing-title)."""

    title = _("English translation")
    parameter_name = "english"
    ways = (("missing", _("Missing")), ("complete", _("Complete")))

    def condition(self, model: type) -> Q:
        return missing_english_q(model)

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value() or ""
        field = value.removeprefix("missing-")
        if value.startswith("missing-") and field in english_fields(queryset.model):
            return queryset.filter(missing_english_q(queryset.model, field))
        return super().queryset(request, queryset)


class PublicationStateFilter(admin.SimpleListFilter):
    title = _("publication")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return PublicationState.choices

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in PublicationState.values:
            return queryset.in_state(self.value())
        return queryset


class PendingChangesFilter(TwoWayFilter):
    title = _("pending changes")
    parameter_name = "pending"
    ways = (("yes", _("Waiting for a publisher")), ("no", _("None")))

    def condition(self, model: type) -> Q:
        return model.objects.pending_changes_q()
