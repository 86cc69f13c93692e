"""The public pages every page-level test visits, and what each may cost in queries."""

import re

from highlights.models import Review


def page_urls(review: Review) -> dict[str, str]:
    keyword = review.keywords.get(slug="thematic-education")
    initiative = keyword.initiatives.get(slug="four-ways-of-learning")
    return {
        "home": "/",
        "archive": "/reviews/",
        "review": review.get_absolute_url(),
        "figures": f"/{review.year}/figures/",
        "keyword": keyword.get_absolute_url(),
        "initiative": initiative.get_absolute_url(),
        "awards": "/awards/",
        "search": "/search/?q=生境",
        "open data": "/open-data/",
    }


# Why each bound: a review page reads the review, its keywords, their figures and their awards
# (4); a keyword page reads the keyword, its initiatives, figures, awards and photos, plus its
# neighbours in one query (6); an initiative page reads it, its figures and photos (3); the
# archive one list (1); the awards page the years for its filter, a count and one page of awards
# (3); search counts each of its four types and reads the page's rows, at most one query per type
# (8); the open-data page lists the reviews to download (1). Every page also reads the site's
# identity for its footer (1): never kept by a process, so a save is in every worker's next page.
IDENTITY = 1
QUERY_BUDGETS = {
    "home": 4 + IDENTITY,
    "archive": 1 + IDENTITY,
    "review": 4 + IDENTITY,
    "figures": 4 + IDENTITY,
    "keyword": 6 + IDENTITY,
    "initiative": 3 + IDENTITY,
    "awards": 3 + IDENTITY,
    "search": 8 + IDENTITY,
    "open data": 1 + IDENTITY,
}


def text_of(html: str) -> str:
    """Visible text with tags dropped and whitespace folded, for phrase assertions."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())
