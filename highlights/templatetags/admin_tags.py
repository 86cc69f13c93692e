"""Template tags of the admin: preview links, the pending-changes and translation-status
panels."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.db.models import Model
from django.urls import reverse
from django.utils.html import json_script

from highlights import languages, revisions
from highlights.translation_status import translation_report

register = template.Library()


@register.simple_tag
def preview_links(obj: Model) -> list[tuple[str, str]]:
    """The object's page in each language with its unit's pending changes, for the admin's
    Preview buttons."""
    name = admin_urlname(obj._meta, "preview")
    return [
        (language, reverse(name, args=[obj.pk, code]))
        for code, language in languages.names().items()
    ]


@register.inclusion_tag("admin/highlights/pending_panel.html")
def pending_panel() -> dict:
    """Every unit with changes waiting for a publisher, newest first."""
    return {
        "pending": [
            (root, latest, reverse(admin_urlname(root._meta, "changes"), args=[root.pk]))
            for root, latest in revisions.units_with_pending_changes()
        ]
    }


@register.inclusion_tag("admin/highlights/translation_panel.html")
def translation_panel() -> dict:
    return {"reviews": translation_report()}


@register.simple_tag
def language_labels() -> str:
    """Each language's own name by its code, for the language tabs (language_tabs.js)."""
    return json_script(settings.LANGUAGE_SWITCH_LABELS, "language-labels")


@register.filter
def model_name_plural(model: type[Model]) -> str:
    return model._meta.verbose_name_plural


@register.inclusion_tag("admin/highlights/inspection_panel.html")
def inspection_panel() -> dict:
    """The worst thing an inspection would find today, on the admin's front page (the pages'
    availability is left to the full inspection, which fetches them)."""
    from highlights.inspection import inspect

    findings = inspect(fetch_pages=False)
    return {"worst": findings[0] if findings else None, "count": len(findings)}
