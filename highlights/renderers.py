"""The API's JSON renderer (its own module: DRF imports it while settings load)."""

from rest_framework.renderers import JSONRenderer

from .safe_json import html_safe


class SafeJSONRenderer(JSONRenderer):
    """JSON whose strings cannot open markup, even if a client pastes them into a page."""

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        rendered = super().render(data, accepted_media_type, renderer_context)
        return html_safe(rendered.decode()).encode()
