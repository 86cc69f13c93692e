"""Small middleware of our own."""

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone, translation

from . import reminders, revisions

logger = logging.getLogger(__name__)


class PermissionsPolicyMiddleware:
    """Tell browsers this site uses no camera, microphone, location or similar features."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class OversizedRequestMiddleware:
    """A request over Django's limits is a 413 on every page, at once, saying why.

    Otherwise it surfaces wherever request.GET or POST is first read, and in debug mode
    Django's error page reads it again while reporting, turning it into a 500. The page says
    nothing was saved and that the browser's Back button still holds what the person typed.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            if request.META.get("QUERY_STRING"):  # most pages have none: nothing to parse
                request.GET  # noqa: B018 - parsing is the check
            if request.method == "POST":
                request.POST  # noqa: B018 - parsing is the check
        except (TooManyFieldsSent, RequestDataTooBig):
            return self.too_big(request)
        return self.get_response(request)

    @staticmethod
    def too_big(request: HttpRequest) -> HttpResponse:
        # Answered before sessions and authentication: the page is the same for everyone,
        # and its language is the path's.
        request.user = AnonymousUser()
        language = translation.get_language_from_path(request.path_info)
        with translation.override(language or settings.LANGUAGE_CODE):
            return TemplateResponse(
                request,
                "form_too_big.html",
                {
                    "field_limit": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
                    "size_limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
                },
                status=413,
            ).render()


class ScheduledPublishingMiddleware:
    """Does what falls due without a cron job to run: publishes pending changes whose scheduled
    time has come, and tells publishers when a column is about to go stale.

    Each process looks for schedules at most every CHECK_EVERY_SECONDS (one small query), and
    at once when a schedule it knows of falls due; a schedule set in another process is seen
    within the interval. It sits in front of the page cache, so cached pages are renewed too
    (publishing starts a new content version). Columns are looked at hourly. Should the database
    or the mail server fail, the request goes on and the work is tried again later.
    """

    CHECK_EVERY_SECONDS = 30.0
    # Per process, shared by every handler: the test client builds a handler per client.
    next_check = 0.0
    next_reminder = 0.0

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        now = time.monotonic()
        if now >= ScheduledPublishingMiddleware.next_check:
            self.check()
        if now >= ScheduledPublishingMiddleware.next_reminder:
            self.remind()
        return self.get_response(request)

    @classmethod
    def check(cls) -> None:
        wait = cls.CHECK_EVERY_SECONDS
        try:
            upcoming = revisions.publish_due(timezone.now())
        except DatabaseError as error:
            logger.warning("Could not publish scheduled changes, trying again later: %r", error)
        else:
            if upcoming is not None:
                wait = min(wait, max((upcoming - timezone.now()).total_seconds(), 0.0))
        cls.next_check = time.monotonic() + wait

    @classmethod
    def remind(cls) -> None:
        cls.next_reminder = time.monotonic() + reminders.REMIND_EVERY_SECONDS
        try:
            reminders.remind_due(timezone.now())
        except (DatabaseError, OSError) as error:
            # OSError covers a mail server refusing or not answering (SMTPException too).
            logger.warning("Could not send staleness reminders, trying again later: %r", error)

    @classmethod
    def check_soon(cls) -> None:
        """A schedule changed in this process: look again on its next request."""
        cls.next_check = 0.0
