"""Elder mode (关怀版): larger text and tap targets, chosen by the reader and kept in a cookie.

MIIT's 互联网网站适老化通用设计规范 asks government sites for it: main text at least 18 pt,
line spacing at least 1.3, contrast at least 4.5:1, large targets, no pop-ups. The choice is
a plain link (no JavaScript) to CareModeView, which sets or clears the cookie and goes back.
Pages differ by mode, so the page cache keys on it (cache.key_prefix), and so must any cache
in front (deploy/nginx.conf).
"""

from django.http import HttpRequest

COOKIE = "care"
# A reader's choice, kept for a year; it says nothing about them beyond that choice.
COOKIE_SECONDS = 365 * 24 * 60 * 60


def in_care_mode(request: HttpRequest) -> bool:
    return request.COOKIES.get(COOKIE) == "1"
