"""Which fields staff translate: every human-readable one, Chinese required, English optional."""

from modeltranslation.translator import TranslationOptions, register

from . import languages
from .models import Award, Initiative, Keyword, Metric, Photo, Review


class RequireChinese(TranslationOptions):
    required_languages = (languages.source_language(),)


@register(Review)
class ReviewTranslation(RequireChinese):
    fields = ("title", "subtitle", "tagline", "introduction")


@register(Keyword)
class KeywordTranslation(RequireChinese):
    fields = ("title", "tagline", "summary", "body")


@register(Initiative)
class InitiativeTranslation(RequireChinese):
    fields = ("name", "description")


@register(Metric)
class MetricTranslation(RequireChinese):
    fields = ("label", "unit")
    # English leaves Chinese measure words (名, 场, 次) untranslated on purpose: an empty English
    # unit is a real value, and only a missing (NULL) one falls back to Chinese.
    fallback_undefined = {"unit": None}


@register(Award)
class AwardTranslation(RequireChinese):
    fields = ("name", "recipient", "awarded_by", "rank")


@register(Photo)
class PhotoTranslation(RequireChinese):
    fields = ("alt_text", "caption")
