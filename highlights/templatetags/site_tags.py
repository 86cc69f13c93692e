"""Template tags of the public site: language links, highlighting, JSON-LD, responsive pictures.

Thin wrappers: the rules they apply live in modules named for them (languages, safe_json).
"""

from __future__ import annotations

import re
from functools import lru_cache

from django import template
from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Model
from django.urls import reverse, translate_url
from django.utils.encoding import iri_to_uri
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, override

from highlights import languages, qr_codes, safe_json
from highlights.addresses import absolute as absolute_address
from highlights.addresses import canonical_host

register = template.Library()


@register.filter
def html_lang(language_code: str) -> str:
    return languages.html_lang(language_code)


@register.simple_tag
def source_lang() -> str:
    """The lang attribute of text shown in the source language because it is untranslated."""
    return languages.html_lang(languages.source_language())


@register.simple_tag
def og_locale() -> str:
    return settings.OPEN_GRAPH_LOCALES[get_language()]


def local_path(request) -> str:
    """The request's path, never readable as another host's: //evil.com/ or /\\evil.com/ would
    make a link leave the site."""
    return "/" + request.path.lstrip("/\\")


def path_in_language(request, language: str) -> str:
    return translated_path(local_path(request), get_language(), language)


# Every page asks three times (its language links and hreflang links), and resolving and
# reversing the path is a third of what a page costs beyond its body. The answer depends on
# the path and the two languages alone; the bound keeps a worker's memory flat whatever
# paths arrive.
@lru_cache(maxsize=2048)
def translated_path(path: str, current: str, language: str) -> str:
    with override(current):
        return translate_url(path, language)


@register.simple_tag(takes_context=True)
def url_in_language(context: dict, language: str, absolute: bool = False) -> str:
    """The current page's URL in another language, keeping the query string as it came.

    The raw query string is kept rather than request.GET re-encoded: parsing it could raise
    (too many fields) while the page, or Django's debug page, is being rendered.
    """
    request = context["request"]
    url = path_in_language(request, language)
    query = iri_to_uri(request.META.get("QUERY_STRING", ""))
    if query:
        url = f"{url}?{query}"
    return absolute_address(url) if absolute else url


@register.simple_tag(takes_context=True)
def other_languages(context: dict) -> list[dict[str, str]]:
    """The current page in every other language: its URL, lang tag and the language's own name."""
    current = get_language()
    return [
        {
            "code": code,
            "url": url_in_language(context, code),
            "lang": languages.html_lang(code),
            "label": settings.LANGUAGE_SWITCH_LABELS[code],
        }
        for code in languages.codes()
        if code != current
    ]


@register.simple_tag(takes_context=True)
def alternate_links(context: dict) -> SafeString:
    """<link rel=alternate hreflang> for every language, plus x-default (the source language)."""
    request = context["request"]
    links = []
    for code in languages.codes():
        href = absolute_address(path_in_language(request, code))
        links.append(
            format_html(
                '<link rel="alternate" hreflang="{}" href="{}">', languages.html_lang(code), href
            )
        )
        if code == languages.source_language():
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
def untranslated(obj: Model, field: str) -> bool:
    """True when this page shows the field's source-language text for want of a translation."""
    return languages.shown_in_source_language(obj, field)


@register.filter
def json_ld(data: dict) -> SafeString:
    """A schema.org block, escaped so that no content can end the <script> element."""
    payload = safe_json.dumps(data)
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


@register.filter
def absolute_url(path: str) -> str:
    """A path on the site's own address (settings.SITE_URL), whatever Host the request named."""
    return absolute_address(path)


@register.simple_tag
def site_domain() -> str:
    """The site's own host name (SiteDomain), never the request's Host."""
    return canonical_host()


@register.simple_tag(takes_context=True)
def page_qr_code(context: dict) -> SafeString:
    """The page's address as a QR code: for posters and print, and for moving from a desktop
    to a phone."""
    request = context["request"]
    return mark_safe(qr_codes.address_svg(absolute_address(local_path(request))))  # noqa: S308
