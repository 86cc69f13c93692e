"""Uploaded media served by Django, for development and sites with no web server in front."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.static import serve as static_serve

from .images import RENDITIONS_DIR


def serve_media(request: HttpRequest, path: str) -> HttpResponse:
    """Uploaded media, for sites without a web server in front to serve it.

    Renditions have content-hashed names and never change, so browsers may keep them for a
    year; originals may be replaced under the same name, so they are kept for a day.
    """
    response = static_serve(request, path, document_root=settings.MEDIA_ROOT)
    immutable = path.startswith(f"{RENDITIONS_DIR}/")
    response["Cache-Control"] = (
        "public, max-age=31536000, immutable" if immutable else "public, max-age=86400"
    )
    return response
