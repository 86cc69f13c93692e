"""Settings come from the environment, and production refuses unsafe values."""

import json
import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from highlights.checks import site_url_setting
from xinjing.settings import cache_at_redis

SAFE_ENV = {
    key: value
    for key, value in os.environ.items()
    if key not in {"DJANGO_DEBUG", "DEBUG", "SECRET_KEY", "DATABASE_URL", "SITE_URL"}
}


def python(code: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=settings.BASE_DIR,
        env=SAFE_ENV | {"DJANGO_SETTINGS_MODULE": "xinjing.settings"} | env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    """With DEBUG off and no SECRET_KEY, the site will not start."""
    result = python("pass")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


# What a production process sees, read once for the tests below: each subprocess pays for a whole
# Django start-up.
PRODUCTION_FACTS = """
import json, logging
from django.conf import settings as s
from django.urls import Resolver404, resolve
try:
    resolve("/media/covers/a.jpg")
    media = "served"
except Resolver404:
    media = "not served"
logging.getLogger("django.request").error("Internal Server Error: /boom/")
flags = ("SECURE", "HTTPONLY", "SAMESITE")
cookies = {
    kind: [getattr(s, f"{kind}_COOKIE_{flag}") for flag in flags] for kind in ("SESSION", "CSRF")
}
print(json.dumps({"debug": s.DEBUG, "allowed_hosts": s.ALLOWED_HOSTS, "media": media,
                  "cookies": cookies}))
"""
PRODUCTION_ENV = {
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "news.example.org",
    "SITE_URL": "https://news.example.org",
}


def production_facts(**env: str) -> tuple[dict, str]:
    """The facts above and what the process wrote to stderr."""
    result = python(PRODUCTION_FACTS, **PRODUCTION_ENV, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout), result.stderr


@pytest.fixture(scope="module")
def production() -> tuple[dict, str]:
    return production_facts()


def test_production_with_a_secret_key_starts_with_debug_off(production):
    """A real secret key is enough to start, and debug stays off."""
    facts, _ = production
    assert facts["debug"] is False
    assert facts["allowed_hosts"] == ["news.example.org"]


def test_database_url_selects_postgresql():
    """DATABASE_URL=postgres://… configures PostgreSQL; unset means an SQLite file."""
    code = "from django.db import connection; print(connection.vendor)"
    assert python(code, DJANGO_DEBUG="1").stdout.strip() == "sqlite"
    postgres = python(code, DJANGO_DEBUG="1", DATABASE_URL="postgres://u@127.0.0.1:5432/x")
    assert postgres.stdout.strip() == "postgresql"


def test_production_cookies_are_secure_http_only_and_same_site(production):
    """With production settings, session and CSRF cookies are Secure, HttpOnly and SameSite."""
    facts, _ = production
    assert facts["cookies"] == {"SESSION": [True, True, "Lax"], "CSRF": [True, True, "Lax"]}


def test_unprefixed_pages_are_chinese_whatever_the_browser_asks(client, review_2023):
    """Chinese is the site's language at /, English lives under /en/."""
    chinese = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert chinese["Content-Language"] == "zh-hans"
    assert client.get("/en/")["Content-Language"] == "en"


def test_deploy_check_is_clean_with_production_settings():
    """manage.py check --deploy reports nothing when production settings are used."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=SAFE_ENV
        | {
            "SECRET_KEY": "k3-" + "x9Qz!" * 12,
            "ALLOWED_HOSTS": "xinjing.example.org",
            "SITE_URL": "https://xinjing.example.org",
            "DJANGO_SETTINGS_MODULE": "xinjing.settings",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_serves_media_only_when_asked(production):
    """With DEBUG off, /media/ is left to the web server in front unless SERVE_MEDIA=1."""
    facts, _ = production
    assert facts["media"] == "not served"
    served, _ = production_facts(SERVE_MEDIA="1")
    assert served["media"] == "served"


def test_production_errors_are_logged_to_stderr_one_grepable_line_each(production):
    """With DEBUG off, a server error reaches stderr as `<time> ERROR django.request …`."""
    _, stderr = production
    assert re.search(
        r"^\S+ \S+ ERROR django\.request Internal Server Error: /boom/$", stderr, re.MULTILINE
    ), stderr


def test_gunicorn_trusts_proxy_headers_only_when_told(monkeypatch):
    """X-Forwarded-Proto and X-Forwarded-Ssl are ignored unless TRUST_X_FORWARDED_PROTO is on."""
    path = Path(settings.BASE_DIR) / "deploy" / "gunicorn.conf.py"

    def load(**env: str) -> dict:
        for name in ("TRUST_X_FORWARDED_PROTO", "FORWARDED_ALLOW_IPS"):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(path))

    untrusted = load()
    assert untrusted["forwarded_allow_ips"] == ""
    assert untrusted["secure_scheme_headers"] == {}
    trusted = load(TRUST_X_FORWARDED_PROTO="1")
    assert trusted["forwarded_allow_ips"] == "127.0.0.1"
    assert "secure_scheme_headers" not in trusted


def test_checks_warn_about_a_fragile_cache_or_proxy_setup(settings):
    """manage.py check --deploy names a Redis without timeouts and a forgeable host."""
    from highlights.checks import page_cache_settings, proxy_settings

    assert page_cache_settings(None) == []
    for backend in ("django.core.cache.backends.redis.RedisCache", "django_redis.cache.RedisCache"):
        settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": "redis://127.0.0.1:6379/0"}}
        assert [warning.id for warning in page_cache_settings(None)] == ["highlights.W001"]
    settings.CACHES = {"default": cache_at_redis("redis://127.0.0.1:6379/0", "xinjing", 0.5)}
    assert page_cache_settings(None) == []
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert page_cache_settings(None) == []
    assert proxy_settings(None) == []
    settings.USE_X_FORWARDED_HOST = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.ALLOWED_HOSTS = ["*"]
    assert [warning.id for warning in proxy_settings(None)] == [
        "highlights.W003",
        "highlights.W004",
    ]


def test_collectstatic_leaves_out_files_the_site_never_serves(settings, tmp_path):
    """No browsable API's Bootstrap and no ReDoc; the Swagger UI of the API reference stays."""
    settings.STATIC_ROOT = tmp_path
    call_command("collectstatic", interactive=False, verbosity=0)
    collected = {path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*")}
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in collected
    assert "admin/css/base.css" in collected
    assert not {path for path in collected if "rest_framework" in path or "redoc" in path}


@pytest.mark.parametrize(
    ("site_url", "problem"),
    [
        ("ftp://news.example.org", "not an http:// or https:// address"),
        ("https://news.example.org/town/", "has a path"),
        ("https://elsewhere.example.org", "not in ALLOWED_HOSTS"),
    ],
)
def test_a_site_url_the_site_cannot_answer_at_is_an_error(settings, site_url, problem):
    """SITE_URL is checked: a scheme and one of the site's hosts, nothing more."""
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["news.example.org"]
    settings.SITE_URL = site_url
    errors = site_url_setting(None)
    assert [error.id for error in errors] == ["highlights.E001"]
    assert problem in errors[0].msg


def test_production_refuses_to_start_without_a_site_url():
    """With DEBUG off and no SITE_URL, the site will not start."""
    result = python("pass", SECRET_KEY="x" * 50, ALLOWED_HOSTS="news.example.org")
    assert result.returncode != 0
    assert "SITE_URL must be set" in result.stderr
