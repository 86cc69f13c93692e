"""QR codes of page addresses, drawn as inline SVG on the server (segno)."""

from __future__ import annotations

from functools import lru_cache

import segno


# Encoding is a fifth of a keyword page's rendering time, and an address always gives the same
# drawing. Addresses are bounded by the site's pages and ALLOWED_HOSTS; the bound keeps a
# worker's memory flat whatever arrives.
@lru_cache(maxsize=1024)
def address_svg(address: str) -> str:
    """The address as an accessible inline <svg role="img"> whose title is the address."""
    code = segno.make(address, error="m")
    svg = code.svg_inline(scale=1, dark="#1c2630", omitsize=True, svgclass="qr-code", title=address)
    # segno escapes the title it writes.
    return svg.replace("<svg ", '<svg role="img" ', 1)
