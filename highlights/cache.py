"""A whole-page cache for anonymous visitors, invalidated by any change to content.

Every cache key carries the content version. Saving or deleting any content row bumps the
version, and so does the moment a scheduled item goes live (the version remembers when the next
scheduled publish date falls). A cached page is served before sessions or users are looked at,
so a hit costs no database query. Requests carrying a session cookie (staff, possibly logged in)
are never served from or stored in the cache, nor is any response that sets a cookie or used a
CSRF token.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Callable
from datetime import datetime

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models import Min
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers

STATE_KEY = "content-state"
KEPT_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Content-Disposition",
    "Vary",
    "ETag",
    "Last-Modified",
)


def next_scheduled_change() -> datetime | None:
    """The earliest future publish date: when pages will change with no save at all."""
    from .publishing import Publishable

    now = timezone.now()
    dates = [
        model.objects.filter(publish_at__gt=now).aggregate(next=Min("publish_at"))["next"]
        for model in apps.get_app_config("highlights").get_models()
        if issubclass(model, Publishable)
    ]
    return min((date for date in dates if date), default=None)


def shared_marker() -> str:
    """What all worker processes agree on: the version file's content (empty with Redis)."""
    path = settings.CONTENT_VERSION_FILE
    if path is None:
        return ""
    try:
        return path.read_text()
    except FileNotFoundError:
        return "initial"


def remember_state(marker: str) -> str:
    version = f"{marker}-{timezone.now().timestamp():.6f}"
    cache.set(STATE_KEY, (version, next_scheduled_change(), marker), timeout=None)
    return version


def content_version() -> str:
    """The current content version, renewed once the next scheduled publication is due."""
    marker = shared_marker()
    state = cache.get(STATE_KEY)
    if state is not None and state[2] == marker:
        version, due, _marker = state
        if due is None or timezone.now() < due:
            return version
        return bump_content_version()
    # First request of this process, or another process changed content.
    return remember_state(marker)


def bump_content_version(**kwargs) -> str:
    """Start a new version: every cached page becomes stale at once. Also a signal receiver.

    With a per-process cache (local memory), the new version is also written to a file that
    every worker process reads, so a save in one worker reaches the others.
    """
    path = settings.CONTENT_VERSION_FILE
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(uuid.uuid4().hex)
        temporary.replace(path)
    return remember_state(shared_marker())


def page_key(request: HttpRequest, version: str) -> str:
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"page:{version}:{request.method}:{digest}"


def cacheable_request(request: HttpRequest) -> bool:
    if request.method not in {"GET", "HEAD"} or settings.PAGE_CACHE_SECONDS <= 0:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    path = request.path_info
    return not any(path.startswith(prefix) for prefix in settings.PAGE_CACHE_SKIP_PREFIXES)


def cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in response.get("Cache-Control", "")
    )


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not cacheable_request(request):
            return self.get_response(request)
        key = page_key(request, content_version())
        cached = cache.get(key)
        if cached is not None:
            status, headers, content = cached
            response = HttpResponse(content, status=status)
            for name, value in headers.items():
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        # Shared caches between here and the browser must not hand this page to a logged-in user.
        patch_vary_headers(response, ["Cookie"])
        if cacheable_response(request, response):
            headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
            stored = (response.status_code, headers, response.content)
            cache.set(key, stored, settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response
