"""The benchmark's framework floor: a stored page returned from memory, no query, no template.

Routed only by bench/urls.py, which bench/run.py selects with bench/settings.py: never part of
the site itself.
"""

from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views import View


class FrameworkFloorView(View):
    html = b""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not self.html:
            type(self).html = Path(settings.BENCH_FLOOR_FILE).read_bytes()
        response = HttpResponse(self.html, content_type="text/html; charset=utf-8")
        # Private: the page cache must not short-cut the floor it is compared with.
        response["Cache-Control"] = "private"
        return response
