"""System checks for settings that would make the site's addresses or page cache unsafe or
fragile in production."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.http.request import validate_host

# Each Redis backend, with the name of its socket timeout option.
REDIS_BACKENDS = {
    "django.core.cache.backends.redis.RedisCache": "socket_timeout",
    "django_redis.cache.RedisCache": "SOCKET_TIMEOUT",
}


@register(Tags.caches, deploy=True)
def page_cache_settings(app_configs, **kwargs) -> list[Warning]:
    cache = settings.CACHES["default"]
    warnings = []
    options = cache.get("OPTIONS", {})
    timeout = REDIS_BACKENDS.get(cache["BACKEND"])
    if timeout and not options.get(timeout):
        warnings.append(
            Warning(
                "The Redis cache has no socket_timeout: a hung Redis stalls every page.",
                hint="Set its socket timeouts in OPTIONS (see xinjing/settings.py).",
                id="highlights.W001",
            )
        )
    return warnings


@register(Tags.security, deploy=True)
def proxy_settings(app_configs, **kwargs) -> list[Warning]:
    warnings = []
    if getattr(settings, "USE_X_FORWARDED_HOST", False):
        warnings.append(
            Warning(
                "USE_X_FORWARDED_HOST lets any client name the host every absolute URL uses.",
                hint="Leave it off; nginx passes the real Host header (deploy/nginx.conf).",
                id="highlights.W003",
            )
        )
    if settings.SECURE_PROXY_SSL_HEADER and "*" in settings.ALLOWED_HOSTS:
        warnings.append(
            Warning(
                "X-Forwarded-Proto is trusted while ALLOWED_HOSTS accepts any host.",
                hint="Name the site's hosts in ALLOWED_HOSTS.",
                id="highlights.W004",
            )
        )
    return warnings


@register(Tags.urls)
def site_url_setting(app_configs, **kwargs) -> list[Error]:
    """SITE_URL must be an address the site answers at: scheme and host, nothing else."""
    address = urlsplit(settings.SITE_URL)
    problems = []
    if address.scheme not in {"http", "https"} or not address.hostname:
        problems.append("it is not an http:// or https:// address")
    if address.path or address.query or address.fragment:
        problems.append("it has a path, query or fragment")
    host_allowed = address.hostname and validate_host(address.hostname, settings.ALLOWED_HOSTS)
    if address.hostname and not host_allowed and not settings.DEBUG:
        problems.append("its host is not in ALLOWED_HOSTS")
    return [
        Error(
            f"SITE_URL {settings.SITE_URL!r} cannot be the site's address: {problem}.",
            hint="Set SITE_URL to the site's scheme and host, e.g. https://xinjing.example.org.",
            id="highlights.E001",
        )
        for problem in problems
    ]
