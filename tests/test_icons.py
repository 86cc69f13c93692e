"""The site's icon in browser tabs and on home screens, and its web app manifest."""

import json

from django.contrib.staticfiles import finders
from django.templatetags.static import static
from PIL import Image


def static_file(url: str) -> str:
    path = finders.find(url.removeprefix(static("")))
    assert path, url
    return path


def test_favicon_ico_leads_to_the_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response.url == static("icons/favicon.ico")
    with Image.open(static_file(response.url)) as icon:
        assert icon.format == "ICO"
        assert (32, 32) in icon.info["sizes"]


def test_every_page_names_its_icons_and_manifest(client, review_2023):
    page = client.get("/").text
    assert f'<link rel="icon" href="{static("icons/icon.svg")}" type="image/svg+xml">' in page
    assert f'<link rel="apple-touch-icon" href="{static("icons/apple-touch-icon.png")}">' in page
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert '<link rel="manifest" href="/en/manifest.webmanifest">' in client.get("/en/").text


def test_the_manifest_speaks_the_pages_language(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    chinese = json.loads(response.content)
    english = json.loads(client.get("/en/manifest.webmanifest").content)
    assert (chinese["name"], chinese["short_name"], chinese["lang"]) == (
        "新泾年度回眸",
        "新泾回眸",
        "zh-Hans",
    )
    assert chinese["start_url"] == "/"
    assert (english["name"], english["lang"], english["start_url"]) == (
        "Xinjing Highlights",
        "en",
        "/en/",
    )
    for icon in chinese["icons"]:
        path = static_file(icon["src"])
        if icon["type"] == "image/png":
            width, height = (int(side) for side in icon["sizes"].split("x"))
            with Image.open(path) as image:
                assert image.size == (width, height)
