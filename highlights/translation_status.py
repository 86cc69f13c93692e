"""Which content still lacks a translation, for the admin's filters and its status panel.

The translated fields come from the translation options (translation.py); a review's rows from
each model's for_review(). Nothing here names a language: the source language is the one every
text is written in, and every other language counts as a translation.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib import admin
from django.db.models import Count, Model, Q
from django.urls import reverse
from modeltranslation.translator import translator

from . import languages

# Units may be legitimately empty in a translation (Chinese measure words), so never "missing".
OPTIONAL_IN_TRANSLATION = {"unit"}
# The admin list filter that narrows any content list to one review (admin.ReviewFilter).
REVIEW_PARAMETER = "review"


def content_models(in_review: bool = True) -> list[type[Model]]:
    """Every translated content model of the app with a list in the admin, in the app's order
    (reviews first): those of the yearly reviews, or the site's other columns."""
    from .publishing import Content

    registered = translator.get_registered_models()
    return [
        model
        for model in apps.get_app_config("highlights").get_models()
        if model in registered
        and issubclass(model, Content)
        and model.in_review == in_review
        and admin.site.is_registered(model)
    ]


def english_fields(model: type[Model]) -> list[str]:
    fields = translator.get_options_for_model(model).fields
    return [field for field in fields if field not in OPTIONAL_IN_TRANSLATION]


def missing_english_q(model: type[Model], field: str | None = None) -> Q:
    """Rows where a field (or, without one, any field) has source text but no translation."""
    missing = Q()
    source = languages.source_language()
    for name in [field] if field else english_fields(model):
        original = languages.column(name, source)
        for language in languages.translation_languages():
            translated = languages.column(name, language)
            missing |= Q(**{f"{original}__gt": ""}) & (
                Q(**{f"{translated}__isnull": True}) | Q(**{translated: ""})
            )
    return missing


def translation_status(review=None) -> list[dict]:
    """Per content type of a review (or, without one, of the columns outside the reviews: news,
    places): how many rows lack a translation, field by field."""
    rows = []
    for model in content_models(in_review=review is not None):
        fields = english_fields(model)
        rows_in_scope = model._default_manager.all()
        if review is not None:
            rows_in_scope = rows_in_scope.for_review(review)
        counts = rows_in_scope.aggregate(
            total=Count("pk"),
            **{field: Count("pk", filter=missing_english_q(model, field)) for field in fields},
        )
        opts = model._meta
        rows.append(
            {
                "model": model,
                "changelist": reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
                "scope": REVIEW_PARAMETER,
                "total": counts.pop("total"),
                "missing": {
                    opts.get_field(field).verbose_name: (field, count)
                    for field, count in counts.items()
                },
            }
        )
    return rows


def translation_report() -> list[tuple]:
    """The columns outside the reviews, then every review, newest first, each with its
    translation status."""
    Review = apps.get_model("highlights", "Review")
    reviews = [(review, translation_status(review)) for review in Review.objects.order_by("-year")]
    return [(None, translation_status()), *reviews]
