"""Template helpers for the public site: language links, admin links, highlighting, JSON-LD."""

from __future__ import annotations

import json
import re

from django import template
from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Model
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname

from highlights.models import Review
from highlights.translation_status import translation_status

register = template.Library()

# Characters that would let JSON close the <script> element or open a comment.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
HTML_LANG = {"zh-hans": "zh-Hans", "en": "en"}


@register.filter
def html_lang(language_code: str) -> str:
    """The BCP 47 tag for <html lang> and hreflang: zh-Hans rather than Django's zh-hans."""
    return HTML_LANG.get(language_code, language_code)


@register.simple_tag(takes_context=True)
def url_in_language(context: dict, language: str, absolute: bool = False) -> str:
    """The current page's URL in another language, keeping the query string."""
    request = context["request"]
    url = translate_url(request.path, language)
    query = request.GET.urlencode()
    if query:
        url = f"{url}?{query}"
    return request.build_absolute_uri(url) if absolute else url


@register.simple_tag(takes_context=True)
def alternate_links(context: dict) -> SafeString:
    """<link rel=alternate hreflang> for every language, plus x-default (Chinese)."""
    request = context["request"]
    links = []
    for code, _name in settings.LANGUAGES:
        href = request.build_absolute_uri(translate_url(request.path, code))
        links.append(
            format_html('<link rel="alternate" hreflang="{}" href="{}">', html_lang(code), href)
        )
        if code == settings.LANGUAGE_CODE:
            links.append(format_html('<link rel="alternate" hreflang="x-default" href="{}">', href))
    return mark_safe("\n  ".join(links))  # noqa: S308 - each part is built by format_html


@register.simple_tag
def admin_change_url(obj: Model) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


@register.filter(needs_autoescape=True)
def highlight(text: str, term: str, autoescape: bool = True) -> SafeString:
    """Escape the text and wrap each case-insensitive occurrence of term in <mark>."""
    text = str(text)
    if not term:
        return escape(text)
    parts = re.split(f"({re.escape(term)})", text, flags=re.IGNORECASE)
    return mark_safe(  # noqa: S308 - every part is escaped here
        "".join(
            f"<mark>{escape(part)}</mark>" if index % 2 else escape(part)
            for index, part in enumerate(parts)
        )
    )


@register.filter
def shown_in_chinese(obj: Model, field: str) -> bool:
    """True when an English page falls back to the Chinese text of this field."""
    if get_language() == settings.LANGUAGE_CODE:
        return False
    english = getattr(obj, build_localized_fieldname(field, get_language()), None)
    chinese = getattr(obj, build_localized_fieldname(field, settings.LANGUAGE_CODE), None)
    return bool(chinese) and not english


@register.filter
def json_ld(data: dict) -> SafeString:
    """A schema.org block, escaped so that no content can end the <script> element."""
    payload = json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


@register.inclusion_tag("highlights/includes/picture.html")
def picture(
    file, renditions: list[dict], width: int | None, height: int | None, alt: str = "", **options
) -> dict:
    """A <picture> with WebP and JPEG srcsets from the image's stored renditions.

    Images without renditions (not processed yet) fall back to the original file.
    """
    by_format: dict[str, list[dict]] = {}
    for rendition in renditions or []:
        by_format.setdefault(rendition["format"], []).append(rendition)

    # Rendition names are plain ASCII made by us: joining them to the base URL is enough.
    base = default_storage.base_url

    def srcset(items: list[dict]) -> str:
        return ", ".join(f"{base}{r['name']} {r['width']}w" for r in items)

    jpegs = by_format.get("jpg", [])
    return {
        "src": f"{base}{jpegs[-1]['name']}" if jpegs else file.url,
        "webp_srcset": srcset(by_format.get("webp", [])),
        "jpeg_srcset": srcset(jpegs),
        "width": width,
        "height": height,
        "alt": alt,
        "sizes": options.get("sizes", "100vw"),
        "lazy": options.get("lazy", True),
        "css_class": options.get("css_class", ""),
    }


@register.simple_tag
def preview_links(obj: Model) -> list[tuple[str, str]]:
    """The object's public page in each language, for the admin's Preview buttons."""
    links = []
    for code, name in settings.LANGUAGES:
        with translation.override(code):
            links.append((str(name), obj.get_absolute_url()))
    return links


@register.inclusion_tag("admin/highlights/translation_panel.html")
def translation_panel() -> dict:
    reviews = Review.objects.order_by("-year")
    rows = []
    for review in reviews:
        status = translation_status(review)
        for row in status:
            opts = row["model"]._meta
            row["changelist"] = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        rows.append((review, status))
    return {"reviews": rows}


@register.filter
def model_name_plural(model: type[Model]) -> str:
    return model._meta.verbose_name_plural
