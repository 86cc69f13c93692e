"""Template context every page shares."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .care import in_care_mode
from .columns import site_columns
from .models import SiteIdentity


def site_identity(request: HttpRequest) -> dict:
    """The sponsoring office and filing numbers for the footer, read only if a page shows them."""
    return {"site_identity": SimpleLazyObject(SiteIdentity.current)}


def care_mode(request: HttpRequest) -> dict:
    return {"care_mode": in_care_mode(request)}


def columns(request: HttpRequest) -> dict:
    """The site's columns for the menu, read once per request with the page's own column."""
    return {"site_columns": site_columns(request)}
