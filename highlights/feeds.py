"""RSS and Atom feeds, one per language (the URL's prefix decides): the review's keywords, and
the news column."""

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .addresses import CanonicalRequest
from .columns import Column, site_columns
from .models import Keyword
from .publishing import ColumnUnit

FEED_SIZE = 50


class ContentFeed(Feed):
    """A feed of published units, dated by publication, with the site's own address."""

    def get_feed(self, obj, request):
        # Django builds the feed's absolute links from the request's Host: give it the site's.
        return super().get_feed(obj, CanonicalRequest(request))

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated_at


class LatestKeywordsFeed(ContentFeed):
    title = _("Xinjing Highlights")
    description = _("The yearly review of Xinjing Town, Changning District, Shanghai.")

    def link(self) -> str:
        return reverse("highlights:home")

    def items(self) -> QuerySet[Keyword]:
        return Keyword.objects.published().select_related("review").in_review_order()[:FEED_SIZE]

    # Feed readers render titles and descriptions as HTML: escape the plain text we store.
    def item_title(self, item: Keyword) -> str:
        return escape(f"{item.review.year} · {item.title} · {item.tagline}")

    def item_description(self, item: Keyword) -> str:
        return escape(item.summary)


class ColumnFeed(ContentFeed):
    """A column's newest items: news and notices as they are published, places and service
    guides as they are added."""

    def __init__(self, model: type[ColumnUnit]) -> None:
        self.model = model

    def get_object(self, request, *args, **kwargs) -> Column:
        return site_columns(request).of(self.model)

    def title(self, column: Column) -> str:
        return format_lazy("{} · {}", _("Xinjing Highlights"), column.name)

    def description(self, column: Column) -> str:
        return column.description

    def link(self) -> str:
        return reverse(self.model.column_list_url)

    def items(self) -> QuerySet:
        return self.model.objects.published().newest_first()[:FEED_SIZE]

    def item_title(self, item) -> str:
        return escape(str(item))

    def item_description(self, item) -> str:
        return escape(item.sharing.description)


class LatestKeywordsAtomFeed(LatestKeywordsFeed):
    feed_type = Atom1Feed
    subtitle = LatestKeywordsFeed.description


class ColumnAtomFeed(ColumnFeed):
    feed_type = Atom1Feed

    def subtitle(self, column: Column) -> str:
        return self.description(column)
