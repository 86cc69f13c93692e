"""JSON that may be pasted into HTML: no string in it can close a <script> or open markup."""

from __future__ import annotations

import json

# Characters that would let JSON close the <script> element or open a comment.
SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def html_safe(text: str) -> str:
    """Already-serialised JSON with < > & escaped (still the same JSON value)."""
    return text.translate(SCRIPT_ESCAPES)


def dumps(data, **options) -> str:
    return html_safe(json.dumps(data, ensure_ascii=False, **options))
