"""Registers every content model's translated fields with modeltranslation: the source language
(Chinese) is required, translations are optional and fall back to it."""

from modeltranslation.translator import TranslationOptions, translator

from . import languages
from .models import (
    Attachment,
    Award,
    Column,
    Figure,
    Initiative,
    Keyword,
    News,
    Notice,
    Photo,
    Place,
    Review,
    ServiceGuide,
    SiteIdentity,
    SpecialDay,
)

for model in (
    Review,
    Keyword,
    Initiative,
    Figure,
    Award,
    Photo,
    SiteIdentity,
    News,
    Notice,
    Attachment,
    Place,
    SpecialDay,
    ServiceGuide,
    Column,
):
    options = {
        "fields": model.translated_fields,
        "required_languages": (languages.source_language(),),
        "fallback_undefined": model.fallback_undefined,
    }
    translator.register(model, type(f"{model.__name__}Translation", (TranslationOptions,), options))
