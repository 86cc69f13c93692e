"""Every public page renders byte for byte as its kept snapshot: speed work changes no output.

After a change meant to alter pages, write the snapshots again and read their diff:
`.venv/bin/python -m pytest tests/test_page_snapshots.py --write-snapshots`.
"""

import difflib
from pathlib import Path

import pytest
from django.utils import translation

from tests.pages import page_urls

# Kept as .snap, not .html: they are data to compare with, not templates or pages to edit.
SNAPSHOTS = Path(__file__).parent / "page_snapshots"
# Search is left out: which of two equally good results comes first is the database's choice.
PAGES = ["home", "archive", "review", "figures", "keyword", "initiative", "awards", "open data"]


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize("page", PAGES)
def test_page_is_its_snapshot(client, review_2023, request, page, prefix):
    """The page's HTML equals the kept snapshot; a difference is shown as a diff."""
    with translation.override("zh-hans"):
        url = prefix + page_urls(review_2023)[page]
    html = client.get(url).content.decode()
    snapshot = SNAPSHOTS / f"{prefix.strip('/') or 'zh'}-{page.replace(' ', '-')}.snap"
    if request.config.getoption("write_snapshots"):
        snapshot.write_text(html, encoding="utf-8")
    kept = snapshot.read_text(encoding="utf-8")
    diff = "".join(
        difflib.unified_diff(
            kept.splitlines(keepends=True), html.splitlines(keepends=True), "kept", url, n=1
        )
    )
    assert html == kept, diff[:4000]


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize("page", PAGES)
def test_page_from_the_cache_is_its_snapshot(
    client, review_2023, page_cache_on, settings, page, prefix
):
    """Served from the page cache (the second request), the page is byte for byte what it is
    when built afresh; so is its elder-mode version, which is cached apart."""
    with translation.override("zh-hans"):
        url = prefix + page_urls(review_2023)[page]
    kept = (SNAPSHOTS / f"{prefix.strip('/') or 'zh'}-{page.replace(' ', '-')}.snap").read_text(
        encoding="utf-8"
    )
    assert client.get(url).content.decode() == kept
    assert client.get(url).content.decode() == kept
    client.cookies["care"] = "1"
    in_care_mode = client.get(url).content.decode()
    assert in_care_mode == client.get(url).content.decode()
    settings.PAGE_CACHE_SECONDS = 0
    assert in_care_mode == client.get(url).content.decode()
    assert 'class="care"' in in_care_mode
