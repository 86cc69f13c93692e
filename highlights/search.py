"""Site search over news, notices, service guides, places, keywords, initiatives, figures and
awards, in Chinese and English.

Matching is a case-insensitive substring match on every language's column, which finds a Chinese
word inside Chinese text (no word boundaries needed) on SQLite and PostgreSQL alike. Indexes
(search_index.py) spare it reading every row for terms of two characters or more.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from django.db.models import Model, QuerySet
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import languages
from .models import Award, Figure, Initiative, Keyword, News, Notice, Place, ServiceGuide

SNIPPET_CONTEXT = 48


@dataclass(frozen=True)
class SearchResult:
    kind: Promise
    title: str
    text: str
    text_lang: str  # the excerpt's lang tag when it is not in the page's language
    url: str


@dataclass(frozen=True)
class ResultGroup:
    kind: Promise
    queryset: QuerySet
    describe: Callable[[Model, str], tuple]  # title, text, text_lang, url


class SearchResults(Sequence):
    """All matches, grouped by type, read lazily: slicing a page reads only that page's rows.

    Paginator asks for len() (one COUNT per type) and for one slice (at most one SELECT per type
    the page overlaps), so a search costs the same few queries however much it matches.
    """

    def __init__(self, term: str, groups: list[ResultGroup]) -> None:
        self.term = term
        self.groups = groups
        self.counts = [group.queryset.count() for group in groups]

    def __len__(self) -> int:
        return sum(self.counts)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _step = index.indices(len(self))
        results, offset = [], 0
        for group, count in zip(self.groups, self.counts, strict=True):
            low, high = max(start - offset, 0), min(stop - offset, count)
            if low < high:
                results += [
                    SearchResult(group.kind, *group.describe(obj, self.term))
                    for obj in group.queryset[low:high]
                ]
            offset += count
        return results


def searched_rows(user) -> list[ResultGroup]:
    """What search looks through, by type: every row the user may see, in review order.

    It does not depend on the term: `search()` adds the comparison with it.
    """

    def rows(model: type[Model], related: str) -> QuerySet:
        return model.objects.visible_to(user).select_related(related).in_review_order()

    return [
        ResultGroup(
            _("News"), News.objects.visible_to(user).newest_first(), describe_with_snippet("title")
        ),
        ResultGroup(
            _("Notices"),
            Notice.objects.visible_to(user).newest_first(),
            describe_with_snippet("title"),
        ),
        ResultGroup(
            _("Service guides"),
            ServiceGuide.objects.visible_to(user).by_title(),
            describe_with_snippet("title"),
        ),
        ResultGroup(
            _("Places"), Place.objects.visible_to(user).by_kind(), describe_with_snippet("name")
        ),
        ResultGroup(_("Keywords"), rows(Keyword, "review"), describe_keyword),
        ResultGroup(
            _("Initiatives"), rows(Initiative, "keyword__review"), describe_with_snippet("name")
        ),
        ResultGroup(_("Figures"), rows(Figure, "keyword__review"), describe_figure),
        ResultGroup(_("Awards"), rows(Award, "keyword__review"), describe_award),
    ]


def search(term: str, groups: list[ResultGroup]) -> SearchResults:
    """Every match of the term in the searched rows, grouped by type."""
    return SearchResults(
        term, [replace(group, queryset=group.queryset.matching(term)) for group in groups]
    )


def describe_keyword(keyword: Keyword, term: str) -> tuple:
    title = f"{keyword.title} · {keyword.tagline}" if keyword.tagline else keyword.title
    return title, *snippet(keyword, term), keyword.get_absolute_url()


def describe_with_snippet(title_field: str) -> Callable[[Model, str], tuple]:
    """A result titled by one field, with an excerpt around the match, linking to its page."""

    def describe(obj: Model, term: str) -> tuple:
        return getattr(obj, title_field), *snippet(obj, term), obj.get_absolute_url()

    return describe


def describe_figure(figure: Figure, term: str) -> tuple:
    url = f"{figure.keyword.get_absolute_url()}#{figure.anchor}"
    return figure.phrase(), figure.keyword.title, "", url


def describe_award(award: Award, term: str) -> tuple:
    return award.name, *snippet(award, term), f"{award.keyword.get_absolute_url()}#awards"


def word_start(text: str, index: int) -> int:
    """Move back to the start of a Latin word, so that no excerpt begins mid-word."""
    while index > 0 and text[index - 1].isascii() and text[index - 1].isalnum():
        index -= 1
    return index


def word_end(text: str, index: int) -> int:
    while index < len(text) and text[index].isascii() and text[index].isalnum():
        index += 1
    return index


def snippet(obj: Model, term: str) -> tuple[str, str]:
    """A short excerpt around the first match in the model's search fields, preferring the
    visitor's language, and the lang tag of the excerpt when it is in another language."""
    fields = type(obj).search_fields
    current = get_language()
    for language in languages.current_first():
        for field in fields:
            text = getattr(obj, languages.column(field, language)) or ""
            match = re.search(re.escape(term), text, re.IGNORECASE)
            if match:
                start = word_start(text, max(match.start() - SNIPPET_CONTEXT, 0))
                end = word_end(text, match.end() + SNIPPET_CONTEXT)
                prefix = "…" if start else ""
                suffix = "…" if end < len(text) else ""
                lang = "" if language == current else languages.html_lang(language)
                return f"{prefix}{text[start:end]}{suffix}", lang
    return getattr(obj, fields[0])[: SNIPPET_CONTEXT * 2], ""
