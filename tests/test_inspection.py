"""The site inspects itself: each check at its boundary, the command's exit status and JSON,
and the admin's page and summary."""

import json
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import jsonschema
import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from highlights import site_crawl
from highlights.inspection import SCHEMA, Severity, expired_notices, inspect, links, meta_tags
from highlights.models import News, Notice, Place, ServiceGuide, SiteIdentity
from highlights.publishing import Status
from tests.admin_forms import admin_url
from tests.content import COMPLETE_GUIDE

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The demo's stories are dated at the review's publication.
PUBLISHED = datetime(2024, 2, 1, 9, tzinfo=SHANGHAI)


def checks_at(moment: datetime) -> dict[str, Severity]:
    with time_machine.travel(moment, tick=False):
        return {f.check + ":" + str(f.data.get("column", "")): f.severity for f in inspect(False)}


@pytest.mark.parametrize(("days", "stale"), [(13, False), (15, True)])
def test_news_goes_stale_after_fourteen_days(review_2023, days, stale):
    """At 13 days the news column and the home page are fresh; at 15 both are not."""
    found = checks_at(PUBLISHED + timedelta(days=days))
    assert ("freshness.home:" in found) == stale
    assert ("freshness.stale_column:news" in found) == stale
    if stale:
        assert found["freshness.home:"] == Severity.VETO


@pytest.mark.parametrize(("days", "stale"), [(179, False), (181, True)])
def test_notices_go_stale_after_180_days(review_2023, days, stale):
    Notice.objects.create(title="通知", slug="n", status=Status.PUBLISHED, publish_at=PUBLISHED)
    found = checks_at(PUBLISHED + timedelta(days=days))
    assert ("freshness.stale_column:notice" in found) == stale
    assert "freshness.empty_column:notice" not in found


def test_empty_columns_are_found(review_2023):
    found = checks_at(PUBLISHED)
    assert found["freshness.empty_column:notice"] == Severity.DEDUCTION
    assert found["freshness.empty_column:serviceguide"] == Severity.DEDUCTION
    assert "freshness.empty_column:place" not in found


def test_a_published_guide_missing_an_element_is_a_veto(review_2023):
    guide = ServiceGuide.objects.create(
        status=Status.PUBLISHED, slug="g", publish_at=PUBLISHED, **COMPLETE_GUIDE
    )
    assert "guides.missing_element:" not in checks_at(PUBLISHED)
    ServiceGuide.objects.filter(pk=guide.pk).update(materials_zh_hans="")
    assert checks_at(PUBLISHED)["guides.missing_element:"] == Severity.VETO


def test_a_filled_identity_leaves_no_identity_finding(review_2023):
    assert "identity.website_code:" in checks_at(PUBLISHED)
    SiteIdentity(
        sponsor="上海市长宁区新泾镇人民政府",
        address="地址",
        phone="021-00000000",
        website_code="3101050000",
        icp_number="沪ICP备00000000号",
        public_security_number="沪公网安备00000000000000号",
        privacy_statement="隐私声明",
    ).save()
    assert not [check for check in checks_at(PUBLISHED) if check.startswith("identity.")]


def run(*args) -> tuple[int, str]:
    out = StringIO()
    with pytest.raises(SystemExit) as exit_status:
        call_command("inspect_site", *args, stdout=out)
    return exit_status.value.code, out.getvalue()


def test_the_command_exits_2_for_a_veto_and_speaks_json(review_2023):
    """The demo today: its news is two years old (a veto), its identity empty."""
    status, out = run("--json", "--no-crawl")
    report = json.loads(out)
    assert status == report["status"] == 2
    finding = report["findings"][0]
    assert set(finding) == {"check", "severity", "message", "link", "data"}
    assert finding["severity"] == "veto"
    assert set(finding["message"]) == {"zh-hans", "en"}
    assert all(f["severity"] in {"veto", "deduction", "advice"} for f in report["findings"])


def test_the_command_exits_1_for_deductions_only_and_0_when_clean(review_2023):
    """Fresh news and notices, a guide, a filled identity: clean; the pages all answer."""
    with time_machine.travel(PUBLISHED + timedelta(days=1), tick=False):
        Notice.objects.create(title="通知", slug="n", status=Status.PUBLISHED, publish_at=PUBLISHED)
        status, _out = run("--no-crawl")
        assert status == 1  # the identity is still empty, the guides column too
        ServiceGuide.objects.create(status=Status.PUBLISHED, slug="g", **COMPLETE_GUIDE)
        SiteIdentity(
            sponsor="主办",
            address="地址",
            phone="1",
            website_code="1",
            icp_number="1",
            public_security_number="1",
            privacy_statement="1",
        ).save()
        News.objects.update(title_en="News")
        Place.objects.update(address_en="")
        status, out = run("--no-crawl")
    assert status == 0, out


def test_publishers_and_editors_see_the_findings(editor_client, review_2023):
    page = editor_client.get(admin_url("siteidentity_inspection"))
    assert page.status_code == 200
    assert "freshness.home" in page.text
    index = editor_client.get("/en/admin/")
    assert "Site inspection" in index.text
    assert "The home page has had nothing new" in index.text


# The checks that fetch every page --------------------------------------------------------------


def story_crawl(most_pages: int = 20, start: str = "/") -> dict:
    """The start of a crawl in Chinese, standard mode, from `start`."""
    return {("zh-hans", False): site_crawl.crawl_from(start, elder=False, most_pages=most_pages)}


def test_the_demo_crawled_in_both_languages_and_modes_is_clean_and_valid_json(review_2023):
    """Every link answers, every tag is there, and the report matches its published schema."""
    _status, out = run("--json")
    report = json.loads(out)
    jsonschema.validate(report, json.loads(SCHEMA.read_text()))
    crawl_checks = {f["check"] for f in report["findings"]} & {
        "links.broken",
        "links.anchor",
        "meta.missing",
        "notices.expired_as_current",
    }
    assert crawl_checks == set()
    assert {c["column"]: c["days_left"] for c in report["columns"]}["news"] < 0
    _status, schema = run("--schema")
    assert json.loads(schema)["title"] == "Xinjing Highlights site inspection"


def test_every_language_and_mode_is_crawled(review_2023):
    crawls = site_crawl.crawl(most_pages=3)
    assert set(crawls) == {("zh-hans", False), ("zh-hans", True), ("en", False), ("en", True)}
    assert "/en/" in crawls[("en", True)].pages
    elder_home = crawls[("zh-hans", True)].pages["/"]
    assert any("on=0" in link for link in elder_home.links)  # the switch back to standard
    assert not any("on=0" in link for link in crawls[("zh-hans", False)].pages["/"].links)


def test_a_broken_link_in_a_news_body_is_found_with_its_page(review_2023):
    story = News.objects.published().newest_first().first()
    story.body_zh_hans = (
        "见[旧页面](/no-such-page/)、[锚点](/news/#no-such-part)和[外站](https://example.org/x)。"
    )
    story.save()
    page = story.get_absolute_url()
    findings = {f.check: f for f in links(story_crawl(start=page))}
    assert findings["links.broken"].data == {
        "target": "/no-such-page/",
        "status": 404,
        "pages": [page],
    }
    assert findings["links.anchor"].data == {"target": "/news/#no-such-part", "pages": [page]}
    assert findings["links.outside"].data == {"links": {"https://example.org/x": [page]}}
    assert findings["links.outside"].severity == Severity.ADVICE
    assert page in str(findings["links.broken"].message)


def test_a_missing_upload_is_a_broken_link(review_2023):
    """Static files and uploads are looked for in storage, as the web server would serve them."""
    crawl = story_crawl(most_pages=1)
    assert crawl[("zh-hans", False)].files  # the home page's stylesheet, icons, cover
    assert not [f for f in links(crawl) if f.check == "links.broken"]
    for path in Path(default_storage.location).rglob("*.jpg"):
        path.unlink()
    broken = [f for f in links(story_crawl(most_pages=1)) if f.check == "links.broken"]
    assert broken
    assert all(f.data["target"].startswith("/media/") for f in broken)


def page(address: str, **meta) -> site_crawl.Page:
    return site_crawl.Page(address, 200, html=True, meta=meta)


def test_pages_lacking_the_guidelines_tags_are_found(review_2023):
    site = {"SiteName": "新泾年度回眸", "SiteDomain": "testserver"}
    crawl = site_crawl.Crawl(
        pages={
            "/": page("/", ColumnName="新泾年度回眸", **site),
            "/news/": page("/news/", ColumnName="动态", **site),  # a column's page: its type?
            "/news/a/": page(
                "/news/a/",
                ColumnName="动态",
                ColumnType="政务动态",
                **{"og:type": "article"},
                **site,
            ),
            "/open-data/": page("/open-data/", ColumnName="开放数据", **site),
        }
    )
    found = {f.data["tag"]: f.data["pages"] for f in meta_tags({("zh-hans", False): crawl})}
    assert found == {
        "ColumnType": ["/news/"],
        "ArticleTitle": ["/news/a/"],
        "PubDate": ["/news/a/"],
        "ContentSource": ["/news/a/"],
    }
    SiteIdentity(website_code="3101050001").save()
    found = {f.data["tag"]: f.data["pages"] for f in meta_tags({("zh-hans", False): crawl})}
    assert found["SiteIDCode"] == ["/", "/news/", "/news/a/", "/open-data/"]


def test_an_expired_notice_listed_as_current_is_found(review_2023):
    yesterday = timezone.localdate() - timedelta(days=1)
    notice = Notice.objects.create(
        title="停水通知",
        slug="water",
        status=Status.PUBLISHED,
        publish_at=timezone.now() - timedelta(days=3),
        valid_until=yesterday,
    )
    real = story_crawl(most_pages=1)
    assert expired_notices(real) == []  # the home page leaves it out
    listed = site_crawl.Page("/", 200, html=True, sections={"notices-heading": ["/notices/water/"]})
    findings = expired_notices({("zh-hans", False): site_crawl.Crawl(pages={"/": listed})})
    assert [f.data for f in findings] == [{"notice": notice.slug, "page": "/"}]
    assert yesterday.isoformat() in str(findings[0].message)


def test_the_report_page_checks_every_page_on_request(review_2023, editor_client):
    url = admin_url("siteidentity_inspection")
    assert "?crawl=1" in editor_client.get(url).text
    page = editor_client.get(url + "?crawl=1").text
    assert "Every page was fetched in each language and mode" in page


def test_a_site_served_over_https_is_inspected_over_https(review_2023, settings):
    """Production redirects plain HTTP to HTTPS: the inspection asks as a visitor of the site's
    address does, so that no page is taken for a redirect."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SITE_URL = "https://testserver"
    crawls = story_crawl(most_pages=30)
    assert crawls["zh-hans", False].pages["/"].status == 200
    assert not [f for f in links(crawls) if f.check == "links.broken"]
    assert not [f for f in inspect() if f.check == "availability.page"]
