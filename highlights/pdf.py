"""A review as a PDF to forward and print: WeasyPrint, with the Noto CJK fonts embedded.

Built on the first request after any change and kept under the content version and language,
so a publication is in the next PDF and nothing is rebuilt in between; every address in it is
the site's own (SITE_URL), never the request's. Staff, who may see unpublished content, get one
built for them and kept by no one. The cache fails open: without it every request builds the
PDF (a second or two).
"""

from __future__ import annotations

import mimetypes
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import get_language
from PIL import ImageFile
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .addresses import absolute
from .cache import CacheUnavailableError, keep_quietly, read_quietly, request_content_version
from .models import Review
from .publishing import sees_unpublished

# Importing WeasyPrint tells Pillow, process-wide, to accept truncated images. Uploads must
# still refuse them (images.py), and the PDF only embeds images that were checked on upload.
ImageFile.LOAD_TRUNCATED_IMAGES = False

STYLESHEET = "css/review_pdf.css"
# How long a built PDF may stay: a new content version makes it unreachable sooner.
CACHE_SECONDS = 24 * 60 * 60


def review_pdf(review: Review, request: HttpRequest) -> bytes:
    if sees_unpublished(request.user):
        return build(review, request)
    try:
        key = f"review-pdf:{request_content_version(request)}:{review.pk}:{get_language()}"
    except CacheUnavailableError:
        return build(review, request)
    pdf = read_quietly(key)
    if pdf is None:
        pdf = build(review, request)
        keep_quietly(key, pdf, CACHE_SECONDS)
    return pdf


def build(review: Review, request: HttpRequest) -> bytes:
    html = render_to_string("highlights/review_pdf.html", {"review": review}, request=request)
    return HTML(string=html, base_url=absolute("/"), url_fetcher=MediaFetcher()).write_pdf(
        stylesheets=[CSS(filename=finders.find(STYLESHEET))]
    )


class MediaFetcher(URLFetcher):
    """Images come from our own media storage, never over the network: the PDF is built
    inside a request, and fetching our own site from it could wait on itself."""

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        path = urlparse(url).path
        if not path.startswith(settings.MEDIA_URL):
            raise ValueError(f"Only media files are embedded in the PDF, not {url}")
        name = path.removeprefix(settings.MEDIA_URL)
        with default_storage.open(name) as file:
            body = file.read()
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})
