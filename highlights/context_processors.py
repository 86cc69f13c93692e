"""Template context every page shares."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .models import SiteIdentity


def site_identity(request: HttpRequest) -> dict:
    """The sponsoring office and filing numbers for the footer, read only if a page shows them."""
    return {"site_identity": SimpleLazyObject(SiteIdentity.current)}
