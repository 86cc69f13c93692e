"""News (动态): the town's weekly column, dated stories linked to the review and its places."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from . import languages
from .images import with_image
from .markup import plain_text, render_markup
from .publishing import (
    ColumnQuerySet,
    ColumnUnit,
    Content,
    Sharing,
    optional_line,
    optional_text,
    unique_slug,
    web_slug,
)


class News(
    with_image(
        "cover",
        _("photo"),
        upload_to="news/",
        help_text=_(
            "JPEG, PNG or WebP, at most 10 MB and 40 megapixels. Location data is removed."
        ),
    ),
    ColumnUnit,
):
    """A news story: dated, with its source, linked to keywords, initiatives and places."""

    slug_source = "title"
    translated_fields = ("title", "summary", "body", "source", "cover_alt_text", "cover_caption")
    search_fields = ("title", "summary", "body", "source")
    column_key = "news"
    column_list_url = "highlights:news_list"

    title = models.CharField(_("title"), max_length=200)
    slug = web_slug(
        _(
            "Stable ASCII web address part, unique among stories. Leave empty to fill it from "
            "the English title, or the Chinese title in pinyin."
        )
    )
    summary = optional_text(
        _("summary"), help_text=_("One or two sentences for the list, feeds and sharing.")
    )
    body = optional_text(
        _("body"),
        help_text=_(
            "The story. Separate paragraphs with a blank line; ## starts a heading, - a list "
            "item, [text](https://…) makes a link. HTML is shown as typed, never run."
        ),
    )
    source = optional_line(
        _("source"),
        help_text=_(
            "Where the story comes from (来源), e.g. the review or the office that wrote it."
        ),
    )
    cover_alt_text = optional_line(
        _("photo alt text"),
        max_length=250,
        help_text=_("What the photo shows, for people who cannot see it. Needed with a photo."),
    )
    cover_caption = optional_line(_("photo caption"), max_length=300)
    keywords = models.ManyToManyField(
        "highlights.Keyword",
        blank=True,
        related_name="news",
        verbose_name=_("keywords"),
        help_text=_("The review's keywords the story belongs to."),
    )
    initiatives = models.ManyToManyField(
        "highlights.Initiative",
        blank=True,
        related_name="news",
        verbose_name=_("initiatives"),
    )
    places = models.ManyToManyField(
        "highlights.Place", blank=True, related_name="news", verbose_name=_("places")
    )

    objects = ColumnQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-pk"]
        get_latest_by = "publish_at"
        verbose_name = _("news story")
        verbose_name_plural = _("news")
        permissions = [("publish_news", _("Can publish and unpublish news"))]
        constraints = [
            unique_slug("news", _("Another story has this slug.")),
        ]

    def get_absolute_url(self) -> str:
        return reverse("highlights:news_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        source = languages.source_language()
        if self.cover and not getattr(self, languages.column("cover_alt_text", source)):
            raise ValidationError(
                {
                    languages.column("cover_alt_text", source): _(
                        "Say what the photo shows, for people who cannot see it."
                    )
                }
            )

    @property
    def sharing(self) -> Sharing:
        return Sharing(self.title, self.summary or Truncator(plain_text(self.body)).chars(160))

    def body_html(self) -> SafeString:
        return render_markup(self.body)

    def unit_members(self) -> list[Content]:
        return list(self.photos.order_by("id"))
