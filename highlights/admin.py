"""Where town staff edit the reviews: tabbed Chinese/English fields, inlines in review order,
history with restore, scheduled publishing, previews and reordering."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import (
    TabbedTranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)
from simple_history.admin import SimpleHistoryAdmin

from . import languages
from .models import Award, Figure, Initiative, Keyword, Photo, Review, SiteIdentity
from .publishing import PublicationState, Status
from .roles import can_publish
from .translation_status import REVIEW_PARAMETER, english_fields, missing_english_q


def searchable(model: type, *extra: str) -> list[str]:
    """The admin's search fields: every language's column of the model's search_fields."""
    return [*languages.columns(model.search_fields), *extra]


class ReviewFilter(admin.SimpleListFilter):
    """Rows of one review, however they hang on it (the translation panel links here)."""

    title = _("review")
    parameter_name = REVIEW_PARAMETER

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [(str(review.pk), str(review.year)) for review in Review.objects.order_by("-year")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() and self.value().isascii() and self.value().isdigit():
            return queryset.for_review(int(self.value()))
        return queryset


class MissingEnglishFilter(admin.SimpleListFilter):
    """Rows lacking English anywhere (?english=missing) or in one field (?english=missing-title)."""

    title = _("English translation")
    parameter_name = "english"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [("missing", _("Missing")), ("complete", _("Complete"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value() or ""
        model = queryset.model
        if value == "missing":
            return queryset.filter(missing_english_q(model))
        if value == "complete":
            return queryset.exclude(missing_english_q(model))
        field = value.removeprefix("missing-")
        if value.startswith("missing-") and field in english_fields(model):
            return queryset.filter(missing_english_q(model, field))
        return queryset


class PublicationStateFilter(admin.SimpleListFilter):
    title = _("publication")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return PublicationState.choices

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in PublicationState.values:
            return queryset.in_state(self.value())
        return queryset


def image_preview(file) -> str:
    if not file:
        return "—"
    return format_html('<img src="{}" alt="" width="120">', file.url)


class HistoryAdmin(SimpleHistoryAdmin, TabbedTranslationAdmin):
    """Every change is recorded (who, when, which fields, both languages); only publishers may
    restore an earlier version."""

    change_form_template = "admin/highlights/change_form.html"

    def revert_disabled(self, request: HttpRequest, obj=None) -> bool:
        return not can_publish(request.user, Keyword) or super().revert_disabled(request, obj)

    def history_form_view(self, request: HttpRequest, object_id, version_id, extra_context=None):
        if request.method == "POST" and not can_publish(request.user, Keyword):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class OrderedAdmin(admin.ModelAdmin):
    """Move rows up or down their parent's order without renumbering by hand."""

    @admin.action(description=_("Move selected up one place"), permissions=["change"])
    def move_up(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._move(request, queryset, -1)

    @admin.action(description=_("Move selected down one place"), permissions=["change"])
    def move_down(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._move(request, queryset, 1)

    def _move(self, request: HttpRequest, queryset: QuerySet, step: int) -> None:
        moved = self.model.move_selected(list(queryset), step)
        self.message_user(
            request,
            ngettext("%(count)d item moved.", "%(count)d items moved.", moved) % {"count": moved},
            messages.SUCCESS if moved else messages.WARNING,
        )


class PublicationFieldsMixin:
    """Admin forms and inlines whose publication fields only publishers may change."""

    publication_fields: tuple[str, ...] = ()

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        readonly = list(super().get_readonly_fields(request, obj))
        if not can_publish(request.user, self.model):
            readonly += self.publication_fields
        return readonly


class PublishableAdmin(PublicationFieldsMixin, HistoryAdmin):
    """Status and publish date are a publisher's decision; editors see them read-only."""

    actions = ["publish", "unpublish"]
    readonly_fields = ["cover_thumbnail", "created_at", "updated_at"]
    publication_fields = ("status", "publish_at")

    @admin.display(description=_("cover"))
    def cover_thumbnail(self, obj: Review | Keyword) -> str:
        return image_preview(obj.cover)

    @admin.display(description=_("publication"), ordering="publish_at")
    def publication(self, obj: Review | Keyword) -> str:
        state = obj.publication_state
        if state == PublicationState.SCHEDULED:
            when = timezone.localtime(obj.publish_at).strftime("%Y-%m-%d %H:%M")
            return format_html('<span class="pub pub-{}">{} · {}</span>', state, state.label, when)
        return format_html('<span class="pub pub-{}">{}</span>', state, state.label)

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return can_publish(request.user, self.model)

    @admin.action(description=_("Publish selected items"), permissions=["publish"])
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_status(request, queryset, Status.PUBLISHED)

    @admin.action(
        description=_("Unpublish selected items (back to draft)"), permissions=["publish"]
    )
    def unpublish(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_status(request, queryset, Status.DRAFT)

    def _set_status(self, request: HttpRequest, queryset: QuerySet, status: Status) -> None:
        # Saving each object (rather than queryset.update) keeps updated_at and the history.
        for obj in queryset:
            obj.status = status
            obj.save(update_fields=["status", "updated_at"])
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d item is now “%(status)s”.",
                "%(count)d items are now “%(status)s”.",
                count,
            )
            % {"count": count, "status": status.label},
            messages.SUCCESS,
        )


class KeywordInline(PublicationFieldsMixin, TranslationTabularInline):
    model = Keyword
    publication_fields = ("status",)
    fields = ["position", "title", "tagline", "slug", "status"]
    extra = 0
    show_change_link = True
    ordering = ["position"]


@admin.register(Review)
class ReviewAdmin(PublishableAdmin):
    list_display = ["year", "title", "publication", "keyword_count", "updated_at"]
    list_display_links = ["year", "title"]
    list_filter = [PublicationStateFilter, MissingEnglishFilter]
    search_fields = searchable(Review)
    fieldsets = [
        (None, {"fields": ["year", "title", "subtitle", "tagline", "introduction"]}),
        (_("Cover"), {"fields": ["cover", "cover_thumbnail"]}),
        (_("Publication"), {"fields": ["status", "publish_at", "created_at", "updated_at"]}),
    ]
    inlines = [KeywordInline]
    actions = [*PublishableAdmin.actions, "start_next_year"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("keywords")

    @admin.display(description=_("keywords"))
    def keyword_count(self, obj: Review) -> int:
        return len(obj.keywords.all())

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
                draft = review.start_next_year()
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("Draft created with the same keywords:"),
                    reverse("admin:highlights_review_change", args=[draft.pk]),
                    draft,
                ),
                messages.SUCCESS,
            )


class InitiativeInline(TranslationStackedInline):
    model = Initiative
    fields = ["position", "name", "slug", "description"]
    extra = 0
    show_change_link = True
    ordering = ["position"]


class FigureInline(TranslationTabularInline):
    model = Figure
    fields = ["position", "initiative", "label", "value", "qualifier", "unit", "indicator"]
    extra = 0
    ordering = ["position"]

    def get_formset(self, request: HttpRequest, obj: Keyword | None = None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # A figure can only belong to an initiative of the keyword being edited.
        initiatives = formset.form.base_fields["initiative"]
        initiatives.queryset = (
            Initiative.objects.filter(keyword=obj) if obj else Initiative.objects.none()
        )
        return formset


class PhotoThumbnail:
    @admin.display(description=_("preview"))
    def thumbnail(self, obj: Photo) -> str:
        return image_preview(obj.image)


class PhotoInline(PhotoThumbnail, TranslationTabularInline):
    model = Photo
    fields = ["position", "image", "thumbnail", "alt_text", "caption"]
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
    extra = 0
    ordering = ["position"]


@admin.register(Keyword)
class KeywordAdmin(PublishableAdmin, OrderedAdmin):
    list_display = ["title", "tagline", "review", "position", "publication", "cover_thumbnail"]
    list_display_links = ["title"]
    list_filter = [ReviewFilter, PublicationStateFilter, MissingEnglishFilter]
    list_select_related = ["review"]
    search_fields = searchable(Keyword)
    prepopulated_fields = {"slug": ["title_en"]}
    fieldsets = [
        (None, {"fields": ["review", "position", "title", "tagline", "slug", "summary", "body"]}),
        (_("Cover"), {"fields": ["cover", "cover_thumbnail"]}),
        (_("Publication"), {"fields": ["status", "publish_at", "created_at", "updated_at"]}),
    ]
    inlines = [InitiativeInline, FigureInline, AwardInline, KeywordPhotoInline]
    actions = [*PublishableAdmin.actions, "move_up", "move_down"]
    ordering = ["-review__year", "position"]


class KeywordChildAdmin(HistoryAdmin):
    """Initiatives, figures and awards, also listed on their own for searching across keywords."""

    list_select_related = ["keyword__review"]
    readonly_fields = ["created_at", "updated_at"]

    @admin.display(description=_("review"), ordering="keyword__review__year")
    def review_year(self, obj: Initiative | Figure | Award) -> int:
        return obj.keyword.review.year


@admin.register(Initiative)
class InitiativeAdmin(KeywordChildAdmin, OrderedAdmin):
    list_display = ["name", "keyword", "review_year", "position"]
    list_filter = [ReviewFilter, "keyword", MissingEnglishFilter]
    search_fields = searchable(Initiative)
    prepopulated_fields = {"slug": ["name_en"]}
    fields = [
        "keyword",
        "position",
        "name",
        "slug",
        "description",
        "source_note",
        "created_at",
        "updated_at",
    ]
    inlines = [InitiativePhotoInline]
    actions = ["move_up", "move_down"]
    ordering = ["-keyword__review__year", "keyword__position", "position"]


@admin.register(Figure)
class FigureAdmin(KeywordChildAdmin, OrderedAdmin):
    list_display = ["label", "value", "unit", "qualifier", "keyword", "review_year", "position"]
    list_filter = [ReviewFilter, "keyword", "qualifier", MissingEnglishFilter]
    list_select_related = ["keyword__review", "initiative"]
    search_fields = searchable(Figure, "indicator")
    fields = [
        "keyword",
        "initiative",
        "position",
        "label",
        "value",
        "qualifier",
        "unit",
        "indicator",
        "source_note",
        "created_at",
        "updated_at",
    ]
    actions = ["move_up", "move_down"]
    ordering = ["-keyword__review__year", "keyword__position", "position"]


@admin.register(Award)
class AwardAdmin(KeywordChildAdmin):
    list_display = ["name", "recipient", "level", "rank", "year", "keyword"]
    list_filter = ["level", "year", ReviewFilter, MissingEnglishFilter]
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
class PhotoAdmin(PhotoThumbnail, HistoryAdmin):
    """Every gallery photo, to find those lacking alt text in a language."""

    list_display = ["thumbnail", "alt_text", "keyword", "initiative", "position"]
    list_filter = [ReviewFilter, MissingEnglishFilter]
    list_select_related = ["keyword__review", "initiative__keyword__review"]
    search_fields = searchable(Photo)
    fields = ["keyword", "initiative", "position", "image", "alt_text", "caption"]


@admin.register(SiteIdentity)
class SiteIdentityAdmin(SimpleHistoryAdmin, TabbedTranslationAdmin):
    """The one row of the site's identity: its list is its form."""

    fieldsets = [
        (None, {"fields": ["sponsor", "address", "phone", "office_hours", "hotline"]}),
        (
            _("Filing and identification"),
            {"fields": ["icp_number", "public_security_number", "website_code", "badge"]},
        ),
        (_("Privacy"), {"fields": ["privacy_statement"]}),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not SiteIdentity.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context=None):
        if SiteIdentity.objects.exists():
            return redirect("admin:highlights_siteidentity_change", 1)
        return redirect("admin:highlights_siteidentity_add")
