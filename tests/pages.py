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
        "news": "/news/",
        "news of a year": "/news/2024/",
        "news of a month": "/news/2024/02/",
        "story": "/news/first-happy-living-home-festival/",
        "notices": "/notices/",
        "services": "/services/",
        "places": "/places/",
        "place": "/places/xianxia-road-centre/",
    }


# The pages of the columns outside the yearly review: they stay when a review is unpublished.
COLUMN_PAGES = {
    "news",
    "news of a year",
    "news of a month",
    "story",
    "notices",
    "services",
    "places",
    "place",
}

# Why each bound: a review page reads the review, its keywords, their figures and their awards
# (4); a keyword page reads the keyword, its initiatives, figures, awards and photos, plus its
# neighbours in one query, its news and the places its initiatives name (8); an initiative page
# reads it, its figures, photos, places and news (5); the archive one list (1); the awards page
# the years for its filter, a count and one page of awards (3); search counts each of its eight
# types and reads the page's rows, at most one query per type (16); the open-data page lists the
# reviews to download (1); the home page adds the latest news and the current notices (2). A
# column's index reads the years with items, a count and one page (3); a year's or month's page
# also asks whether it has any, its months, and the periods before and after it (7); a story
# reads itself, its keywords, initiatives, places and photos (5); a notice, itself and its
# documents (2); the places list reads the places, their weekly hours and their coming special
# days (3); a place, the same with its initiatives, its news and its photos (6); the service
# guides one list (1).
# Every page also reads the site's identity for its footer and its columns for the menu and
# its metadata (2): never kept by a process, so a save is in every worker's next page.
IDENTITY = 2
QUERY_BUDGETS = {
    "home": 4 + 2 + IDENTITY,
    "archive": 1 + IDENTITY,
    "review": 4 + IDENTITY,
    "figures": 4 + IDENTITY,
    "keyword": 6 + 2 + IDENTITY,
    "initiative": 3 + 2 + IDENTITY,
    "awards": 3 + IDENTITY,
    "search": 16 + IDENTITY,
    "open data": 1 + IDENTITY,
    "news": 3 + IDENTITY,
    "news of a year": 7 + IDENTITY,
    "news of a month": 7 + IDENTITY,
    "story": 5 + IDENTITY,
    "notices": 3 + IDENTITY,
    "services": 1 + IDENTITY,
    "places": 3 + IDENTITY,
    "place": 6 + IDENTITY,
}


def assert_within_budget(client, django_assert_max_num_queries, review: Review, page: str):
    """The page answers 200 within its query budget (the address is found outside the count)."""
    url = page_urls(review)[page]
    with django_assert_max_num_queries(QUERY_BUDGETS[page]):
        response = client.get(url)
    assert response.status_code == 200
    return response


def text_of(html: str) -> str:
    """Visible text with tags dropped and whitespace folded, for phrase assertions."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())
