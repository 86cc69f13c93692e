"""Which content still lacks English, for the admin's filters and its translation-status panel."""

from __future__ import annotations

from django.db.models import Count, Model, Q
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname

from .models import Award, Initiative, Keyword, Metric, Review

# English units may be legitimately empty (Chinese measure words), so they never count as missing.
OPTIONAL_IN_ENGLISH = {"unit"}

# For each content type: how its rows are narrowed to one review, in the admin's own filter terms.
REVIEW_SCOPES: list[tuple[type[Model], str]] = [
    (Review, "id"),
    (Keyword, "review__id"),
    (Initiative, "keyword__review__id"),
    (Metric, "keyword__review__id"),
    (Award, "keyword__review__id"),
]


def english_fields(model: type[Model]) -> list[str]:
    fields = translator.get_options_for_model(model).fields
    return [field for field in fields if field not in OPTIONAL_IN_ENGLISH]


def missing_english_q(model: type[Model], field: str | None = None) -> Q:
    """Rows where a field (or, without one, any field) has Chinese text but no English."""
    missing = Q()
    for name in [field] if field else english_fields(model):
        chinese = build_localized_fieldname(name, "zh-hans")
        english = build_localized_fieldname(name, "en")
        missing |= Q(**{f"{chinese}__gt": ""}) & (
            Q(**{f"{english}__isnull": True}) | Q(**{english: ""})
        )
    return missing


def translation_status(review: Review) -> list[dict]:
    """Per content type of a review: how many rows lack English, field by field."""
    rows = []
    for model, scope in REVIEW_SCOPES:
        fields = english_fields(model)
        counts = model._default_manager.filter(**{scope: review.pk}).aggregate(
            total=Count("pk"),
            **{field: Count("pk", filter=missing_english_q(model, field)) for field in fields},
        )
        rows.append(
            {
                "model": model,
                "scope": f"{scope}__exact",
                "total": counts.pop("total"),
                "missing": {
                    model._meta.get_field(field).verbose_name: (field, count)
                    for field, count in counts.items()
                },
            }
        )
    return rows
