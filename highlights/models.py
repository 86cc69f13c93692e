"""A yearly review: its keywords, and their initiatives, figures and awards."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext_lazy as _

from . import languages
from .images import SafeImageField, with_image
from .publishing import (
    Content,
    ContentQuerySet,
    ExactNumberField,
    Ordered,
    Publishable,
    PublishableQuerySet,
    Sharing,
    Slugged,
    Status,
    local_minute,
    not_negative,
    one_of,
    optional_code,
    optional_line,
    optional_link,
    optional_text,
    plausible_year,
    position_constraints,
    position_in,
    slug_constraints,
    staff_member,
    starts_at_one,
    web_slug,
)


class ReviewQuerySet(PublishableQuerySet):
    def get_by_natural_key(self, year: int) -> Review:
        return self.get(year=year)


class Review(
    with_image(
        "cover",
        _("cover image"),
        upload_to="covers/reviews/",
        help_text=_("Shown at the top of the review and when it is shared."),
    ),
    Publishable,
):
    """One yearly review of the town, such as the 2023 (Year of the Rabbit) review."""

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, help_text=_("The year this review looks back on, e.g. 2023.")
    )
    title = models.CharField(
        _("title"), max_length=200, help_text=_("The review's headline, e.g. 记忆·新泾.")
    )
    subtitle = optional_line(
        _("subtitle"),
        help_text=_("A line under the title, e.g. the couplet for the new year."),
    )
    tagline = optional_line(
        _("tagline"),
        help_text=_("One sentence saying what the review covers."),
    )
    introduction = optional_text(
        _("introduction"), help_text=_("The opening paragraph(s) of the review.")
    )
    public_when = (("",),)
    translated_fields = ("title", "subtitle", "tagline", "introduction")
    search_fields = ("title", "subtitle", "tagline", "introduction")
    column_list_url = "highlights:review_archive"

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        get_latest_by = "year"
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        permissions = [("publish_review", _("Can publish and unpublish reviews"))]
        constraints = [
            plausible_year("review"),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("highlights:review_detail", kwargs={"year": self.year})

    @property
    def sharing(self) -> Sharing:
        return Sharing(f"{self.title} · {self.year}", self.tagline or self.subtitle)

    def natural_key(self) -> tuple[int]:
        return (self.year,)

    def has_published_keywords(self) -> bool:
        """Whether publishing the review shows residents anything beyond its title."""
        return self.pk is not None and self.keywords.filter(status=Status.PUBLISHED).exists()

    def start_next_year(self) -> Review:
        """An unpublished review for the following year with this one's title and keyword structure.

        Keyword titles and taglines are copied; texts, figures, initiatives and awards are not.
        """
        started = Review(year=self.year + 1, status=Status.UNPUBLISHED)
        copy_translations(self, started, ("title",))
        started.save()
        for keyword in self.keywords.order_by("position"):
            fresh = Keyword(review=started, position=keyword.position, slug=keyword.slug)
            copy_translations(keyword, fresh, ("title", "tagline"))
            fresh.save()
        return started


def copy_translations(source: models.Model, target: models.Model, fields: tuple[str, ...]) -> None:
    for column in languages.columns(fields):
        setattr(target, column, getattr(source, column))


class KeywordQuerySet(PublishableQuerySet):
    def in_review_order(self) -> KeywordQuerySet:
        """Newest review first, then the review's own order."""
        return self.order_by("-review__year", "position")

    def get_by_natural_key(self, year: int, slug: str) -> Keyword:
        return self.get(review__year=year, slug=slug)


class Keyword(
    with_image(
        "cover",
        _("cover image"),
        upload_to="covers/keywords/",
        help_text=_("Shown on the keyword's card and page, and when it is shared."),
    ),
    Publishable,
    Ordered,
    Slugged,
):
    """One of a review's themes, e.g. 主题教育 · 走深走实."""

    position_scope = "review"
    slug_source = "title"
    slug_scope = "review"

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="keywords", verbose_name=_("review")
    )
    position = position_in(_("review"))
    title = models.CharField(_("title"), max_length=100, help_text=_("e.g. 主题教育."))
    tagline = optional_line(
        _("tagline"),
        max_length=100,
        help_text=_("The four characters after the title, e.g. 走深走实."),
    )
    slug = web_slug(
        _(
            "Stable ASCII web address part. Leave empty to fill it from the English title, or "
            "the Chinese title in pinyin."
        )
    )
    summary = optional_text(
        _("summary"), help_text=_("One or two sentences for cards and sharing.")
    )
    body = optional_text(
        _("body"), help_text=_("The full text. Separate paragraphs with a blank line.")
    )
    public_when = (("", "review"),)
    translated_fields = ("title", "tagline", "summary", "body")
    search_fields = ("summary", "body", "title", "tagline")

    objects = KeywordQuerySet.as_manager()

    class Meta:
        ordering = ["position"]
        verbose_name = _("keyword")
        verbose_name_plural = _("keywords")
        permissions = [("publish_keyword", _("Can publish and unpublish keywords"))]
        constraints = [
            *position_constraints(
                "keyword", "review", _("Another keyword of this review has this position.")
            ),
            *slug_constraints(
                "keyword", "review", _("Another keyword of this review has this slug.")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.review.year} · {self.position}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse(
            "highlights:keyword_detail", kwargs={"year": self.review.year, "slug": self.slug}
        )

    @property
    def sharing(self) -> Sharing:
        return Sharing(f"{self.title} · {self.tagline}", self.summary or self.tagline)

    def natural_key(self) -> tuple[int, str]:
        return (*self.review.natural_key(), self.slug)

    natural_key.dependencies = ["highlights.review"]

    def paragraphs(self) -> list[str]:
        return split_paragraphs(self.body)

    @cached_property
    def row_counts(self) -> dict[type[Content], int]:
        """How many initiatives, figures, awards and gallery photos the keyword has."""
        return {
            Initiative: self.initiatives.count(),
            Figure: self.figures.count(),
            Award: self.awards.count(),
            Photo: self.photos.count(),
        }

    def unit_members(self) -> list[Content]:
        def rows(model: type[Content], **filters) -> list:
            return list(model._default_manager.filter(**filters).order_by("id"))

        initiatives = rows(Initiative, keyword_id=self.pk)
        return [
            *initiatives,
            *rows(Figure, keyword_id=self.pk),
            *rows(Award, keyword_id=self.pk),
            *rows(Photo, keyword_id=self.pk),
            *rows(Photo, initiative_id__in={initiative.id for initiative in initiatives}),
        ]

    def link_figures_to_initiatives(self) -> None:
        """Give the prefetched figures the prefetched initiatives they name, so that a page
        linking each figure to its initiative reads neither again."""
        initiatives = {initiative.pk: initiative for initiative in self.initiatives.all()}
        for figure in self.figures.all():
            if figure.initiative_id in initiatives:
                figure.initiative = initiatives[figure.initiative_id]

    def neighbours(self, visible: KeywordQuerySet) -> tuple[Keyword | None, Keyword | None]:
        """The previous and next keyword of the same review, among those the reader may see.

        One query for both: the review's other keywords, with no more than their links need
        (a review has a few dozen keywords at most).
        """
        siblings = (
            visible.filter(review_id=self.review_id)
            .exclude(pk=self.pk)
            .only("review_id", "position", "slug", *languages.columns(["title"]))
            .order_by("position")
        )
        earlier, later = [], []
        for sibling in siblings:
            # Their review is this keyword's: no need to read it again for their addresses.
            sibling.review = self.review
            (earlier if sibling.position < self.position else later).append(sibling)
        return (earlier[-1] if earlier else None, later[0] if later else None)


def split_paragraphs(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]


class KeywordChildQuerySet(ContentQuerySet):
    """Initiatives, figures and awards: public exactly when their keyword is."""

    def in_review_order(self) -> KeywordChildQuerySet:
        """Newest review first, then the review's own order."""
        return self.order_by("-keyword__review__year", "keyword__position", "position")


class KeyedByPositionQuerySet(KeywordChildQuerySet):
    """Figures and awards, known in fixtures by their keyword and place (they have no slug)."""

    def get_by_natural_key(self, year: int, keyword_slug: str, position: int) -> KeywordChild:
        return self.get(keyword__review__year=year, keyword__slug=keyword_slug, position=position)


class InitiativeQuerySet(KeywordChildQuerySet):
    def get_by_natural_key(self, year: int, keyword_slug: str, slug: str) -> Initiative:
        return self.get(keyword__review__year=year, keyword__slug=keyword_slug, slug=slug)


class KeywordChild(Content):
    """Initiatives, figures and awards: rows of a keyword, public exactly when it is."""

    public_when = (("keyword", "keyword__review"),)

    keyword = models.ForeignKey(
        Keyword, on_delete=models.CASCADE, related_name="%(class)ss", verbose_name=_("keyword")
    )
    position = position_in(_("keyword"))
    source_note = optional_text(
        _("note on the source"),
        help_text=_(
            "For staff only, never published: what the source does not say and was inferred, "
            "e.g. a year or a recipient read from context."
        ),
    )

    class Meta:
        abstract = True
        ordering = ["position"]
        # Each model's own copy, named for it (%(class)s): initiative_unique_position, …
        constraints = position_constraints(
            "%(class)s", "keyword", _("Another item of this keyword has this position.")
        )

    @property
    def unit_root(self) -> Keyword:
        return self.keyword


class Initiative(KeywordChild, Ordered, Slugged):
    """A concrete programme, place, mechanism or event under a keyword."""

    position_scope = "keyword"
    slug_source = "name"
    slug_scope = "keyword"
    translated_fields = ("name", "description")
    search_fields = ("description", "name")

    name = models.CharField(_("name"), max_length=200, help_text=_("e.g. 四学机制."))
    slug = web_slug(
        _(
            "Stable ASCII web address part, unique per keyword. Leave empty to fill it from the "
            "English name, or the Chinese name in pinyin."
        )
    )
    description = optional_text(_("description"))

    objects = InitiativeQuerySet.as_manager()

    class Meta(KeywordChild.Meta):
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        constraints = [
            *KeywordChild.Meta.constraints,
            *slug_constraints(
                "initiative", "keyword", _("Another initiative of this keyword has this slug.")
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "highlights:initiative_detail",
            kwargs={
                "year": self.keyword.review.year,
                "keyword_slug": self.keyword.slug,
                "slug": self.slug,
            },
        )

    @property
    def sharing(self) -> Sharing:
        return Sharing(self.name, Truncator(self.description).chars(160))

    def natural_key(self) -> tuple[int, str, str]:
        return (*self.keyword.natural_key(), self.slug)

    natural_key.dependencies = ["highlights.keyword"]


class Qualifier(models.TextChoices):
    EXACT = "exact", _("Exactly")
    MORE_THAN = "more_than", _("More than (余)")
    ABOUT = "about", _("About (约)")


class Figure(KeywordChild, Ordered):
    """A figure from the review, e.g. 7000余名党员 (7,000+ Party members)."""

    position_scope = "keyword"
    translated_fields = ("label", "unit")
    # English leaves Chinese measure words (名, 场, 次) untranslated on purpose: an empty English
    # unit is a real value, and only a missing (NULL) one falls back to Chinese.
    fallback_undefined = {"unit": None}
    search_fields = ("label",)

    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="figures",
        verbose_name=_("initiative"),
        help_text=_(
            "Optional: the initiative this figure belongs to. An initiative added in the same "
            "save can be chosen once it is saved."
        ),
    )
    label = models.CharField(
        _("label"),
        max_length=200,
        help_text=_("What is counted, e.g. 党员 / Party members."),
    )
    value = ExactNumberField(
        _("value"),
        max_digits=14,
        decimal_places=2,
        help_text=_("The number exactly as published, e.g. 11.89."),
    )
    unit = optional_line(
        _("unit"),
        max_length=20,
        help_text=_(
            "Measure word or unit, e.g. 名, 场, 平方公里. Leave the English empty for Chinese "
            "measure words that English does without."
        ),
    )
    qualifier = one_of(
        _("qualifier"),
        Qualifier,
        Qualifier.EXACT,
        help_text=_("余 in the source means “more than”, 约 means “about”."),
    )
    indicator = optional_code(
        _("indicator code"),
        80,
        _("Optional code shared across years to compare this figure, e.g. party-lessons."),
    )
    chart_group = optional_code(
        _("chart group"),
        40,
        _(
            "Figures of a keyword with the same chart group and unit are drawn as one bar "
            "chart. Give one only to figures that measure the same thing, e.g. “area” for the "
            "areas of two zones; leave it empty otherwise."
        ),
    )

    objects = KeyedByPositionQuerySet.as_manager()

    class Meta(KeywordChild.Meta):
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        constraints = [
            *KeywordChild.Meta.constraints,
            not_negative("figure", "value", _("A figure cannot be negative.")),
        ]

    def __str__(self) -> str:
        return self.phrase()

    def clean(self) -> None:
        super().clean()
        if self.initiative_id and self.keyword_id and self.initiative.keyword_id != self.keyword_id:
            raise ValidationError(
                {"initiative": _("Choose an initiative of this figure's own keyword.")}
            )

    def natural_key(self) -> tuple[int, str, int]:
        return (*self.keyword.natural_key(), self.position)

    natural_key.dependencies = ["highlights.keyword", "highlights.initiative"]

    def number(self) -> str:
        """The value as written in the active language: 7000 in Chinese, 7,000 in English."""
        value = self.value.normalize() if self.value % 1 else self.value.quantize(Decimal(1))
        # The town's own text writes numbers ungrouped (7000); translations group them.
        if get_language() == languages.source_language():
            return f"{value:f}"
        return f"{value:,f}"

    def quantity(self, in_sentence: bool = False) -> str:
        """The number with its qualifier: 7000余 / 7,000+ on a tile, “more than 7,000” in a
        sentence; 约50 / about 50."""
        number = self.number()
        if self.qualifier == Qualifier.MORE_THAN:
            if in_sentence:
                return pgettext("figure more than, in a sentence", "more than %(number)s") % {
                    "number": number
                }
            return pgettext("figure more than", "%(number)s+") % {"number": number}
        if self.qualifier == Qualifier.ABOUT:
            return pgettext("figure about", "about %(number)s") % {"number": number}
        return number

    def phrase(self) -> str:
        """The whole figure as a phrase: 7000余名党员 / more than 7,000 Party members."""
        return self.phrase_with(self.quantity(in_sentence=True)).strip()

    @property
    def anchor(self) -> str:
        """The figure's id on pages that show it, unique however many keywords a page shows."""
        return f"figure-{self.pk}"

    def after_number(self) -> str:
        """What follows the number on a card, spaced as the language spaces it: 名党员参与 /
        “ Party members taking part”."""
        return self.phrase_with("").rstrip()

    def phrase_with(self, quantity: str) -> str:
        phrase = pgettext("figure phrase", "%(quantity)s %(unit)s %(label)s") % {
            "quantity": quantity,
            "unit": self.unit,
            "label": self.label,
        }
        # An empty unit (English has no measure words) would leave a double space.
        return re.sub(" {2,}", " ", phrase)


class AwardLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    MUNICIPAL = "municipal", _("Municipal (Shanghai)")
    DISTRICT = "district", _("District (Changning)")
    OTHER = "other", _("Other")


class Award(KeywordChild, Ordered):
    """An honour won by the town, a residents' area or a Party organisation."""

    position_scope = "keyword"
    translated_fields = ("name", "recipient", "awarded_by", "rank", "note")
    # What an award says in public, in order: on the admin form and in the API alike.
    public_fields = ("name", "recipient", "level", "awarded_by", "rank", "note", "year")
    search_fields = ("recipient", "awarded_by", "rank", "note", "name")

    position = position_in(_("keyword"))
    name = models.CharField(
        _("name"), max_length=200, help_text=_("The title or honour, e.g. 上海市党支部建设示范点.")
    )
    recipient = models.CharField(
        _("recipient"),
        max_length=200,
        help_text=_("Who won it: the town, a residents' area, a Party branch…"),
    )
    # Empty where the source does not state it: residents are then told nothing, not "Other".
    level = one_of(
        _("level"),
        AwardLevel,
        "",
        blank=True,
        help_text=_("Leave empty where the source does not state the level."),
    )
    awarded_by = optional_line(
        _("programme or awarding body"),
        help_text=_("The competition, programme or body that gave the award."),
    )
    rank = optional_line(
        _("prize or rank"), max_length=50, help_text=_("e.g. 银奖 / Silver award.")
    )
    note = optional_line(
        _("note"),
        max_length=100,
        help_text=_(
            "A published remark on the honour, e.g. 全区唯一一家 / the only one in the district."
        ),
    )
    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        help_text=_("The year of the honour, only when the source states it."),
    )

    objects = KeyedByPositionQuerySet.as_manager()

    class Meta(KeywordChild.Meta):
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [*KeywordChild.Meta.constraints, plausible_year("award")]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.name}"

    def natural_key(self) -> tuple[int, str, int]:
        return (*self.keyword.natural_key(), self.position)

    natural_key.dependencies = ["highlights.keyword"]


def gallery_of(page: type[models.Model] | str, verbose_name) -> models.ForeignKey:
    """The page whose gallery a photo is in: exactly one of a keyword, an initiative, a news
    story or a place (the photo_belongs_to_one_page constraint)."""
    return models.ForeignKey(
        page,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
        verbose_name=verbose_name,
    )


class PhotoQuerySet(ContentQuerySet):
    def get_by_natural_key(self, *key) -> Photo:
        """(year, keyword slug, initiative slug or "", position) in a review, or (the column,
        the story's or place's slug, position) in a column's gallery."""
        if key[0] in COLUMN_GALLERIES:
            column, slug, position = key
            return self.get(**{f"{column}__slug": slug}, position=position)
        year, keyword_slug, initiative_slug, position = key
        place = {"keyword__review__year": year, "keyword__slug": keyword_slug}
        if initiative_slug:
            place = {
                "initiative__keyword__review__year": year,
                "initiative__keyword__slug": keyword_slug,
                "initiative__slug": initiative_slug,
            }
        return self.get(position=position, **place)


# The pages with a gallery: each photo hangs on exactly one.
GALLERIES = ("keyword", "initiative", "news", "place")
COLUMN_GALLERIES = ("news", "place")


def one_gallery() -> Q:
    condition = Q(pk__in=[])
    for gallery in GALLERIES:
        others = {f"{other}__isnull": True for other in GALLERIES if other != gallery}
        condition |= Q(**{f"{gallery}__isnull": False}, **others)
    return condition


class Photo(
    with_image(
        "image",
        _("image"),
        upload_to="photos/",
        blank=False,
        help_text=_(
            "JPEG, PNG or WebP, at most 10 MB and 40 megapixels. Location data is removed."
        ),
    ),
    Content,
    Ordered,
):
    """A photo in the small, ordered gallery of a keyword, an initiative, a story or a place."""

    # Public when the page it hangs on is (for an initiative, its keyword).
    public_when = (
        ("keyword", "keyword__review"),
        ("initiative__keyword", "initiative__keyword__review"),
        ("news",),
        ("place",),
    )
    translated_fields = ("alt_text", "caption")
    search_fields = ("caption", "alt_text")

    keyword = gallery_of(Keyword, _("keyword"))
    initiative = gallery_of(Initiative, _("initiative"))
    news = gallery_of("highlights.News", _("news story"))
    place = gallery_of("highlights.Place", _("place"))
    position = position_in(_("gallery"))
    alt_text = models.CharField(
        _("alt text"),
        max_length=250,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    caption = optional_line(_("caption"), max_length=300)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        constraints = [
            models.CheckConstraint(
                condition=one_gallery(),
                name="photo_belongs_to_one_page",
                violation_error_message=_(
                    "A photo belongs to one keyword, initiative, news story or place."
                ),
            ),
            *(
                models.UniqueConstraint(
                    fields=[gallery, "position"],
                    condition=Q(**{f"{gallery}__isnull": False}),
                    name=f"photo_unique_position_per_{gallery}",
                    violation_error_message=_("Another photo of this gallery has this position."),
                )
                for gallery in GALLERIES
            ),
            starts_at_one("photo"),
        ]

    def __str__(self) -> str:
        return self.alt_text

    @property
    def gallery(self) -> str:
        """The name of the page the photo hangs on: "keyword", "initiative", "news" or "place"."""
        return next(name for name in GALLERIES if getattr(self, f"{name}_id") is not None)

    @property
    def unit_root(self) -> Publishable:
        page = getattr(self, self.gallery)
        return page.keyword if self.gallery == "initiative" else page

    def position_siblings(self) -> PhotoQuerySet:
        return Photo.objects.filter(**{f"{self.gallery}_id": getattr(self, f"{self.gallery}_id")})

    def natural_key(self) -> tuple:
        if self.gallery in COLUMN_GALLERIES:
            return (self.gallery, getattr(self, self.gallery).slug, self.position)
        if self.keyword_id:
            return (*self.keyword.natural_key(), "", self.position)
        return (*self.initiative.natural_key(), self.position)

    natural_key.dependencies = [
        "highlights.keyword",
        "highlights.initiative",
        "highlights.news",
        "highlights.place",
    ]


# Rows that record work on content rather than content: saving one changes no page, and they
# keep no history of their own.
BOOKKEEPING_MODELS = {
    "Revision",
    "OpenForm",
    "ContentVersion",
    "StalenessReminder",
    "CanonicalTerm",
}


class ContentVersion(models.Model):
    """When published content last changed: one row, renewed in the transaction of every change.

    Every rendered thing kept anywhere (whole pages, the PDF) is kept under its token, so a change
    makes all of them unreachable at once, in every worker and on every host, the moment it
    commits, whether or not the cache could be reached then. `next_change` is the earliest
    future publish date: pages change then with no save at all.
    """

    token = models.CharField(max_length=32)
    next_change = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.token


class SiteIdentity(models.Model):
    """Who runs the site and its filing numbers, which a Chinese government site shows on every
    page: one row, edited by staff.

    Read from the database whenever a page is built, never kept in a cache of its own: a copy
    kept per process was forgotten only by the process that saved the row, and other workers
    showed the old sponsor until it expired. Pages that show it are cached whole, under the
    content version that saving the row renews.
    """

    translated_fields = ("sponsor", "address", "office_hours", "privacy_statement")
    fallback_undefined: dict = {}

    sponsor = optional_line(
        _("sponsoring office"),
        help_text=_("主办单位, e.g. 上海市长宁区新泾镇人民政府."),
    )
    address = optional_line(_("address"))
    phone = optional_line(_("phone"), max_length=50)
    office_hours = optional_line(_("office hours"))
    hotline = optional_line(
        _("citizen hotline"),
        max_length=20,
        default="12345",
        help_text=_("The city's service hotline, 12345 in Shanghai."),
    )
    icp_number = optional_line(
        _("ICP filing number"),
        max_length=50,
        help_text=_("e.g. 沪ICP备12345678号; linked to the MIIT filing site on every page."),
    )
    public_security_number = optional_line(
        _("public security filing number"),
        max_length=50,
        help_text=_("e.g. 沪公网安备31010502000000号; linked to the filing record."),
    )
    website_code = optional_line(
        _("government website code"), max_length=20, help_text=_("网站标识码.")
    )
    badge = SafeImageField(
        _("Party and government site badge"),
        upload_to="identity/",
        blank=True,
        help_text=_("党政机关标识, as issued for the site."),
    )
    privacy_statement = optional_text(
        _("privacy statement"),
        help_text=_(
            "Shown on its own page, linked from every page. Separate paragraphs with a blank line."
        ),
    )

    class Meta:
        verbose_name = _("site identity")
        verbose_name_plural = _("site identity")
        constraints = [
            models.CheckConstraint(
                condition=Q(id=1),
                name="site_identity_single_row",
                violation_error_message=_("The site has one identity."),
            )
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    def save(self, *args, **kwargs) -> None:
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> SiteIdentity:
        """The identity (empty until staff fill it in)."""
        return cls.objects.filter(pk=1).first() or cls()

    @property
    def public_security_url(self) -> str:
        """The filing record on the Ministry of Public Security's site, found by its digits."""
        digits = re.sub(r"\D", "", self.public_security_number)
        return f"https://beian.mps.gov.cn/#/query/webSearch?code={digits}"

    def privacy_paragraphs(self) -> list[str]:
        return split_paragraphs(self.privacy_statement)


class RevisionQuerySet(models.QuerySet):
    def of(self, root: Publishable) -> RevisionQuerySet:
        return self.filter(content_type=ContentType.objects.get_for_model(root), object_id=root.pk)

    def scheduled(self) -> RevisionQuerySet:
        """Revisions a publisher has approved to go live at a later moment."""
        return self.filter(go_live_at__isnull=False)

    def due(self, now: datetime) -> RevisionQuerySet:
        return self.filter(go_live_at__lte=now)


class Revision(models.Model):
    """One save of a unit (a review, or a keyword with its initiatives, figures, awards and
    photos): the whole unit serialised, who made it, when, and the revision it was based on.

    A unit's live rows are its live revision; its pending changes are its latest revision
    when that is not the live one; its history is its revisions (revisions.py).
    """

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        SAVED = "saved", _("Saved")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublish", _("Unpublished")
        RESTORED = "restored", _("Restored")
        DISCARDED = "discarded", _("Pending changes discarded")
        IMPORTED = "imported", _("Imported")
        # A save that changed a field a colleague had changed meanwhile, kept apart until its
        # author chooses between the two: never part of the unit until then.
        UNMERGED = "unmerged", _("Saved, waiting for a choice")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveIntegerField()
    root = GenericForeignKey("content_type", "object_id")
    kind = one_of(_("kind"), Kind, Kind.SAVED)
    # The unit serialised with Django's JSON serializer, primary keys included.
    data = models.TextField()
    based_on = optional_link("self", _("based on"))
    restored_from = optional_link("self", _("restored from"))
    created_at = models.DateTimeField(_("saved at"), default=timezone.now, db_index=True)
    user = staff_member(_("saved by"), blank=True)
    # A publisher's approval of this revision for a later moment; no cron job is needed, the
    # next request after it publishes it (ScheduledPublishingMiddleware).
    go_live_at = models.DateTimeField(_("to be published at"), null=True, blank=True, db_index=True)
    # Why a scheduled publication did not happen (e.g. a slug taken meanwhile), for staff.
    schedule_problem = optional_text(_("scheduling problem"))
    # An UNMERGED revision, once its author has chosen: the revision that took it in.
    merged_into = optional_link("self", _("merged into"))

    objects = RevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["-created_at", "-id"]
        get_latest_by = ["created_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.root} · {local_minute(self.created_at)}"

    @property
    def author(self) -> str:
        return self.user.get_username() if self.user else _("someone")

    @property
    def moment(self) -> str:
        return local_minute(self.created_at)


class OpenForm(models.Model):
    """A member of staff with a unit's form open: a hint for colleagues, not a lock.

    In the database, so every worker and host sees the same; a form open in a browser sends a
    heartbeat while it stays open (static/admin/presence.js) and a goodbye when it closes.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveIntegerField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="open_forms"
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    seen_at = models.DateTimeField(_("last seen"), default=timezone.now, db_index=True)
    # Which opening of the form: a reload's goodbye from the page it replaces must not end
    # the presence the new page has just begun.
    page = models.CharField(max_length=32, blank=True)

    class Meta:
        verbose_name = _("open form")
        verbose_name_plural = _("open forms")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "user"], name="open_form_once_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.content_type_id}:{self.object_id}"


# The weekly site's columns live in modules of their own; imported here, at the end (they refer
# to the models above by name), so Django registers them and the rest of the code finds every
# model in this module.
from .columns import Column as Column  # noqa: E402
from .columns import StalenessReminder as StalenessReminder  # noqa: E402
from .guides import ServiceGuide as ServiceGuide  # noqa: E402
from .news import News as News  # noqa: E402
from .notices import Attachment as Attachment  # noqa: E402
from .notices import Notice as Notice  # noqa: E402
from .places import OpeningPeriod as OpeningPeriod  # noqa: E402
from .places import Place as Place  # noqa: E402
from .places import SpecialDay as SpecialDay  # noqa: E402
from .terms import CanonicalTerm as CanonicalTerm  # noqa: E402
