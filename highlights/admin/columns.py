"""The admin of the weekly site's columns: news stories, notices with their documents, places
with their hours, and service guides. Each is
a unit of its own on the editing core, like a keyword."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationTabularInline

from ..models import Attachment, News, Notice, OpeningPeriod, Place, ServiceGuide, SpecialDay
from .content import PhotoInline
from .filters import MissingEnglishFilter, PendingChangesFilter, PublicationStateFilter, searchable
from .publishing import PublishableAdmin


class NewsPhotoInline(PhotoInline):
    fk_name = "news"


class PlacePhotoInline(PhotoInline):
    fk_name = "place"


PUBLICATION = (_("Publication"), {"fields": ["status", "publish_at", "created_at", "updated_at"]})


@admin.register(News)
class NewsAdmin(PublishableAdmin):
    list_display = ["title", "publish_at", "publication", "pending", "cover_thumbnail"]
    list_display_links = ["title"]
    list_filter = [PublicationStateFilter, PendingChangesFilter, MissingEnglishFilter]
    search_fields = searchable(News)
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["title_en"]}
    autocomplete_fields = ["keywords", "initiatives", "places"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body", "source"]}),
        (
            _("Cover photo"),
            {"fields": ["cover", "cover_thumbnail", "cover_alt_text", "cover_caption"]},
        ),
        (_("Links"), {"fields": ["keywords", "initiatives", "places"]}),
        PUBLICATION,
    ]
    ordering = ["-publish_at"]
    inlines = [NewsPhotoInline]


class AttachmentInline(TranslationTabularInline):
    model = Attachment
    fields = ["file", "title", "size"]
    readonly_fields = ["size"]
    extra = 0


@admin.register(Notice)
class NoticeAdmin(PublishableAdmin):
    list_display = ["title", "document_number", "publish_at", "valid_until", "publication"]
    list_display_links = ["title"]
    list_filter = [PublicationStateFilter, PendingChangesFilter, MissingEnglishFilter]
    search_fields = searchable(Notice)
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["title_en"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "issuer", "document_number", "body", "valid_until"]}),
        PUBLICATION,
    ]
    inlines = [AttachmentInline]
    ordering = ["-publish_at"]


class OpeningPeriodInline(admin.TabularInline):
    model = OpeningPeriod
    fields = ["weekday", "opens", "closes"]
    extra = 0
    ordering = ["weekday", "opens"]


class SpecialDayInline(TranslationTabularInline):
    model = SpecialDay
    fields = ["date", "opens", "closes", "note"]
    extra = 0
    ordering = ["-date"]


@admin.register(Place)
class PlaceAdmin(PublishableAdmin):
    list_display = ["name", "kind", "address", "publication", "pending"]
    list_display_links = ["name"]
    list_filter = ["kind", PublicationStateFilter, PendingChangesFilter, MissingEnglishFilter]
    search_fields = searchable(Place)
    prepopulated_fields = {"slug": ["name_en"]}
    autocomplete_fields = ["initiatives"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "description", "initiatives"]}),
        (
            _("Finding it"),
            {"fields": ["address", "phone", "accessibility", ("latitude", "longitude")]},
        ),
        PUBLICATION,
    ]
    inlines = [OpeningPeriodInline, SpecialDayInline, PlacePhotoInline]
    ordering = ["kind", "name"]


@admin.register(ServiceGuide)
class ServiceGuideAdmin(PublishableAdmin):
    list_display = ["title", "missing", "publication", "pending"]
    list_display_links = ["title"]
    list_filter = [PublicationStateFilter, PendingChangesFilter, MissingEnglishFilter]
    search_fields = searchable(ServiceGuide)
    prepopulated_fields = {"slug": ["title_en"]}
    autocomplete_fields = ["places"]
    fieldsets = [
        (None, {"fields": ["title", "slug"]}),
        (
            _("Required elements"),
            {
                "fields": [
                    "basis",
                    "conditions",
                    "materials",
                    "location",
                    "places",
                    "hours",
                    "phone",
                ],
                "description": _("A guide cannot be published while one of these is empty."),
            },
        ),
        (_("Further details"), {"fields": ["process", "fees", "time_limit"]}),
        PUBLICATION,
    ]

    @admin.display(description=_("missing elements"))
    def missing(self, obj: ServiceGuide) -> str:
        names = [str(obj._meta.get_field(name).verbose_name) for name in obj.missing_elements()]
        return ", ".join(names) or "—"
