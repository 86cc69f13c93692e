"""Root URLs: Chinese at the root, English under /en/."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from highlights.media import serve_media
from highlights.sitemaps import SITEMAPS
from highlights.views import FaviconView, RobotsView, read_only

admin.site.site_header = _("Xinjing Highlights administration")
admin.site.site_title = _("Xinjing Highlights")

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("robots.txt", RobotsView.as_view(), name="robots_txt"),
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
    path("sitemap.xml", read_only(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("api/", include("highlights.api_urls")),
]

urlpatterns += i18n_patterns(
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("highlights.urls")),
    prefix_default_language=False,
)

if settings.SERVE_MEDIA:
    urlpatterns += [
        path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", read_only(serve_media), name="media")
    ]
