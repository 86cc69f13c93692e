"""The site's identity: sponsoring office, filing numbers and privacy statement on every page."""

import http.client

import pytest

from highlights.models import SiteIdentity
from tests.admin_forms import admin_url
from tests.conftest import REDIS_URL, sqlite_pass_only
from tests.pages import page_urls
from tests.servers import manage, production_server, site_environment

IDENTITY = {
    "sponsor_zh_hans": "上海市长宁区新泾镇人民政府",
    "sponsor_en": "Xinjing Town People’s Government, Changning District, Shanghai",
    "address_zh_hans": "示例路1号",
    "phone": "021-0000 0000",
    "office_hours_zh_hans": "工作日 9:00–17:00",
    "icp_number": "沪ICP备00000000号",
    "public_security_number": "沪公网安备31010500000000号",
    "website_code": "3100000000",
    "privacy_statement_zh_hans": "本网站不收集访客的个人信息。\n\n统计数据不含个人身份。",
}


@pytest.fixture
def identity(db, django_capture_on_commit_callbacks) -> SiteIdentity:
    with django_capture_on_commit_callbacks(execute=True):
        return SiteIdentity.objects.create(**IDENTITY)


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_every_page_carries_the_identity_with_its_links(client, review_2023, identity, prefix):
    """Sponsor, filing numbers linked to their registries, website code and privacy link."""
    for url in [*page_urls(review_2023).values(), "/no-such-page/"]:
        html = client.get(prefix + url).text
        assert '<a href="https://beian.miit.gov.cn/" rel="noopener">沪ICP备00000000号</a>' in html
        assert "https://beian.mps.gov.cn/#/query/webSearch?code=31010500000000" in html
        assert "3100000000" in html
        assert f'href="{prefix}/privacy/"' in html
    chinese = client.get("/").text
    assert "主办单位：上海市长宁区新泾镇人民政府" in chinese
    assert 'href="tel:12345"' in chinese
    assert "Sponsored by: Xinjing Town People’s Government" in client.get("/en/").text


def test_an_empty_identity_shows_the_town_and_no_privacy_link(client, review_2023):
    """Until staff fill it in, the footer names the town and links to no missing page."""
    html = client.get("/").text
    assert "上海市长宁区新泾镇" in html
    assert "/privacy/" not in html
    assert client.get("/privacy/").status_code == 404


def test_privacy_statement_has_its_own_page(client, identity):
    """The statement, paragraph by paragraph; in English it falls back to Chinese, marked."""
    html = client.get("/privacy/").text
    assert "<p>本网站不收集访客的个人信息。</p>" in html
    english = client.get("/en/privacy/").text
    assert '<div class="prose" lang="zh-Hans">' in english


def test_a_change_reaches_the_next_page_after_it_commits(
    client, review_2023, identity, django_capture_on_commit_callbacks
):
    """The identity is cached between changes; saving it refreshes every page's footer."""
    assert "沪ICP备00000000号" in client.get("/").text
    identity.icp_number = "沪ICP备11111111号"
    with django_capture_on_commit_callbacks(execute=True):
        identity.save()
    assert "沪ICP备11111111号" in client.get("/").text


SPONSOR_SAVED_ELSEWHERE = (
    "from highlights.models import SiteIdentity; "
    "identity = SiteIdentity.current(); identity.sponsor_zh_hans = '新泾镇人民政府（新）'; "
    "identity.save()"
)


@sqlite_pass_only
@pytest.mark.parametrize("cache", ["locmem", "redis"])
def test_a_save_in_one_process_is_in_every_workers_next_page(tmp_path, request, cache):
    """With two gunicorn workers, the footer of every page after a save made by another
    process (an operator's shell here, a worker's admin form in use) names the new sponsor:
    no worker keeps the identity of its own, and on Redis the pages each worker keeps in its
    own memory in front of it are never served after the save."""
    environment = {}
    if cache == "redis":
        prefix = request.getfixturevalue("redis_cache")
        environment = {"REDIS_URL": REDIS_URL, "CACHE_KEY_PREFIX": prefix}
    with production_server(tmp_path, **environment) as port:
        # Both workers build the footer and keep the page; which worker answers is gunicorn's
        # choice, so the page is asked for until two answers in a row come from a cache.
        answers = []
        while answers[-2:] != ["hit", "hit"] and len(answers) < 30:
            response = page_response(port, "/")
            assert "新泾镇人民政府（新）" not in response.read().decode()
            answers.append(response.getheader("X-Page-Cache"))
        assert answers[-2:] == ["hit", "hit"]
        site = site_environment(tmp_path, port) | environment
        manage(site, "shell", "-c", SPONSOR_SAVED_ELSEWHERE)
        for path in ("/", "/en/", "/", "/en/", "/privacy/", "/"):
            assert "新泾镇人民政府（新）" in page(port, path), path


def page_response(port: int, path: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path)
    return connection.getresponse()


def page(port: int, path: str) -> str:
    response = page_response(port, path)
    try:
        return response.read().decode()
    finally:
        response.close()


def test_one_row_only_edited_by_publishers(publisher_client, editor_client, identity):
    """The list opens the one form; no second row, no delete; editors may only look."""
    listing = publisher_client.get(admin_url("siteidentity_changelist"))
    assert listing.status_code == 302
    assert listing["Location"] == admin_url("siteidentity_change", 1)
    assert publisher_client.get(admin_url("siteidentity_add")).status_code == 403
    assert publisher_client.get(admin_url("siteidentity_delete", 1)).status_code == 403
    assert publisher_client.get(admin_url("siteidentity_change", 1)).status_code == 200
    response = editor_client.post(admin_url("siteidentity_change", 1), {"icp_number": "x"})
    assert response.status_code == 403
    assert SiteIdentity.objects.get().icp_number == "沪ICP备00000000号"


def test_saving_twice_keeps_one_row(db):
    """Whatever primary key a caller gives, the identity is row 1."""
    SiteIdentity(sponsor_zh_hans="甲").save()
    SiteIdentity(pk=7, sponsor_zh_hans="乙").save()
    assert list(SiteIdentity.objects.values_list("pk", "sponsor_zh_hans")) == [(1, "乙")]


@pytest.mark.parametrize("page", ["review", "keyword", "initiative"])
def test_content_pages_show_published_and_updated_dates(client, review_2023, page):
    """Each content page says when it was published and last updated, in both languages."""
    url = page_urls(review_2023)[page]
    assert (
        '<p class="dates">发布于 <time datetime="2024-02-01T09:00:00+08:00">2024年2月1日</time>'
        in (client.get(url).text)
    )
    assert "Published <time" in client.get("/en" + url).text
