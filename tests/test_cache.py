"""The anonymous page cache, on local memory and on Redis, and conditional GET."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from highlights.models import Keyword
from tests.admin_forms import change_form_data


@pytest.fixture(params=["locmem", "redis"])
def page_cache(request, settings, tmp_path):
    """Run the test against each cache backend."""
    if request.param == "redis":
        request.getfixturevalue("redis_cache")
    else:
        settings.CONTENT_VERSION_FILE = tmp_path / "content-version"
    return request.param


@pytest.fixture
def site(page_cache, review_2023):
    return review_2023


def test_second_anonymous_request_makes_no_query(client, django_assert_num_queries, site):
    """The first visit fills the cache; the second is answered without touching the database."""
    first = client.get("/")
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == "text/html; charset=utf-8"


def test_admin_save_invalidates(client, publisher_client, site):
    """An edit in the admin shows up at once for visitors."""
    keyword = site.keywords.get(position=2)
    page = keyword.get_absolute_url()
    client.get(page)
    assert client.get(page)["X-Page-Cache"] == "hit"
    url = f"/en/admin/highlights/keyword/{keyword.pk}/change/"
    changes = {"tagline_zh_hans": "同频共振"}
    response = publisher_client.post(url, change_form_data(publisher_client, url) | changes)
    assert response.status_code == 302
    fresh = client.get(page)
    assert fresh["X-Page-Cache"] == "miss"
    assert "同频共振" in fresh.text


def test_varies_by_language(client, site):
    """Chinese and English pages are cached separately."""
    client.get("/")
    client.get("/en/")
    assert "记忆·新泾" in client.get("/").text
    english = client.get("/en/")
    assert english["X-Page-Cache"] == "hit"
    assert "Memories of Xinjing" in english.text


def test_logged_in_pages_are_never_cached_or_served_from_cache(client, admin_client, site):
    """Staff pages (with edit links) never reach the cache; staff never get cached pages."""
    staff = admin_client.get("/")
    assert "X-Page-Cache" not in staff
    assert "在后台编辑" in staff.text
    visitor = client.get("/")
    assert visitor["X-Page-Cache"] == "miss"
    assert "在后台编辑" not in visitor.text
    assert "X-Page-Cache" not in admin_client.get("/")
    assert "Cookie" in visitor["Vary"]


def test_admin_and_api_are_not_cached(client, site):
    """The admin login and the API are never served from the page cache."""
    client.get("/admin/login/")
    assert "X-Page-Cache" not in client.get("/admin/login/")
    client.get("/api/keywords/")
    assert "X-Page-Cache" not in client.get("/api/keywords/")


def test_scheduled_publication_invalidates_without_a_save(client, site):
    """When a scheduled keyword's time comes, cached pages stop hiding it."""
    keyword = site.keywords.get(position=1)
    launch = datetime(2031, 3, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    keyword.publish_at = launch
    keyword.save()
    with time_machine.travel(launch - timedelta(minutes=1), tick=False):
        assert "主题教育" not in client.get("/").text
        assert client.get("/")["X-Page-Cache"] == "hit"
    with time_machine.travel(launch + timedelta(seconds=1), tick=False):
        response = client.get("/")
        assert response["X-Page-Cache"] == "miss"
        assert "主题教育" in response.text


def test_other_worker_processes_see_changes(client, review_2023, settings, tmp_path):
    """With per-process local-memory caches, a change made by another process (a new version
    marker in the shared file) makes this one's pages stale."""
    settings.CONTENT_VERSION_FILE = tmp_path / "content-version"
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    Keyword.objects.filter(position=1).update(title_zh_hans="另一个进程改的")
    settings.CONTENT_VERSION_FILE.write_text("changed-by-another-worker")
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert "另一个进程改的" in response.text


@pytest.mark.parametrize("url", ["/", "/en/2023/keywords/thematic-education/", "/2023/figures/"])
def test_conditional_get_answers_304(client, site, url):
    """A repeat visit with the ETag gets 304 Not Modified, cached or not."""
    first = client.get(url)
    etag = first["ETag"]
    assert etag
    repeat = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert repeat.status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200
