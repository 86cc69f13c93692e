"""Template tags of the admin: preview links and the translation-status panel."""

from __future__ import annotations

from django import template
from django.db.models import Model
from django.utils import translation

from highlights import languages
from highlights.translation_status import translation_report

register = template.Library()


@register.simple_tag
def preview_links(obj: Model) -> list[tuple[str, str]]:
    """The object's public page in each language, for the admin's Preview buttons."""
    names = languages.names()
    links = []
    for code in languages.codes():
        with translation.override(code):
            links.append((names[code], obj.get_absolute_url()))
    return links


@register.inclusion_tag("admin/highlights/translation_panel.html")
def translation_panel() -> dict:
    return {"reviews": translation_report()}


@register.filter
def model_name_plural(model: type[Model]) -> str:
    return model._meta.verbose_name_plural
