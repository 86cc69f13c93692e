"""The page's address as a QR code on keyword and review pages (for print, posters, and moving
from a desktop to a phone)."""

import re

import pytest

KEYWORD = "/2023/keywords/thematic-education/"


@pytest.mark.parametrize("path", [KEYWORD, "/2023/", f"/en{KEYWORD}"])
def test_the_qr_code_names_the_page_it_is_on(client, review_2023, path):
    html = client.get(path, {"utm_source": "wechat"}).text
    (svg,) = re.findall(r'<svg role="img"[^>]*class="qr-code".*?</svg>', html, re.S)
    # The address alone: campaign parameters stay out of a code printed on paper.
    assert f"<title>http://testserver{path}</title>" in svg
    english = "Scan to open this page on a phone, or to pass it on."
    assert (english if path.startswith("/en/") else "扫码在手机上打开本页，或转给他人。") in html


def test_list_pages_have_none(client, review_2023):
    assert "qr-code" not in client.get("/awards/").text
