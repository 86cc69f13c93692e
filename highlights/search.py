"""Site search over keywords, initiatives, figures and awards, in Chinese and English.

Matching is a case-insensitive substring match on every language's column, which finds a Chinese
word inside Chinese text (no word boundaries needed) on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Model, QuerySet
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from .models import Award, Initiative, Keyword, Metric

SNIPPET_CONTEXT = 48


@dataclass(frozen=True)
class SearchResult:
    kind: Promise
    title: str
    text: str
    url: str


def search(term: str, user) -> list[SearchResult]:
    """Every visible match, grouped by type: keywords, initiatives, figures, awards."""
    keywords = Keyword.objects.visible_to(user).matching(term).select_related("review")
    initiatives = (
        Initiative.objects.visible_to(user).matching(term).select_related("keyword__review")
    )
    metrics = Metric.objects.visible_to(user).matching(term).select_related("keyword__review")
    awards = Award.objects.visible_to(user).matching(term).select_related("keyword__review")
    return [
        *(
            SearchResult(
                _("Keywords"),
                f"{k.title} · {k.tagline}" if k.tagline else k.title,
                snippet(k, ("summary", "body", "title", "tagline"), term),
                k.get_absolute_url(),
            )
            for k in ordered(keywords)
        ),
        *(
            SearchResult(
                _("Initiatives"),
                i.name,
                snippet(i, ("description", "name"), term),
                i.get_absolute_url(),
            )
            for i in ordered(initiatives)
        ),
        *(
            SearchResult(
                _("Figures"),
                m.phrase(),
                m.keyword.title,
                f"{m.keyword.get_absolute_url()}#figure-{m.position}",
            )
            for m in ordered(metrics)
        ),
        *(
            SearchResult(
                _("Awards"),
                a.name,
                snippet(a, ("recipient", "awarded_by", "rank", "name"), term),
                f"{a.keyword.get_absolute_url()}#awards",
            )
            for a in ordered(awards)
        ),
    ]


def ordered(queryset: QuerySet) -> QuerySet:
    """Newest review first, then the review's own order."""
    if queryset.model is Keyword:
        return queryset.order_by("-review__year", "position")
    return queryset.order_by("-keyword__review__year", "keyword__position", "position")


def snippet(obj: Model, fields: tuple[str, ...], term: str) -> str:
    """A short excerpt around the first match, preferring the visitor's language."""
    current = get_language()
    languages = [current] + [code for code, _name in settings.LANGUAGES if code != current]
    for language in languages:
        for field in fields:
            text = getattr(obj, build_localized_fieldname(field, language)) or ""
            match = re.search(re.escape(term), text, re.IGNORECASE)
            if match:
                start = max(match.start() - SNIPPET_CONTEXT, 0)
                end = match.end() + SNIPPET_CONTEXT
                prefix = "…" if start else ""
                suffix = "…" if end < len(text) else ""
                return f"{prefix}{text[start:end]}{suffix}"
    return getattr(obj, fields[0])[: SNIPPET_CONTEXT * 2]
