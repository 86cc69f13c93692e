"""Every public page as a crawler finds it: from each language's home page, in standard and
elder mode, following every link that stays inside the site, fetched through the site's own
request handler (no network, no server needed). The inspection's link, metadata and notice
checks read the pages it gathers.

Static files and uploads are not fetched: in production the web server or WhiteNoise serves
them from storage, so a file is there when storage has it.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import translation

from . import care, languages
from .addresses import absolute, canonical_host, canonical_scheme

# A site with ten years of weekly news has a few thousand pages; a crawl that reaches far more
# is following a trap (an endless calendar, say) and stops there.
MOST_PAGES = 20_000
MOST_REDIRECTS = 5


class PageParser(HTMLParser):
    """What the checks read from a page: its links, its element ids, its <meta> tags, and the
    links inside each section named by aria-labelledby."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.meta: dict[str, str] = {}
        self.sections: dict[str, list[str]] = {}
        self._open_sections: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "meta" and ("name" in values or "property" in values):
            self.meta[values.get("name") or values["property"]] = values.get("content", "")
        if tag == "section":
            self._open_sections.append(values.get("aria-labelledby"))
        targets = [values[name] for name in ("href", "src") if values.get(name)]
        if values.get("srcset"):
            targets += [part.split()[0] for part in values["srcset"].split(",") if part.strip()]
        if tag == "link" and values.get("rel") in {"preconnect", "dns-prefetch"}:
            targets = []
        for target in targets:
            self.links.append(target)
            for section in filter(None, self._open_sections):
                self.sections.setdefault(section, []).append(target)

    def handle_endtag(self, tag: str) -> None:
        if tag == "section" and self._open_sections:
            self._open_sections.pop()


@dataclass
class Page:
    address: str
    status: int
    # Where a redirect leads, for a status 3xx.
    location: str = ""
    html: bool = False
    links: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    meta: dict[str, str] = field(default_factory=dict)
    sections: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Crawl:
    # The pages the crawl reached, by their address.
    pages: dict[str, Page] = field(default_factory=dict)
    # Every internal link: (page it is on, address it leads to, with its #fragment if any).
    internal: list[tuple[str, str]] = field(default_factory=list)
    # Links to other sites, never fetched: (page it is on, the link).
    outside: list[tuple[str, str]] = field(default_factory=list)
    # Static files and uploads the pages name, by address, and whether storage has them.
    files: dict[str, bool] = field(default_factory=dict)

    def status(self, address: str) -> int | None:
        """What a link to `address` answers in the end: None if the crawl did not reach it."""
        if address in self.files:
            return 200 if self.files[address] else 404
        page = self.final(address)
        return page.status if page else None

    def final(self, address: str) -> Page | None:
        """The page an address ends at, after the redirects it is answered with."""
        page = self.pages.get(address)
        for _hop in range(MOST_REDIRECTS):
            if page is None or not page.location:
                break
            page = self.pages.get(page.location)
        return page


def internal_address(link: str, on_page: str) -> str | None:
    """The link as a path (with query and #fragment) if it leads to a page of the site."""
    parts = urlsplit(urljoin(absolute(on_page), link))
    if parts.scheme not in {"http", "https"} or parts.netloc != canonical_host():
        return None
    query = f"?{parts.query}" if parts.query else ""
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    return f"{parts.path}{query}{fragment}"


def leaves_the_site(link: str) -> bool:
    """A link to another site (mailto:, tel: and the like lead to no site at all)."""
    parts = urlsplit(link)
    return parts.scheme in {"http", "https"} and parts.netloc != canonical_host()


def stored_file(path: str) -> bool | None:
    """Whether storage has the static file or upload at `path`; None for any other path."""
    static, media = f"/{settings.STATIC_URL.lstrip('/')}", f"/{settings.MEDIA_URL.lstrip('/')}"
    if path.startswith(static):
        name = path.removeprefix(static)
        return bool(finders.find(name)) or staticfiles_storage.exists(name)
    if path.startswith(media):
        return default_storage.exists(path.removeprefix(media))
    return None


def get(client: Client, address: str) -> HttpResponse:
    """A page as a visitor of the site's address asks for it: its host, and HTTPS when the site
    is served over it (else every page would answer with its redirect to HTTPS)."""
    return client.get(address, HTTP_HOST=canonical_host(), secure=canonical_scheme() == "https")


def fetch(client: Client, address: str, elder: bool) -> Page:
    client.cookies.clear()
    if elder:
        client.cookies[care.COOKIE] = "1"
    response = get(client, address)
    page = Page(address, response.status_code)
    if 300 <= response.status_code < 400:
        location = internal_address(response.get("Location", ""), address)
        page.location = urldefrag(location)[0] if location else ""
    elif response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
        parser = PageParser()
        parser.feed(response.content.decode(response.charset or "utf-8", "replace"))
        page.html = True
        page.links, page.ids, page.meta = parser.links, parser.ids, parser.meta
        page.sections = parser.sections
    return page


def crawl(most_pages: int = MOST_PAGES) -> dict[tuple[str, bool], Crawl]:
    """The site as each language's reader sees it in each mode."""
    crawls = {}
    for code in languages.codes():
        with translation.override(code):
            home = reverse("highlights:home")
        for elder in (False, True):
            crawls[(code, elder)] = crawl_from(home, elder, most_pages)
    return crawls


def crawl_from(home: str, elder: bool, most_pages: int) -> Crawl:
    result = Crawl()
    client = Client(raise_request_exception=False)
    queue = deque([home])
    queued = {home}
    while queue and len(result.pages) < most_pages:
        address = queue.popleft()
        page = result.pages[address] = fetch(client, address, elder)
        following = [page.location] if page.location else []
        for link in page.links:
            target = internal_address(link, address)
            if target is None:
                if leaves_the_site(link):
                    result.outside.append((address, link))
                continue
            result.internal.append((address, target))
            path = urldefrag(target)[0]
            stored = stored_file(urlsplit(path).path)
            if stored is None:
                following.append(path)
            else:
                result.files[path] = stored
        for path in following:
            if path not in queued:
                queued.add(path)
                queue.append(path)
    return result
