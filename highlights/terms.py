"""Canonical official terms and titles, and the near misses of them an inspector fails a site
for: a text within one character of a term (one wrong, missing or extra character) without
being it, such as 习近平新时代中国特色社会主义思 or 全过程人民主. Publishers keep the list; a
new site starts with the terms below."""

from __future__ import annotations

import re

from django.core.validators import MinLengthValidator
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.translation import gettext_lazy as _

from .publishing import optional_line

# Shorter terms have too many legitimate neighbours one character away (长宁区 and 长宁路).
SHORTEST_TERM = 4

DEFAULT_TERMS = [
    "习近平新时代中国特色社会主义思想",
    "中国特色社会主义",
    "全过程人民民主",
    "中国式现代化",
    "上海市长宁区人民政府",
    "上海市长宁区新泾镇人民政府",
    "Xi Jinping Thought on Socialism with Chinese Characteristics for a New Era",
    "socialism with Chinese characteristics",
    "whole-process people's democracy",
    "Chinese modernization",
    "Changning District",
    "Xinjing Town",
]

# Apostrophes and quotation marks typeset either way are the same character to a reader.
SAME_MARKS = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


class CanonicalTerm(models.Model):
    term = models.CharField(
        _("term"),
        max_length=200,
        unique=True,
        validators=[MinLengthValidator(SHORTEST_TERM)],
        help_text=_(
            "Exactly as it must be written, e.g. 全过程人民民主. Any published text one character "
            "away from it is reported by the site inspection. At least four characters; "
            "English is compared without regard to capitals."
        ),
    )
    note = optional_line(_("note"), help_text=_("Where the wording comes from, for colleagues."))

    class Meta:
        verbose_name = _("canonical term")
        verbose_name_plural = _("canonical terms")
        ordering = ["term"]
        constraints = [
            models.CheckConstraint(
                condition=GreaterThanOrEqual(Length("term"), SHORTEST_TERM),
                name="canonical_term_long_enough",
                violation_error_message=_("A term has at least four characters."),
            )
        ]

    def __str__(self) -> str:
        return self.term


def create_terms(**kwargs) -> None:
    """A new site starts with the shipped terms (post_migrate); after that the list is the
    publishers' own, and one they removed stays removed."""
    if not CanonicalTerm.objects.exists():
        CanonicalTerm.objects.bulk_create(CanonicalTerm(term=term) for term in DEFAULT_TERMS)


def comparable(text: str) -> str:
    """Text as the comparison reads it: capitals and typographic marks set aside. Each
    character stays one character, so positions agree with the original."""
    marked = text.translate(SAME_MARKS)
    lowered = marked.lower()
    if len(lowered) == len(marked):
        return lowered
    # A few characters lower to two (İ): keep those as they are.
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in marked)


def one_edit_apart(a: str, b: str) -> bool:
    """Whether one substitution, insertion or deletion turns a into b (and a is not b)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


def halves_of(target: str) -> tuple[str, str]:
    return target[: len(target) // 2], target[len(target) // 2 :]


def near_misses(term: str, text: str) -> list[str]:
    """The places in `text` one character away from `term`, as written there."""
    return NearMisses([term]).in_text(text).get(term, [])


class NearMisses:
    """Finds near misses of many terms in many texts, each text read once.

    A text one edit from a term keeps one of its halves intact (one edit breaks at most one),
    so only the places where a half occurs are compared: str.find, not a pass per character.
    A place overlapping the term itself written correctly is not a miss: 中国特色社会主义思想
    contains 中国特色社会主义, it does not misspell it.
    """

    def __init__(self, terms: list[str]) -> None:
        self.terms = [(term, comparable(term)) for term in terms]
        # Most texts hold no half of any term: one search of them all sets those aside.
        halves = {piece for _term, target in self.terms for piece in halves_of(target)}
        self.any_half = re.compile("|".join(map(re.escape, sorted(halves)))) if halves else None

    def in_text(self, text: str) -> dict[str, list[str]]:
        """{term: the places one character from it, as written in the text}, misses only."""
        source = comparable(text)
        if self.any_half is None or self.any_half.search(source) is None:
            return {}
        found = {}
        for term, target in self.terms:
            if misses := self.misses(target, source, text):
                found[term] = misses
        return found

    @staticmethod
    def misses(target: str, source: str, text: str) -> list[str]:
        size = len(target)
        spans = set()
        for piece, offset in zip(halves_of(target), (0, size // 2), strict=True):
            position = source.find(piece)
            while position != -1:
                for start in range(position - offset - 1, position - offset + 2):
                    for length in (size - 1, size, size + 1):
                        if start >= 0 and start + length <= len(source):
                            spans.add((start, start + length))
                position = source.find(piece, position + 1)
        if not spans:
            return []
        exact = [(m.start(), m.end()) for m in re.finditer(re.escape(target), source)]
        found = []
        taken: list[tuple[int, int]] = []
        for start, end in sorted(spans):
            if any(start < e and s < end for s, e in exact + taken):
                continue
            if one_edit_apart(source[start:end], target):
                taken.append((start, end))
                found.append(text[start:end])
        return found
