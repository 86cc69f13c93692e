"""Small response middleware of our own."""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.views.defaults import bad_request


class PermissionsPolicyMiddleware:
    """Tell browsers this site uses no camera, microphone, location or similar features."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class OversizedQueryMiddleware:
    """A query string with more fields than Django accepts is a 400 on every page, at once.

    Otherwise it surfaces wherever request.GET is first read, and in debug mode Django's error
    page reads it again while reporting, turning the 400 into a 500.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            request.GET  # noqa: B018 - parsing is the check
        except TooManyFieldsSent as error:
            return bad_request(request, error)
        return self.get_response(request)
