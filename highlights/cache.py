"""A whole-page cache for anonymous visitors, invalidated by any change to content.

A page's key is its whole address (scheme, host, path and the query string it reads, so a
request with another Host or protocol can never fill the cache for everyone else), under a
prefix of the content version and the reader's mode. The content version lives in the database
(models.ContentVersion), and every change to content renews it in its own transaction, so the
change and the new version commit together: whatever the cache was doing then (down, frozen),
every worker's next request asks for pages under the new version.
The version also remembers when the next scheduled publish date falls, and is renewed then.
Whole responses are stored, headers included; they are the one cache of rendered HTML. Each
process keeps the pages it served lately in its own memory (LocalPages), in front of Redis where
there is one, under the same keys and for the time they have left: a hit costs no round trip to
Redis, and a change is seen by every process's next request all the same.

A cached page is served before sessions, locale, CSRF, users, messages or login lockouts are
looked at, with the security headers it was stored with; a hit costs one query (the version)
and answers conditional requests itself. When many ask for a page no one has cached yet under
the current version (the second after a publish), one request renders it while the others wait
for its copy, on every worker and host that share the cache.

Requests carrying a session cookie (staff, possibly logged in) are never served from or stored
in the cache, and get `Cache-Control: private`. Query parameters a view does not read
(`?from=singlemessage`, `?utm_source=…`) are dropped before the view runs: such a request gets
the page's own cached copy and never creates an entry.

The cache fails open: if Redis is down or hangs (short socket timeouts, see settings), pages are
rendered as if there were no cache, the error is logged, and the cache is left alone for a few
seconds before it is tried again. If the database cannot be read, cached pages of the last
version this process saw are still served: nothing can change while it is down.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import pickle
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import cachetools
from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse
from django.http.cookie import SimpleCookie
from django.http.response import ResponseHeaders
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import (
    get_conditional_response,
    get_max_age,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import parse_http_date_safe

from .care import in_care_mode
from .publishing import unit_models

logger = logging.getLogger(__name__)

# After a cache failure, how long every request skips the cache before it is tried again.
RETRY_AFTER_SECONDS = 5.0
# The page's language comes from its URL, and a request with a session cookie is never cached,
# so these two Vary headers (which LocaleMiddleware and this cache add for browsers and shared
# caches downstream) say nothing the key does not. A page varying on any other header is not
# stored: so the key is the address alone.
#
# Not Django's get_cache_key / learn_cache_key: they keep each address's Vary header list as an
# entry of its own, which every hit reads before the page, a second round trip to Redis for a
# list that is always empty here.
VARY_IN_ADDRESS = {"cookie", "accept-language"}
# While one request renders a page, how long others wait for its copy (polling every
# RENDER_POLL_SECONDS) before rendering it themselves; and how long a render may hold the page,
# should its worker die while rendering.
RENDER_WAIT_SECONDS = 5.0
RENDER_POLL_SECONDS = 0.02
RENDER_LOCK_SECONDS = 10
# The keys' first part, renamed whenever what is stored under them changes shape, so that pages
# stored by an earlier release (a shared Redis, workers restarted one by one) are never read.
ENTRY_FORMAT = "page-until"
# How many pages each process keeps in its own memory: some 15 MB a worker.
LOCAL_PAGES_KEPT = 300


class CacheUnavailableError(Exception):
    """The cache or the content version could not be used for this request."""


class Outage:
    """Per process: whether the cache failed recently, so that requests stop waiting on it."""

    until = 0.0

    @classmethod
    def active(cls) -> bool:
        return time.monotonic() < cls.until

    @classmethod
    def begin(cls, error: Exception) -> None:
        logger.warning("Page cache unavailable, serving uncached pages: %r", error)
        cls.until = time.monotonic() + RETRY_AFTER_SECONDS


def guarded(operation: Callable, *args):
    """Run a cache operation; any failure (refused, timed out) becomes CacheUnavailableError."""
    try:
        return operation(*args)
    except Exception as error:  # Redis and socket errors have no common base beyond Exception.
        Outage.begin(error)
        raise CacheUnavailableError from error


def read_quietly(key: str):
    """A cached value, or None when it is missing or the cache is failing (or just failed)."""
    if Outage.active():
        return None
    try:
        return guarded(cache.get, key)
    except CacheUnavailableError:
        return None


def keep_quietly(key: str, value, seconds: int) -> None:
    """Cache a value if the cache works; carry on without it if it does not."""
    if not Outage.active():
        with contextlib.suppress(CacheUnavailableError):
            guarded(cache.set, key, value, seconds)


def next_scheduled_change() -> datetime | None:
    """The earliest moment pages will change with no save at all: a publish date, a notice's
    expiry."""
    now = timezone.now()
    dates = [model.objects.next_change(now) for model in unit_models()]
    return min((date for date in dates if date), default=None)


def renew_content_version(**current) -> None:
    """A new token, and the next scheduled publish date as the data now stands; `current`
    narrows it to a version still as read (two workers finding a schedule due renew it once)."""
    from .models import ContentVersion

    values = {"token": uuid.uuid4().hex, "next_change": next_scheduled_change()}
    renewed = ContentVersion.objects.filter(pk=1, **current).update(**values)
    if not renewed and not current:  # a database without the row yet (flushed, restored)
        ContentVersion.objects.get_or_create(pk=1, defaults=values)


class LastSeen:
    """Per process: the version last read, served while the database cannot be read."""

    token: str | None = None


# The ContentVersion table, named here so that a hit spends nothing finding it (tested).
VERSION_QUERY = 'SELECT token, next_change FROM "highlights_contentversion" WHERE id = 1'


def content_version() -> str:
    """The current content version, renewed once the next scheduled publication is due.

    The one query of every cached page, so it is read straight from the database driver's
    connection, with no parameters, and the due date is compared here: through the ORM it took
    more than half of a hit's time, and through Django's cursor wrappers a sixth.
    """
    try:
        row = version_row(connections[DEFAULT_DB_ALIAS])
        if row is None or has_come(row[1]):
            from .models import ContentVersion

            renew_content_version(**({"token": row[0]} if row else {}))
            row = ContentVersion.objects.values_list("token").get(pk=1)
    except DatabaseError as error:
        if LastSeen.token is None:
            raise CacheUnavailableError from error
        logger.warning("Content version unreadable, serving version %s: %r", LastSeen.token, error)
        return LastSeen.token
    LastSeen.token = row[0]
    return row[0]


def version_row(database: BaseDatabaseWrapper) -> tuple[str, datetime | None] | None:
    """The version row's token and next change, read on the driver's own connection, kept as
    Django keeps it (health check, reconnection, its errors as Django's, which also close a
    broken connection at the end of the request). Django counts no query for it."""
    database.close_if_health_check_failed()
    database.ensure_connection()
    with database.wrap_database_errors:
        # Both drivers (sqlite3, psycopg) run a statement on the connection itself.
        return database.connection.execute(VERSION_QUERY).fetchone()


def has_come(moment: datetime | None) -> bool:
    """Whether a date read with plain SQL is now or past: SQLite gives the UTC time Django wrote
    without its zone (USE_TZ), PostgreSQL an aware one."""
    if moment is None:
        return False
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    return moment <= timezone.now()


def request_content_version(request: HttpRequest) -> str:
    """The content version, read once per request (the page cache and the PDF share it)."""
    if not hasattr(request, "content_version"):
        request.content_version = content_version()
    return request.content_version


def renewed_in_this_transaction() -> None:
    """A marker among the transaction's commit callbacks: the version is renewed already."""


def record_content_change(sender=None, **kwargs) -> None:
    """Signal receiver for any content change: renews the content version in the same
    transaction, so that no page built before the change is served once it has committed.

    Many saves in one transaction (a form with inlines, loaddata) renew it once, unless a unit
    (whose publish date the version keeps) is among them. Rolled back, the renewal goes too.
    """
    connection = transaction.get_connection()
    queued = (entry[1] for entry in connection.run_on_commit)
    if (
        connection.in_atomic_block
        and sender not in unit_models()
        and renewed_in_this_transaction in queued
    ):
        return
    renew_content_version()
    transaction.on_commit(renewed_in_this_transaction)


# The request headers that may turn a stored page into 304 Not Modified (or 412).
CONDITIONAL_HEADERS = frozenset(
    {"HTTP_IF_MATCH", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_UNMODIFIED_SINCE"}
)


def cacheable_request(request: HttpRequest) -> bool:
    if request.method not in {"GET", "HEAD"} or settings.PAGE_CACHE_SECONDS <= 0:
        return False
    if sends_cookies(request) and settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    return not request.path_info.startswith(settings.PAGE_CACHE_SKIP_PREFIXES)


def sends_cookies(request: HttpRequest) -> bool:
    """Whether the request carries cookies: most visitors' carry none, and a hit is spared
    parsing an empty header."""
    return bool(request.META.get("HTTP_COOKIE"))


def parameters_read(request: HttpRequest, match=None) -> set[str] | None:
    """The query parameters the page's view reads, or None if it does not say (function views:
    the sitemap, feeds) or the path is no page."""
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
    view_class = getattr(match.func, "view_class", None)
    return set(view_class.query_parameters) if hasattr(view_class, "query_parameters") else None


def keep_only_parameters_read(request: HttpRequest) -> None:
    """Drop the query parameters the page's view does not read, before the view runs.

    WeChat adds ?from=singlemessage&isappinstalled=0 to every link shared in it, and campaigns
    add ?utm_source=…: the page is the same without them, so the visitor gets the page's one
    cached copy, and no such parameter makes an entry of its own.
    """
    if not request.META.get("QUERY_STRING"):
        return  # most requests: no need to parse a query or find the view
    # The view is found as LocaleMiddleware will find it, in the language of the path.
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        read = parameters_read(request)
    if read is None or set(request.GET) <= read:
        return
    kept = request.GET.copy()
    for name in set(kept) - read:
        del kept[name]
    request.GET = kept
    request.META["QUERY_STRING"] = kept.urlencode()


def reads_every_parameter(request: HttpRequest) -> bool:
    """Whether the view that answered reads every query parameter of the request: a view that
    does not say which it reads is stored only for requests without any."""
    read = parameters_read(request, request.resolver_match) if request.resolver_match else None
    return set(request.GET) <= (read or set())


def cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
    # HEAD is answered from the GET entry (its body dropped on the way out), never stored itself.
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in response.get("Cache-Control", "")
        and kept_for(response) > 0
        and not vary_headers(response) - VARY_IN_ADDRESS
        and reads_every_parameter(request)
    )


def kept_for(response: HttpResponse) -> int:
    """How long the page is kept: the site's setting, or less if the page says it changes
    sooner on its own (a place that opens at 9:00 sends max-age up to then)."""
    max_age = get_max_age(response)
    if max_age is None:
        return settings.PAGE_CACHE_SECONDS
    return min(max_age, settings.PAGE_CACHE_SECONDS)


def vary_headers(response: HttpResponse) -> set[str]:
    return {name.strip().lower() for name in response.get("Vary", "").split(",") if name.strip()}


def page_key(address: str, prefix: str) -> str:
    """The page's entry: its whole address, under the version and the reader's mode."""
    return f"{prefix}:{hashlib.md5(address.encode(), usedforsecurity=False).hexdigest()}"


def key_prefix(version: str, request: HttpRequest) -> str:
    """The content version, and the reader's mode: elder-mode pages are cached apart."""
    care = sends_cookies(request) and in_care_mode(request)
    return f"{ENTRY_FORMAT}:{version}:{'care' if care else 'standard'}"


class LocalPages:
    """This process's own copies of the pages it served lately, each until its time is up, the
    least recently served going first when full: in front of Redis, or the page cache itself
    when there is no Redis (a cache in this process's memory is all it would be).

    A copy here is as fresh as the shared one: its key holds the content version, read from
    the database on every request, so a change committed by any worker on any host makes both
    unreachable at once (tests/test_site_identity.py runs two workers on Redis).

    Not Django's local-memory cache: it pickles every page on the way in and out and checks
    every key character by character, 10 µs of a 90-µs hit (in-process, a 23 KB page). Here
    the page is kept as the response it was, and each hit gets a copy of its own (served_copy):
    2 µs. cachetools' LRU cache, not its TLRU cache, whose expiry bookkeeping costs a lookup
    three times as much: a page's time is checked here when it is read.
    """

    def __init__(self, size: int) -> None:
        self.pages = cachetools.LRUCache(maxsize=size)
        # cachetools' caches are not safe for threads (runserver's, gthread workers) on their own.
        self.lock = threading.Lock()

    def get(self, key: str) -> HttpResponse | None:
        with self.lock:
            entry = self.pages.get(key)
        if entry is None or entry[0] <= time.time():
            return None
        return served_copy(entry[1])

    def keep(self, key: str, page: HttpResponse, expires: float) -> None:
        with self.lock:
            self.pages[key] = (expires, page)

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()


local_pages = LocalPages(LOCAL_PAGES_KEPT)


def served_copy(page: HttpResponse) -> HttpResponse:
    """A response of its own for one request, so that nothing done to it (the handler adds its
    closers; a header or cookie set on the way out) reaches the kept page or its next visitor.
    The body, bytes that never change, is shared.

    Built from the kept page's attributes (plain values, as pickling left them: kept_copy)
    rather than by copy.copy, which goes through the pickling protocol at five times the cost.
    Django's header mapping offers no copy of its own (its copy() is itself), and building one
    anew checks every header again: its private store is a plain dictionary.
    """
    headers = ResponseHeaders({})
    headers._store = page.headers._store.copy()
    served = object.__new__(type(page))
    served.__dict__ = {
        **page.__dict__,
        "headers": headers,
        "cookies": SimpleCookie(),  # a kept page has none (cacheable_response)
        "_container": [*page._container],
        "_resource_closers": [],
    }
    return served


def kept_copy(page: HttpResponse) -> HttpResponse:
    """The page as a cache keeps it: pickled and back, so that it holds nothing of the request
    that rendered it (the request, the template context) and shares nothing with the response
    going out to that request."""
    return pickle.loads(pickle.dumps(page, pickle.HIGHEST_PROTOCOL))  # noqa: S301 - our own bytes


def shared_cache() -> bool:
    """Whether the cache is shared between processes (Redis), rather than this one's memory."""
    return not isinstance(caches[DEFAULT_CACHE_ALIAS], LocMemCache)


def stored_page(key: str) -> HttpResponse | None:
    """The page kept under `key`: this process's copy, else the shared cache's (copied here
    for as long as it has left)."""
    if (page := local_pages.get(key)) is not None:
        return page
    if not shared_cache():
        return None
    entry = guarded(cache.get, key)
    if entry is None:
        return None
    expires, page = entry
    if expires <= time.time():  # its time is up by this host's clock, though the cache kept it
        return None
    local_pages.keep(key, page, expires)
    return served_copy(page)


def store_page(key: str, page: HttpResponse, seconds: int) -> None:
    expires = time.time() + seconds
    if shared_cache():
        guarded(cache.set, key, (expires, page), seconds)
    local_pages.keep(key, kept_copy(page), expires)


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not cacheable_request(request):
            response = self.get_response(request)
            if settings.SESSION_COOKIE_NAME in request.COOKIES:
                # Possibly a logged-in staff member's page: no shared cache may keep it.
                patch_cache_control(response, private=True)
            return response
        if Outage.active():
            return self.get_response(request)
        try:
            return self.cached_or_fresh(request)
        except CacheUnavailableError:
            return self.get_response(request)

    def cached_or_fresh(self, request: HttpRequest) -> HttpResponse:
        keep_only_parameters_read(request)
        # A Host the site does not answer to is Django's 400 (DisallowedHost) here, in building
        # the page's address, before the cache or the content version is asked: never taken
        # for the cache failing.
        # The path as the view reads it: get_full_path() would escape it again, for nothing.
        query = request.META.get("QUERY_STRING", "")
        address = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
        key = page_key(address, key_prefix(request_content_version(request), request))
        cached = stored_page(key)
        if cached is not None:
            return self.hit(request, cached)
        lock = f"{key}:rendering"
        deadline = time.monotonic() + RENDER_WAIT_SECONDS
        while not guarded(cache.add, lock, True, RENDER_LOCK_SECONDS):
            # Another request is rendering this page: its copy is ours when it is stored.
            time.sleep(RENDER_POLL_SECONDS)
            cached = stored_page(key)
            if cached is not None:
                return self.hit(request, cached)
            if time.monotonic() > deadline:
                return self.fresh(request, key)
        try:
            # The page may have been stored between this request's last look and the lock.
            cached = stored_page(key)
            return self.hit(request, cached) if cached is not None else self.fresh(request, key)
        finally:
            with contextlib.suppress(CacheUnavailableError):
                guarded(cache.delete, lock)

    @staticmethod
    def hit(request: HttpRequest, cached: HttpResponse) -> HttpResponse:
        """The stored page (marked as a hit when it was stored), or 304 Not Modified if the
        visitor holds it already: the page cache sits before ConditionalGetMiddleware, so it
        answers for it. Most requests ask nothing of the kind, and are spared its parsing."""
        if not CONDITIONAL_HEADERS.intersection(request.META):
            return cached
        last_modified = cached.get("Last-Modified")
        return get_conditional_response(
            request,
            etag=cached.get("ETag"),
            last_modified=last_modified and parse_http_date_safe(last_modified),
            response=cached,
        )

    def fresh(self, request: HttpRequest, key: str) -> HttpResponse:
        response = self.get_response(request)
        cacheable = cacheable_response(request, response)
        # Shared caches between here and the browser must not hand this page to a logged-in user.
        patch_vary_headers(response, ["Cookie"])
        if cacheable:
            # The page is rendered: if storing it fails, serve it all the same, never twice.
            response["X-Page-Cache"] = "hit"  # stored so, as every later copy is served
            try:
                store_page(key, response, kept_for(response))
            except CacheUnavailableError:
                del response["X-Page-Cache"]
            else:
                response["X-Page-Cache"] = "miss"
        return response
