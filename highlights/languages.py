"""The site's languages and the per-language columns modeltranslation adds to translated fields.

Language codes come from settings.LANGUAGES only; the first is the town's own (Chinese), in which
every text is written and to which a missing translation falls back.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import get_language, to_locale
from modeltranslation.utils import build_localized_fieldname


def codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def names() -> dict[str, str]:
    """Each language's name in the active language, e.g. for Preview buttons."""
    return {code: str(name) for code, name in settings.LANGUAGES}


def source_language() -> str:
    """The language every text is written in first."""
    return settings.LANGUAGE_CODE


def translation_languages() -> list[str]:
    """The languages a text is translated into."""
    return [code for code in codes() if code != source_language()]


def column(field: str, language: str) -> str:
    """The column holding one language of a translated field, e.g. title_zh_hans."""
    return build_localized_fieldname(field, language)


def columns(fields: Iterable[str]) -> list[str]:
    """Every language's column of each field, e.g. for the admin's search_fields."""
    return [column(field, language) for field in fields for language in codes()]


def current_first() -> list[str]:
    """All languages, the active one first."""
    current = get_language()
    return [current, *(code for code in codes() if code != current)]


def html_lang(language: str) -> str:
    """The BCP 47 tag for <html lang> and hreflang: zh-Hans rather than Django's zh-hans."""
    return to_locale(language).replace("_", "-")


def shown_in_source_language(obj, field: str) -> bool:
    """True when the active language lacks this field's text and the source's is shown instead."""
    language = get_language()
    if language == source_language():
        return False
    translated = getattr(obj, column(field, language), None)
    original = getattr(obj, column(field, source_language()), None)
    return bool(original) and not translated
