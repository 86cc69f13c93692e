"""sitemap.xml: every public page in both languages, with hreflang alternates."""

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from .addresses import canonical_host, canonical_scheme
from .models import Initiative, Keyword, News, Notice, Place, Review, ServiceGuide


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


class ReviewSitemap(TranslatedSitemap):
    priority = 0.8

    def items(self) -> QuerySet[Review]:
        return Review.objects.published().order_by("-year")

    def lastmod(self, item: Review):
        return item.updated_at


class FiguresSitemap(ReviewSitemap):
    def location(self, item: Review) -> str:
        return reverse("highlights:review_figures", kwargs={"year": item.year})


class KeywordSitemap(TranslatedSitemap):
    priority = 0.7

    def items(self) -> QuerySet[Keyword]:
        return Keyword.objects.published().select_related("review").order_by("pk")

    def lastmod(self, item: Keyword):
        return item.updated_at


class InitiativeSitemap(TranslatedSitemap):
    def items(self) -> QuerySet[Initiative]:
        return Initiative.objects.published().select_related("keyword__review").order_by("pk")

    def lastmod(self, item: Initiative):
        return item.updated_at


class NewsSitemap(TranslatedSitemap):
    priority = 0.6

    def items(self) -> QuerySet[News]:
        return News.objects.published().order_by("pk")

    def lastmod(self, item: News):
        return item.updated_at


class NoticeSitemap(NewsSitemap):
    def items(self) -> QuerySet[Notice]:
        return Notice.objects.published().order_by("pk")


class GuideSitemap(NewsSitemap):
    def items(self) -> QuerySet[ServiceGuide]:
        return ServiceGuide.objects.published().order_by("pk")


class PlaceSitemap(NewsSitemap):
    def items(self) -> QuerySet[Place]:
        return Place.objects.published().order_by("pk")


SITEMAPS = {
    "pages": PageSitemap,
    "reviews": ReviewSitemap,
    "figures": FiguresSitemap,
    "keywords": KeywordSitemap,
    "initiatives": InitiativeSitemap,
    "news": NewsSitemap,
    "notices": NoticeSitemap,
    "guides": GuideSitemap,
    "places": PlaceSitemap,
}
