"""System checks for settings that would make the page cache unsafe or fragile in production."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register

REDIS_BACKENDS = {
    "django.core.cache.backends.redis.RedisCache",
    "django_redis.cache.RedisCache",
}


@register(Tags.caches, deploy=True)
def page_cache_settings(app_configs, **kwargs) -> list[Warning]:
    cache = settings.CACHES["default"]
    warnings = []
    options = cache.get("OPTIONS", {})
    if cache["BACKEND"] in REDIS_BACKENDS and not options.get("socket_timeout"):
        warnings.append(
            Warning(
                "The Redis cache has no socket_timeout: a hung Redis stalls every page.",
                hint="Set OPTIONS socket_timeout and socket_connect_timeout (see REDIS_URL).",
                id="highlights.W001",
            )
        )
    if cache["BACKEND"].endswith("LocMemCache") and settings.CONTENT_VERSION_FILE is None:
        warnings.append(
            Warning(
                "A per-process cache without CONTENT_VERSION_FILE: worker processes would keep "
                "serving pages from before a change.",
                hint="Set REDIS_URL, or leave CONTENT_VERSION_FILE at its default.",
                id="highlights.W002",
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
