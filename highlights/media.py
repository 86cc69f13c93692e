"""Uploaded media: where it is stored, and serving it from Django for development and sites
with no web server in front."""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import Http404, HttpRequest, HttpResponse
from django.views.static import serve as static_serve

from .attachments import ATTACHMENTS_DIR
from .images import RENDITIONS_DIR


def serve_media(request: HttpRequest, path: str) -> HttpResponse:
    """Uploaded media, for sites without a web server in front to serve it.

    Renditions have content-hashed names and never change, so browsers may keep them for a
    year; originals may be replaced under the same name, so they are kept for a day.
    """
    if path.startswith(f"{ATTACHMENTS_DIR}/"):
        # Downloaded through the notice's own address, never opened from here (nginx alike).
        raise Http404
    response = static_serve(request, path, document_root=settings.MEDIA_ROOT)
    immutable = path.startswith(f"{RENDITIONS_DIR}/")
    response["Cache-Control"] = (
        "public, max-age=31536000, immutable" if immutable else "public, max-age=86400"
    )
    return response


class MediaStorage(FileSystemStorage):
    """Django's file system storage, leaving no partial file behind when a write fails.

    FileSystemStorage writes straight to the file's final name, so a disk that fills up in the
    middle leaves a truncated image that pages would then serve.
    """

    def _save(self, name: str, content) -> str:
        try:
            return super()._save(name, content)
        except FileExistsError:
            raise  # someone else's file under that name: never ours to remove
        except OSError:
            Path(self.path(name)).unlink(missing_ok=True)
            raise
