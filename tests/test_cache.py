"""The anonymous page cache, on local memory and on Redis, and conditional GET."""

import logging
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction

from highlights.cache import VERSION_QUERY, LocalPages, Outage, content_version, local_pages
from highlights.models import ContentVersion, Keyword
from tests.admin_forms import change_form_data
from tests.outside_tools import unavailable
from tests.servers import free_port, wait_for
from xinjing.settings import cache_at_redis


@pytest.fixture(params=["locmem", "redis"])
def page_cache(request, page_cache_on):
    """Run the test against each cache backend."""
    if request.param == "redis":
        request.getfixturevalue("redis_cache")
    return request.param


@pytest.fixture
def site(page_cache, review_2023):
    return review_2023


def caches_at_port(port: int) -> dict:
    """The cache at a Redis (or something that is not one) on this port of loopback."""
    return {"default": cache_at_redis(f"redis://127.0.0.1:{port}/0", f"xinjing-{port}", 0.5)}


def test_second_anonymous_request_reads_only_the_version(
    client, django_assert_num_queries, version_reads, site
):
    """The first visit fills the cache; the second is answered with one query: the content
    version, which the database alone keeps."""
    first = client.get("/")
    assert first["X-Page-Cache"] == "miss"
    version_reads.clear()
    with django_assert_num_queries(0):
        second = client.get("/")
    assert version_reads == ["default"]
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == "text/html; charset=utf-8"


def test_admin_save_invalidates(client, publisher_client, site):
    """An edit in the admin shows up for visitors with the save: the version moves in its
    transaction."""
    keyword = site.keywords.get(position=2)
    page = keyword.get_absolute_url()
    client.get(page)
    assert client.get(page)["X-Page-Cache"] == "hit"
    url = f"/en/admin/highlights/keyword/{keyword.pk}/change/"
    changes = {"tagline_zh_hans": "同频共振", "_publish": "Save and publish"}
    data = change_form_data(publisher_client, url) | changes
    assert publisher_client.post(url, data).status_code == 302
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


def test_other_worker_processes_see_changes(client, site):
    """A change another process committed (its rows and the version row it moved) makes this
    process's cached pages stale: there is no copy of the version to forget."""
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    Keyword.objects.filter(position=1).update(title_zh_hans="另一个进程改的")
    ContentVersion.objects.update(token="moved-by-another-worker")
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
    # The stored page answers a date check as well, and a plain request in full, as a hit.
    if last_modified := first.get("Last-Modified"):
        assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    plain = client.get(url)
    assert (plain.status_code, plain.content) == (200, first.content)


def test_another_host_cannot_poison_the_cache(client, site):
    """A request with a forged Host or proxy header fills no entry that others are served, and
    its own answer names the site's address, not the forged one."""
    forged = client.get("/sitemap.xml", HTTP_HOST="localhost:6666")
    assert "6666" not in forged.text
    assert "<loc>http://testserver/</loc>" in forged.text
    client.get("/", HTTP_X_FORWARDED_PROTO="https", HTTP_X_FORWARDED_SSL="on")
    for _ in range(2):
        sitemap = client.get("/sitemap.xml")
        assert "6666" not in sitemap.text
        home = client.get("/")
        assert '<link rel="canonical" href="http://testserver/">' in home.text
        assert "https://testserver" not in home.text
    assert sitemap["X-Page-Cache"] == "hit"


class ErrorsReachingTheLog(logging.Handler):
    """What production's root handler (stderr) would write at ERROR or above."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_a_disallowed_host_is_a_400_that_leaves_the_cache_on(client, site):
    """A flood of requests naming a Host the site does not answer to: each a 400, the page
    cache still serving everyone else, nothing logged at ERROR."""
    client.get("/")
    log = ErrorsReachingTheLog()
    logging.getLogger().addHandler(log)
    try:
        for _ in range(5):
            assert client.get("/", HTTP_HOST="evil.example.com").status_code == 400
    finally:
        logging.getLogger().removeHandler(log)
    assert not Outage.active()
    assert client.get("/")["X-Page-Cache"] == "hit"
    assert log.records == []


def test_a_hit_keeps_every_header_of_the_page(client, site):
    """The cached copy is the whole response: the sitemap's X-Robots-Tag survives a hit."""
    miss = client.get("/sitemap.xml")
    hit = client.get("/sitemap.xml")
    assert hit["X-Page-Cache"] == "hit"
    for name in ("Content-Type", "Content-Language", "X-Robots-Tag"):
        assert hit.get(name) == miss.get(name), name


def test_parameters_a_page_does_not_read_share_its_one_entry(client, site):
    """?utm_source=… gets the page's own cached copy and makes no entry; search terms do."""
    page = client.get("/")
    for number in range(3):
        response = client.get("/", {"utm_source": f"campaign-{number}"})
        assert response["X-Page-Cache"] == "hit"
        assert response.content == page.content
    client.get("/search/", {"q": "生境", "utm_source": "x"})
    hit = client.get("/search/", {"q": "生境"})
    assert hit["X-Page-Cache"] == "hit"
    assert "生境" in hit.text


def test_a_link_shared_in_wechat_is_served_from_the_cache(
    client, django_assert_num_queries, version_reads, site
):
    """WeChat adds ?from=…&isappinstalled=0 to shared links: the first visitor fills the page's
    entry, everyone after is answered from it, and the language link carries no WeChat tag."""
    shared = "/2023/keywords/a-happy-place/?from=singlemessage&isappinstalled=0"
    first = client.get(shared)
    assert first["X-Page-Cache"] == "miss"
    assert "singlemessage" not in first.text
    version_reads.clear()
    with django_assert_num_queries(0):  # but the content version, once per request
        assert (
            client.get("/2023/keywords/a-happy-place/?from=groupmessage")["X-Page-Cache"] == "hit"
        )
        assert client.get("/2023/keywords/a-happy-place/")["X-Page-Cache"] == "hit"
    assert len(version_reads) == 2
    filtered = client.get("/awards/?level=municipal&from=timeline")
    assert filtered["X-Page-Cache"] == "miss"
    assert client.get("/awards/?level=municipal")["X-Page-Cache"] == "hit"
    assert client.get("/awards/")["X-Page-Cache"] == "miss"


def test_staff_pages_are_private(admin_client, site):
    """A logged-in page tells every cache on the way that it is for this browser only."""
    assert "private" in admin_client.get("/")["Cache-Control"]


@pytest.fixture
def unreachable_redis(settings, page_cache_on):
    """A Redis URL where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = caches_at_port(port)
    Outage.until = 0.0
    yield
    Outage.until = 0.0


@pytest.fixture
def hung_redis(settings, page_cache_on):
    """A Redis that accepts connections and never answers, like one stopped with SIGSTOP."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        port = server.getsockname()[1]
        settings.CACHES = caches_at_port(port)
        Outage.until = 0.0
        yield
        Outage.until = 0.0


@pytest.fixture
def own_redis(settings, page_cache_on):
    """A Redis server of this test's own, to freeze (SIGSTOP) and resume as an operator's
    might: no one else's keys are near it."""
    if shutil.which("redis-server") is None:
        unavailable("redis-server not found (apt-get install redis-server)", "REQUIRE_REDIS")
    port = free_port()
    server = subprocess.Popen(
        [
            *("redis-server", "--port", str(port), "--bind", "127.0.0.1"),
            *("--save", "", "--appendonly", "no"),
        ],
        stdout=subprocess.DEVNULL,
    )
    wait_for(port)
    settings.CACHES = caches_at_port(port)
    Outage.until = 0.0
    yield server
    server.kill()
    server.wait()
    Outage.until = 0.0


def test_a_save_while_redis_is_frozen_is_seen_once_it_resumes(
    client, publisher_client, review_2023, own_redis
):
    """The save commits its new content version with it, whatever Redis does; once Redis
    answers again, the page it holds from before is never served."""
    keyword = review_2023.keywords.get(position=2)
    page = keyword.get_absolute_url()
    client.get(page)
    assert client.get(page)["X-Page-Cache"] == "hit"
    url = f"/en/admin/highlights/keyword/{keyword.pk}/change/"
    data = change_form_data(publisher_client, url) | {
        "tagline_zh_hans": "冻结时保存",
        "_publish": "Save and publish",
    }
    own_redis.send_signal(signal.SIGSTOP)
    try:
        assert publisher_client.post(url, data).status_code == 302
        during = client.get(page)
        assert "冻结时保存" in during.text
        assert "X-Page-Cache" not in during
    finally:
        own_redis.send_signal(signal.SIGCONT)
    Outage.until = 0.0  # as when the retry time has passed
    after = client.get(page)
    assert after["X-Page-Cache"] == "miss"
    assert "冻结时保存" in after.text
    assert client.get(page)["X-Page-Cache"] == "hit"


def test_redis_down_serves_pages_uncached(client, review_2023, unreachable_redis, caplog):
    """With Redis stopped, every page still renders, a WeChat link too; the outage is logged
    once, not per page."""
    wechat = "/2023/keywords/a-happy-place/?from=singlemessage&isappinstalled=0"
    for url in ("/", "/en/", "/2023/figures/", "/api/keywords/", wechat):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "X-Page-Cache" not in response
    assert [r.levelname for r in caplog.records if r.name == "highlights.cache"] == ["WARNING"]


def test_hung_redis_costs_at_most_a_moment(client, review_2023, hung_redis):
    """A hung Redis delays one request by its socket timeout; the next ones skip the cache."""
    started = time.monotonic()
    assert client.get("/").status_code == 200
    assert time.monotonic() - started < 3
    started = time.monotonic()
    for _ in range(5):
        assert client.get("/en/").status_code == 200
    assert time.monotonic() - started < 3


def test_a_page_that_cannot_be_stored_is_served_once(
    client, review_2023, page_cache_on, redis_cache, monkeypatch
):
    """If Redis fails after the page was rendered, the visitor gets that page, rendered once,
    with all its Vary headers. (Without Redis, pages are kept in the process's own memory.)"""
    from highlights import cache as page_cache_module
    from highlights.views import HomeView

    renders = []
    original_get = HomeView.get

    def counting_get(self, request, *args, **kwargs):
        renders.append(request.path)
        return original_get(self, request, *args, **kwargs)

    real_cache = page_cache_module.cache

    class PagesCannotBeStored:
        """The cache answers lookups, then fails when a page is stored."""

        def __getattr__(self, name):
            return getattr(real_cache, name)

        def set(self, key, value, timeout=None):
            raise ConnectionError("Redis went away")

    monkeypatch.setattr(HomeView, "get", counting_get)
    monkeypatch.setattr(page_cache_module, "cache", PagesCannotBeStored())
    try:
        response = client.get("/")
    finally:
        Outage.until = 0.0
    assert response.status_code == 200
    assert renders == ["/"]
    assert "X-Page-Cache" not in response
    assert {"Accept-Language", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}


def test_another_host_gets_the_same_page(client, site):
    """Every address in a page is the site's: a page asked for under another allowed host is
    byte for byte the page everyone else gets."""
    page = "/2023/keywords/thematic-education/"
    assert client.get(page, HTTP_HOST="localhost").content == client.get(page).content


def test_drafts_staff_see_never_reach_visitors(client, admin_client, site):
    """Staff see drafts: what was built for visitors is not theirs, and theirs is not kept."""
    keyword = site.keywords.get(position=1)
    keyword.status = "draft"
    keyword.save()
    assert keyword.title not in client.get("/").text
    assert keyword.title in admin_client.get("/").text
    site_wide = client.get("/", HTTP_HOST="localhost")
    assert keyword.title not in site_wide.text


@pytest.mark.parametrize(
    "url",
    [
        "/awards/?year=2023",
        "/en/awards/?level=national",
        "/awards/?year=1999",
        "/search/?q=%E7%94%9F%E5%A2%83",
        "/en/search/?q=garden&page=9",
        "/en/search/?q=%E7%94%9F%E5%A2%83&page=abc",
        "/search/?q=+%E7%94%9F%E5%A2%83+&page=2",
    ],
)
def test_a_cached_page_is_the_page_built_afresh(client, site, settings, url):
    """Filtered, searched and paged pages are the same whether built afresh or cached."""
    fresh = client.get(url)
    assert fresh.status_code == 200
    assert client.get(url).content == fresh.content
    settings.PAGE_CACHE_SECONDS = 0
    assert client.get(url).content == fresh.content


def test_junk_filters_make_no_entries(client, review_2023, page_cache_on):
    """A filter value the form refuses shows every award, saying so, and is never stored: a
    crowd of junk values cannot push the pages people read out of the cache."""
    client.get("/2023/keywords/thematic-education/")
    entries = len(local_pages.pages)
    for number in range(10):
        response = client.get(f"/awards/?year=junk{number}")
        assert "That filter is not available" in response.text or "不可用" in response.text
        assert "X-Page-Cache" not in response
    assert len(local_pages.pages) == entries
    assert client.get("/2023/keywords/thematic-education/")["X-Page-Cache"] == "hit"


def test_the_head_names_the_sites_address_whatever_the_request_says(client, site):
    """The <head> names the site's address (settings.SITE_URL) for every host and scheme a
    request claims, on the first visit and on a repeat one."""
    page = "/2023/keywords/thematic-education/"
    origin = "http://testserver"
    visits = [{}, {"HTTP_HOST": "localhost"}, {"secure": True}, {"HTTP_HOST": "127.0.0.1:31337"}]
    for _round in range(2):
        for variant in visits:
            head = client.get(page, **variant).text.split("</head>")[0]
            assert f'<link rel="canonical" href="{origin}{page}">' in head
            assert f'<meta property="og:url" content="{origin}{page}">' in head
            assert f'hreflang="en" href="{origin}/en{page}"' in head
            assert f'"url": "{origin}{page}"' in head  # JSON-LD
            assert "localhost" not in head
            assert "https://" not in head.replace("https://schema.org", "")
            assert "31337" not in head


def test_missing_pages_make_no_entries(client, review_2023, page_cache_on):
    """Anyone can ask for any address: a 404 must not leave an entry behind for each one."""
    assert client.get("/no-such-page-0/").status_code == 404
    entries = len(local_pages.pages)
    for number in range(1, 4):
        assert client.get(f"/no-such-page-{number}/").status_code == 404
        assert client.get(f"/2023/keywords/no-such-keyword-{number}/").status_code == 404
    assert len(local_pages.pages) == entries


def test_a_page_that_varies_on_another_header_is_never_stored(rf, site):
    """A page's key is its address: one whose content depends on another request header
    would be handed to everyone, so it is not kept."""
    from django.http import HttpResponse

    from highlights.cache import AnonymousPageCacheMiddleware

    def page(request):
        response = HttpResponse("depends on the browser")
        response["Vary"] = "User-Agent"
        return response

    middleware = AnonymousPageCacheMiddleware(page)
    for _ in range(2):
        response = middleware(rf.get("/"))
        assert "X-Page-Cache" not in response


def test_a_hit_runs_nothing_a_cached_page_does_not_need(client, site, monkeypatch):
    """Sessions, CSRF, users, messages and lockouts are never asked on a hit, yet the hit
    carries every security header the page was stored with."""
    from django.contrib.sessions.middleware import SessionMiddleware

    miss = client.get("/en/")

    def not_needed(*args):
        pytest.fail("a cached page ran the session middleware")

    monkeypatch.setattr(SessionMiddleware, "process_request", not_needed)
    hit = client.get("/en/")
    assert hit["X-Page-Cache"] == "hit"
    for header in (
        "Content-Security-Policy",
        "Permissions-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "ETag",
        "Vary",
    ):
        assert hit[header] == miss[header], header


@pytest.mark.parametrize("backend", ["locmem", "redis"])
def test_a_crowd_after_a_publish_gets_one_render(
    transactional_db, live_server, request, page_cache_on, monkeypatch, backend
):
    """64 visitors asking for the home page in the same moment after a publication: one of
    them renders it, the others get its copy."""
    from highlights.views import HomeView

    if backend == "redis":
        request.getfixturevalue("redis_cache")
    renders = []
    original_get = HomeView.get

    def counting_get(self, request, *args, **kwargs):
        renders.append(threading.get_ident())
        return original_get(self, request, *args, **kwargs)

    monkeypatch.setattr(HomeView, "get", counting_get)
    keyword = Keyword.objects.get(review__year=2023, position=1)
    keyword.title_zh_hans = "刚刚发布"
    keyword.save()
    crowd = 64
    ready = threading.Barrier(crowd)
    pages = []

    def visit():
        ready.wait()
        with urllib.request.urlopen(f"{live_server.url}/", timeout=30) as response:  # noqa: S310
            pages.append((response.status, response.read()))

    visitors = [threading.Thread(target=visit) for _ in range(crowd)]
    for visitor in visitors:
        visitor.start()
    for visitor in visitors:
        visitor.join()
    assert len(pages) == crowd
    assert {status for status, _body in pages} == {200}
    assert all("刚刚发布" in body.decode() for _status, body in pages)
    assert len(renders) == 1


# The content version ---------------------------------------------------------------------------


def test_a_change_and_its_version_commit_together(transactional_db, review_2023):
    """The version moves inside the change's transaction: rolled back, both are gone; many
    rows saved in one transaction move it once, as seen from outside."""
    before = content_version()
    with pytest.raises(RuntimeError), transaction.atomic():  # noqa: PT012 - fails after saving
        Keyword.objects.get(position=1).save()
        assert content_version() != before
        raise RuntimeError("the save fails")
    assert content_version() == before
    with transaction.atomic():
        for keyword in Keyword.objects.all():
            keyword.save()
    assert content_version() != before


def test_pages_are_served_while_the_database_cannot_be_read(client, site, monkeypatch):
    """A cached page needs the version from the database; while it cannot be read, the version
    this process last saw is used (nothing can change meanwhile), and cached pages still go out."""
    client.get("/")

    def unreadable(database):
        raise DatabaseError("the server closed the connection unexpectedly")

    with monkeypatch.context() as database_down:
        database_down.setattr("highlights.cache.version_row", unreadable)
        response = client.get("/")
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "hit"


def test_the_version_is_read_from_the_content_version_table(db):
    """The one query of a hit names its table itself: it must be the model's."""
    table = connection.ops.quote_name(ContentVersion._meta.db_table)
    assert f"FROM {table} WHERE" in VERSION_QUERY
    assert content_version() == ContentVersion.objects.get(pk=1).token


# Pages kept in each process ---------------------------------------------------------------------


def test_a_page_kept_in_this_process_lives_no_longer_than_in_redis(redis_cache, page_cache_on):
    """A copy taken from Redis keeps the time the page had left there, not a fresh lifetime: a
    place's page, kept only until it opens, is never shown closed after that from memory."""
    from django.http import HttpResponse

    from highlights.cache import store_page, stored_page

    start = datetime(2026, 12, 5, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(start, tick=False):
        store_page("page-until:v:standard:place", HttpResponse("closed until 9:00"), 60)
    local_pages.clear()  # as another worker, which has no copy yet
    with time_machine.travel(start + timedelta(seconds=45), tick=False):
        assert stored_page("page-until:v:standard:place").content == b"closed until 9:00"
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        assert stored_page("page-until:v:standard:place") is None


def test_what_is_done_to_a_hit_never_reaches_the_next_visitor(client, site):
    """Each hit is a response of its own: a header, a cookie or more body set on its way out
    stays on it, and the handler's closers do not pile up on the kept page."""
    client.get("/")
    first = client.get("/")
    assert first["X-Page-Cache"] == "hit"
    first["X-Only-This-Visitor"] = "1"
    first.set_cookie("only-this-visitor", "1")
    first.write(b"<!-- only this visitor -->")
    second = client.get("/")
    assert second["X-Page-Cache"] == "hit"
    assert "X-Only-This-Visitor" not in second
    assert not second.cookies
    assert second.content == first.content.removesuffix(b"<!-- only this visitor -->")
    assert len(second._resource_closers) == len(first._resource_closers)


def test_the_response_a_miss_returns_is_not_the_one_kept(client, site):
    """The page going out to the visitor who rendered it says "miss"; the one kept says "hit"."""
    miss = client.get("/")
    assert miss["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "hit"


def test_without_redis_each_process_keeps_its_pages_once(client, review_2023, page_cache_on):
    """With the cache in this process's memory, pages are kept once, as responses, not
    pickled a second time into the local-memory cache (which still holds the render locks)."""
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    assert not any("page-until" in key and ":rendering" not in key for key in cache._cache)
    assert len(local_pages.pages) == 1


def test_a_full_process_lets_the_least_recently_served_page_go():
    """Each process keeps so many pages; the one served longest ago goes first."""
    from django.http import HttpResponse

    kept = LocalPages(2)
    far = time.time() + 600
    for name in ("home", "awards", "search"):
        if name == "search":
            assert kept.get("home") is not None  # served again: now the most recent
        kept.keep(name, HttpResponse(name), far)
    assert kept.get("awards") is None
    assert kept.get("home").content == b"home"
    assert kept.get("search").content == b"search"


def test_static_files_never_ask_for_the_content_version(client, page_cache_on, db):
    """WhiteNoise sits behind the page cache; its files pass it without a query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/static/css/print.css")
    response.close()
    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    assert len(queries) == 0
