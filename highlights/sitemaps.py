"""sitemap.xml: every public page in both languages, with hreflang alternates."""

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from .addresses import canonical_host, canonical_scheme
from .models import Initiative, Keyword, News, Notice, Place, Review, ServiceGuide
from .publishing import ColumnUnit


class TranslatedSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    # Every location on the site's address, whatever Host the request named.
    def get_protocol(self, protocol=None) -> str:
        return canonical_scheme()

    def get_domain(self, site=None) -> str:
        return canonical_host()


class PageSitemap(TranslatedSitemap):
    priority = 0.5

    def items(self) -> list[str]:
        return [
            "highlights:home",
            "highlights:news_list",
            "highlights:notice_list",
            "highlights:guide_list",
            "highlights:place_list",
            "highlights:review_archive",
            "highlights:award_list",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class ContentSitemap(TranslatedSitemap):
    """Pages of rows, each last changed when its row was."""

    def lastmod(self, item):
        return item.updated_at


class ReviewSitemap(ContentSitemap):
    priority = 0.8

    def items(self) -> QuerySet[Review]:
        return Review.objects.published().order_by("-year")


class FiguresSitemap(ReviewSitemap):
    def location(self, item: Review) -> str:
        return reverse("highlights:review_figures", kwargs={"year": item.year})


class KeywordSitemap(ContentSitemap):
    priority = 0.7

    def items(self) -> QuerySet[Keyword]:
        return Keyword.objects.published().select_related("review").order_by("pk")


class InitiativeSitemap(ContentSitemap):
    def items(self) -> QuerySet[Initiative]:
        return Initiative.objects.published().select_related("keyword__review").order_by("pk")


class ColumnSitemap(ContentSitemap):
    """The published rows of one of the site's columns."""

    priority = 0.6

    def __init__(self, model: type[ColumnUnit]) -> None:
        self.model = model

    def items(self) -> QuerySet:
        return self.model.objects.published().order_by("pk")


SITEMAPS = {
    "pages": PageSitemap,
    "reviews": ReviewSitemap,
    "figures": FiguresSitemap,
    "keywords": KeywordSitemap,
    "initiatives": InitiativeSitemap,
    "news": ColumnSitemap(News),
    "notices": ColumnSitemap(Notice),
    "guides": ColumnSitemap(ServiceGuide),
    "places": ColumnSitemap(Place),
}
