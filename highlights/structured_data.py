"""schema.org JSON-LD for reviews and keywords, read by search engines and link previews."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .addresses import absolute
from .languages import html_lang
from .models import Keyword, Review


def publisher() -> dict:
    return {
        "@type": "GovernmentOrganization",
        "name": _("Xinjing Town, Changning District, Shanghai"),
    }


def article(obj: Review | Keyword, headline: str, description: str) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": headline,
        "description": description,
        "inLanguage": html_lang(get_language()),
        "url": absolute(obj.get_absolute_url()),
        "datePublished": obj.publish_at.isoformat(),
        "dateModified": obj.updated_at.isoformat(),
        "publisher": publisher(),
        "author": publisher(),
    }
    if obj.cover:
        data["image"] = absolute(obj.cover.url)
    return data


def awards_mentioned(keywords) -> list[dict]:
    """Each award as the recipient organisation with its honour."""
    return [
        {"@type": "Organization", "name": award.recipient, "award": award.name}
        for keyword in keywords
        for award in keyword.awards.all()
    ]


def review_data(review: Review) -> dict:
    keywords = review.keywords.all()
    data = article(review, review.title, review.tagline or review.subtitle)
    data["alternativeHeadline"] = review.subtitle
    data["keywords"] = [keyword.title for keyword in keywords]
    if mentions := awards_mentioned(keywords):
        data["mentions"] = mentions
    return data


def keyword_data(keyword: Keyword) -> dict:
    data = article(keyword, f"{keyword.title} · {keyword.tagline}", keyword.summary)
    data["isPartOf"] = {
        "@type": "CreativeWork",
        "name": keyword.review.title,
        "url": absolute(keyword.review.get_absolute_url()),
    }
    if mentions := awards_mentioned([keyword]):
        data["mentions"] = mentions
    return data
