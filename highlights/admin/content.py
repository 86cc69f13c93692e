"""The admin of the review's content: reviews, keywords and the rows of a keyword."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TabbedTranslationAdmin,
    TranslationStackedInline,
)

from .. import revisions
from ..models import Award, Figure, Initiative, Keyword, News, Photo, Place, Review
from ..publishing import Publishable, Status
from ..roles import can_publish
from .filters import (
    MissingEnglishFilter,
    PendingChangesFilter,
    PublicationStateFilter,
    ReviewFilter,
    searchable,
)
from .publishing import OrderedAdmin, PublishableAdmin
from .units import UnitAdmin, image_preview, keep_empty_translations


class KeywordInline(admin.TabularInline):
    """The review's keywords, to open and reorder from their own list: each is a unit of its
    own, edited on its own page."""

    model = Keyword
    fields = ["position", "title", "tagline", "publication"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    ordering = ["position"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("publication"))
    def publication(self, obj: Keyword) -> str:
        return obj.publication_state.label


class ReviewForm(forms.ModelForm):
    """Publishing a review with no published keyword replaces the home page with an empty
    one: the publisher confirms it first."""

    publish_empty = forms.BooleanField(
        label=_("Publish even with no published keyword"),
        required=False,
        help_text=_("Residents would see the review’s title and introduction, nothing else."),
    )

    def clean(self) -> dict:
        data = super().clean()
        publishing = (
            data.get("status") == Status.PUBLISHED and self.instance.status != Status.PUBLISHED
        )
        if (
            publishing
            and not data.get("publish_empty")
            and not self.instance.has_published_keywords()
        ):
            self.add_error(
                "status",
                forms.ValidationError(
                    _(
                        "None of this review’s keywords is published yet, so residents would "
                        "see an empty review. Publish a keyword first, or tick “Publish even "
                        "with no published keyword”."
                    ),
                    code="empty",
                ),
            )
        return data


@admin.register(Review)
class ReviewAdmin(PublishableAdmin):
    list_display = ["year", "title", "publication", "pending", "keyword_count", "updated_at"]
    list_display_links = ["year", "title"]
    list_filter = [PublicationStateFilter, PendingChangesFilter, MissingEnglishFilter]
    search_fields = searchable(Review)
    fieldsets = [
        (None, {"fields": ["year", "title", "subtitle", "tagline", "introduction"]}),
        (_("Cover"), {"fields": ["cover", "cover_thumbnail"]}),
        (
            _("Publication"),
            {"fields": ["status", "publish_empty", "publish_at", "created_at", "updated_at"]},
        ),
    ]
    form = ReviewForm
    inlines = [KeywordInline]
    actions = [*PublishableAdmin.actions, "start_next_year"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("keywords")

    @admin.display(description=_("keywords"))
    def keyword_count(self, obj: Review) -> int:
        return len(obj.keywords.all())

    def has_public_content(self, obj: Review) -> bool:
        return obj.has_published_keywords()

    def get_fieldsets(self, request: HttpRequest, obj=None) -> list:
        fieldsets = super().get_fieldsets(request, obj)
        if can_publish(request.user, Review):
            return fieldsets
        # Editors cannot publish, so there is nothing for them to confirm.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "publish_empty"]})
            for name, options in fieldsets
        ]

    @admin.action(description=_("Start next year's review from this one"), permissions=["add"])
    def start_next_year(self, request: HttpRequest, queryset: QuerySet) -> None:
        for review in queryset:
            if Review.objects.filter(year=review.year + 1).exists():
                self.message_user(
                    request,
                    _("A %(year)d review already exists.") % {"year": review.year + 1},
                    messages.WARNING,
                )
                continue
            with transaction.atomic():
                started = review.start_next_year()
                revisions.record_missing()
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("Unpublished review created with the same keywords:"),
                    reverse("admin:highlights_review_change", args=[started.pk]),
                    started,
                ),
                messages.SUCCESS,
            )


class InitiativeInline(TranslationStackedInline):
    model = Initiative
    fields = ["position", "name", "slug", "description"]
    table_columns = ["position", "name", "slug"]
    extra = 0
    show_change_link = True
    ordering = ["position"]


class FigureInline(TranslationStackedInline):
    """Stacked, a figure's fields in three lines: a table of eight columns, two of them tabbed
    by language, is wider than the form at 1,280 px."""

    model = Figure
    fields = [
        ("position", "initiative"),
        ("label", "value", "qualifier", "unit"),
        ("indicator", "chart_group"),
    ]
    table_columns = ["position", "label", "as_written", "unit", "initiative"]
    extra = 0
    ordering = ["position"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("initiative")

    @admin.display(description=_("value"))
    def as_written(self, figure: Figure) -> str:
        """With its qualifier, as residents read it: 7000余, not 7000.00."""
        return figure.quantity()

    def get_formset(self, request: HttpRequest, obj: Keyword | None = None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        keep_empty_translations(formset.form, self.model)
        # A figure can only belong to an initiative of the keyword being edited: a plain
        # select of them, read once for all rows (not once per row), with no links to add or
        # change an initiative in a window of its own.
        initiatives = formset.form.base_fields["initiative"]
        initiatives.widget = initiatives.widget.widget
        initiatives.queryset = (
            Initiative.objects.filter(keyword=obj) if obj else Initiative.objects.none()
        )
        initiatives.choices = list(initiatives.choices)
        return formset


class PhotoThumbnail:
    @admin.display(description=_("preview"))
    def thumbnail(self, obj: Photo) -> str:
        return image_preview(obj.image)


class PhotoInline(PhotoThumbnail, TranslationStackedInline):
    model = Photo
    fields = [("position", "image", "thumbnail"), "alt_text", "caption"]
    readonly_fields = ["thumbnail"]
    extra = 0
    ordering = ["position"]


class KeywordPhotoInline(PhotoInline):
    fk_name = "keyword"


class InitiativePhotoInline(PhotoInline):
    fk_name = "initiative"


class AwardInline(TranslationStackedInline):
    model = Award
    fields = [
        ("position", "level", "year"),
        "name",
        "recipient",
        "awarded_by",
        "rank",
        "note",
        "source_note",
    ]
    table_columns = ["position", "year", "level", "name", "recipient", "rank"]
    extra = 0
    ordering = ["position"]


@admin.register(Keyword)
class KeywordAdmin(PublishableAdmin, OrderedAdmin):
    list_display = [
        "title",
        "tagline",
        "review",
        "position",
        "publication",
        "pending",
        "cover_thumbnail",
    ]
    list_display_links = ["title"]
    list_filter = [ReviewFilter, PublicationStateFilter, PendingChangesFilter, MissingEnglishFilter]
    fixed_once_saved = ("review", "position")
    list_select_related = ["review"]
    search_fields = searchable(Keyword)
    prepopulated_fields = {"slug": ["title_en"]}
    fieldsets = [
        (None, {"fields": ["review", "position", "title", "tagline", "slug", "summary", "body"]}),
        (_("Cover"), {"fields": ["cover", "cover_thumbnail"]}),
        (_("Publication"), {"fields": ["status", "publish_at", "created_at", "updated_at"]}),
    ]
    inlines = [InitiativeInline, FigureInline, AwardInline, KeywordPhotoInline]
    tabled_inlines = (InitiativeInline, FigureInline, AwardInline)
    actions = [*PublishableAdmin.actions, "move_up", "move_down"]
    ordering = ["-review__year", "position"]


def keyword_from(value: str) -> Keyword | None:
    if value.isascii() and value.isdigit():
        return Keyword.objects.filter(pk=value).first()
    return None


def submitted(request: HttpRequest):
    return request.POST if request.method == "POST" else request.GET


class KeywordChildAdmin(UnitAdmin, TabbedTranslationAdmin):
    """Initiatives, figures and awards, also listed on their own for searching across keywords."""

    list_select_related = ["keyword__review"]
    readonly_fields = ["created_at", "updated_at"]
    fixed_once_saved = ("keyword",)

    def new_row_root(self, request: HttpRequest) -> Keyword | None:
        return keyword_from(submitted(request).get("keyword", ""))

    @admin.display(description=_("review"), ordering="keyword__review__year")
    def review_year(self, obj: Initiative | Figure | Award) -> int:
        return obj.keyword.review.year


@admin.register(Initiative)
class InitiativeAdmin(KeywordChildAdmin, OrderedAdmin):
    list_display = ["name", "keyword", "review_year", "position"]
    list_filter = [ReviewFilter, "keyword", MissingEnglishFilter]
    search_fields = searchable(Initiative)
    prepopulated_fields = {"slug": ["name_en"]}
    fields = ["keyword", *InitiativeInline.fields, "source_note", "created_at", "updated_at"]
    inlines = [InitiativePhotoInline]
    actions = ["move_up", "move_down"]
    ordering = ["-keyword__review__year", "keyword__position", "position"]


@admin.register(Figure)
class FigureAdmin(KeywordChildAdmin, OrderedAdmin):
    list_display = ["label", "value", "unit", "qualifier", "keyword", "review_year", "position"]
    list_filter = [ReviewFilter, "keyword", "qualifier", MissingEnglishFilter]
    list_select_related = ["keyword__review", "initiative"]
    search_fields = searchable(Figure, "indicator")
    fields = ["keyword", *FigureInline.fields, "source_note", "created_at", "updated_at"]
    actions = ["move_up", "move_down"]
    ordering = ["-keyword__review__year", "keyword__position", "position"]

    def get_form(self, request: HttpRequest, obj: Figure | None = None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # The initiatives of the figure's keyword (the model refuses any other); a figure being
        # added under no keyword yet has all of them to choose from.
        keyword = obj.keyword if obj else self.new_row_root(request)
        if keyword is not None:
            initiatives = form.base_fields["initiative"]
            initiatives.queryset = initiatives.queryset.filter(keyword=keyword)
        return form


@admin.register(Award)
class AwardAdmin(KeywordChildAdmin):
    list_display = ["name", "recipient", "level", "rank", "year", "keyword"]
    list_filter = ["level", "year", ReviewFilter, "keyword", MissingEnglishFilter]
    search_fields = searchable(Award)
    fields = [
        "keyword",
        "position",
        *Award.public_fields,
        "source_note",
        "created_at",
        "updated_at",
    ]


@admin.register(Photo)
class PhotoAdmin(PhotoThumbnail, UnitAdmin, TabbedTranslationAdmin):
    """Every gallery photo, to find those lacking alt text in a language."""

    list_display = ["thumbnail", "alt_text", "keyword", "initiative", "news", "place", "position"]
    list_filter = [ReviewFilter, "keyword", MissingEnglishFilter]
    list_select_related = ["keyword__review", "initiative__keyword__review", "news", "place"]
    search_fields = searchable(Photo)
    fields = ["keyword", "initiative", "news", "place", "position", "image", "alt_text", "caption"]
    autocomplete_fields = ["news", "place"]
    fixed_once_saved = ("keyword", "initiative", "news", "place")

    def new_row_root(self, request: HttpRequest) -> Publishable | None:
        data = submitted(request)
        for model, name in ((News, "news"), (Place, "place")):
            if (value := data.get(name, "")).isascii() and value.isdigit():
                return model.objects.filter(pk=value).first()
        initiative = data.get("initiative", "")
        if initiative.isascii() and initiative.isdigit():
            found = Initiative.objects.filter(pk=initiative).select_related("keyword").first()
            return found.keyword if found else None
        return keyword_from(data.get("keyword", ""))
