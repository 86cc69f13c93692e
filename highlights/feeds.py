"""RSS and Atom feeds of published keywords, one per language (the URL's prefix decides)."""

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from .addresses import CanonicalRequest
from .models import Keyword

FEED_SIZE = 50


class LatestKeywordsFeed(Feed):
    title = _("Xinjing Highlights")
    description = _("The yearly review of Xinjing Town, Changning District, Shanghai.")

    def link(self) -> str:
        return reverse("highlights:home")

    def get_feed(self, obj, request):
        # Django builds the feed's absolute links from the request's Host: give it the site's.
        return super().get_feed(obj, CanonicalRequest(request))

    def items(self) -> QuerySet[Keyword]:
        return Keyword.objects.published().select_related("review").in_review_order()[:FEED_SIZE]

    # Feed readers render titles and descriptions as HTML: escape the plain text we store.
    def item_title(self, item: Keyword) -> str:
        return escape(f"{item.review.year} · {item.title} · {item.tagline}")

    def item_description(self, item: Keyword) -> str:
        return escape(item.summary)

    def item_pubdate(self, item: Keyword):
        return item.publish_at

    def item_updateddate(self, item: Keyword):
        return item.updated_at


class LatestKeywordsAtomFeed(LatestKeywordsFeed):
    feed_type = Atom1Feed
    subtitle = LatestKeywordsFeed.description
