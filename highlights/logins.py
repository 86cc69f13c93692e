"""Staff logins and django-axes: whose address a failed login counts against.

Behind the documented nginx (deploy/nginx.conf), REMOTE_ADDR is nginx's own, 127.0.0.1 for
everyone: five wrong passwords from anyone would lock a publisher out for every client. Each
trusted proxy appends the address it was reached from to X-Forwarded-For, so the client's
address is the entry the outermost trusted proxy appended: TRUSTED_PROXIES entries from the
right. Entries to the left of it come from the client, who may write anything there.

(django-ipware, which axes can use, was tried: with proxy_order="right-most" it returned the
client-written entry of "forged, real" as the address. The rule we need is a few lines.)
"""

from __future__ import annotations

from ipaddress import ip_address

from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone


def client_address(request: HttpRequest) -> str | None:
    """The address a login attempt came from (AXES_CLIENT_IP_CALLABLE)."""
    proxies = settings.TRUSTED_PROXIES
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if proxies and len(forwarded) >= proxies:
        candidate = forwarded[-proxies]
        try:
            return str(ip_address(candidate))
        except ValueError:
            pass  # a proxy that writes no address: fall back to the one that reached us
    return request.META.get("REMOTE_ADDR")


def lockout_parameters(request_or_attempt, credentials: dict | None = None) -> list:
    """What failed logins are counted by (AXES_LOCKOUT_PARAMETERS): each username from each
    address, so that a publisher elsewhere still logs in while an attacker's address is locked;
    and, once an address has failed AXES_ADDRESS_FAILURE_LIMIT times within the cool-off across
    any usernames, that address alone, so that nobody can try a few passwords on each of many
    accounts. The second limit is higher: a town office shares one address."""
    address = getattr(request_or_attempt, "axes_ip_address", None) or getattr(
        request_or_attempt, "ip_address", None
    )
    if address is None and isinstance(request_or_attempt, HttpRequest):
        address = client_address(request_or_attempt)
    if address and failures_from(address) >= settings.AXES_ADDRESS_FAILURE_LIMIT:
        return ["ip_address"]
    return [["username", "ip_address"]]


def failures_from(address: str) -> int:
    from axes.models import AccessAttempt

    recent = AccessAttempt.objects.filter(
        ip_address=address, attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME
    )
    return recent.aggregate(failures=Sum("failures_since_start"))["failures"] or 0
