"""The site's absolute addresses, from settings.SITE_URL and never from a request's Host header,
which a visitor chooses: a page, PDF, feed or QR code cached or printed for one visitor must
not send the next one to an address the first made up."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest


def absolute(path: str) -> str:
    """`path` (absolute, as reverse() and get_absolute_url() give it) on the site's address."""
    return settings.SITE_URL + "/" + path.lstrip("/\\")


def canonical_host() -> str:
    return urlsplit(settings.SITE_URL).netloc


def canonical_scheme() -> str:
    return urlsplit(settings.SITE_URL).scheme


class CanonicalRequest:
    """A request that answers with the site's address when asked for its host or scheme: for
    Django's feed views, which build their links from the request."""

    def __init__(self, request: HttpRequest) -> None:
        self._request = request

    def __getattr__(self, name: str):
        return getattr(self._request, name)

    def get_host(self) -> str:
        return canonical_host()

    def is_secure(self) -> bool:
        return canonical_scheme() == "https"

    def build_absolute_uri(self, location: str | None = None) -> str:
        return absolute(location if location is not None else self._request.get_full_path())
