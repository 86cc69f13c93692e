"""The small safe markup of news bodies: Markdown (headings, lists, links, emphasis, images),
turned into HTML that holds no script, no style and no event handler, so the CSP holds.

markdown-it-py writes the HTML with raw HTML switched off (a `<script>` typed into the body is
shown as text), and nh3 (Rust's ammonia) keeps only the tags and attributes below: two layers,
so that a flaw in one is not a hole.
"""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "h2",
    "h3",
    "h4",
    "p",
    "br",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "img",
    "blockquote",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}
# Links to the web, mail and phone numbers; relative links stay within the site.
ALLOWED_SCHEMES = {"http", "https", "mailto", "tel"}

markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("code")


def shift_headings(source: str) -> str:
    """The page's own title is its one h1: a body's "#" heading becomes an h2, "##" an h3."""
    return "\n".join(f"#{line}" if line.startswith("#") else line for line in source.splitlines())


def render_markup(source: str) -> SafeString:
    html = markdown.render(shift_headings(source or ""))
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 - cleaned by nh3 just above


def plain_text(source: str) -> str:
    """The body without its markup, for search excerpts and feeds' summaries."""
    return nh3.clean(markdown.render(source or ""), tags=set()).strip()
