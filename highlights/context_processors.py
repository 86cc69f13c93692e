"""Template context every page shares."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .care import in_care_mode
from .models import SiteIdentity


def site_identity(request: HttpRequest) -> dict:
    """The sponsoring office and filing numbers for the footer, read only if a page shows them."""
    return {"site_identity": SimpleLazyObject(SiteIdentity.current)}


def care_mode(request: HttpRequest) -> dict:
    return {"care_mode": in_care_mode(request)}
