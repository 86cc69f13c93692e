"""Public pages: content in both languages, drafts hidden, sharing metadata, bounded queries."""

import json
import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from highlights.models import Award, Keyword, Review, Status
from tests.pages import COLUMN_PAGES, QUERY_BUDGETS, assert_within_budget, page_urls, text_of


@pytest.fixture
def keyword(review_2023) -> Keyword:
    return review_2023.keywords.get(slug="thematic-education")


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize("page", QUERY_BUDGETS)
def test_every_page_answers_in_both_languages(client, review_2023, prefix, page):
    """Each public page is 200 under / and /en/ with the right <html lang>."""
    response = client.get(prefix + page_urls(review_2023)[page])
    assert response.status_code == 200
    assert f'<html lang="{"en" if prefix else "zh-Hans"}">' in response.text


@pytest.mark.parametrize("page", QUERY_BUDGETS)
def test_query_budgets_with_the_real_data(
    client, django_assert_max_num_queries, review_2023, warm_content_version, page
):
    """Each page stays within its query budget (tests/test_scale.py repeats this at 10×)."""
    assert_within_budget(client, django_assert_max_num_queries, review_2023, page)


def test_staff_pages_cost_only_the_session_and_user(
    admin_client, django_assert_max_num_queries, review_2023, warm_content_version
):
    """A logged-in editor's page adds just the session and user lookups."""
    url = page_urls(review_2023)["keyword"]
    with django_assert_max_num_queries(QUERY_BUDGETS["keyword"] + 2):
        assert admin_client.get(url).status_code == 200


def test_home_shows_the_review_keywords_figures_and_awards(client, review_2023):
    """Title, subtitle, introduction, seven cards in order, key figures and awards."""
    text = text_of(client.get("/").text)
    assert "记忆·新泾" in text
    assert "辞兔迎春新岁旺 乘龙奋进再启航" in text
    assert "岁且更始，时乃日新。" in text
    titles = ["主题教育", "东虹片区", "经济名片", "“绣花功夫”", "幸福之地", "文脉隽永", "党建引领"]
    positions = [text.index(title) for title in titles]
    assert positions == sorted(positions)
    assert "7000余 名 党员参与" in text
    assert "11.89 平方公里" in text
    assert "“2023年度社保服务优秀社区”" in text
    assert "银奖" in text


def test_home_in_english(client, review_2023):
    """The English home page reads in English."""
    text = text_of(client.get("/en/").text)
    assert "Memories of Xinjing" in text
    assert "Thematic Education" in text
    assert "7,000+ Party members taking part" in text
    assert "Silver Award" in text


def test_archive_lists_published_years_newest_first(client, review_2023):
    """Every published year, newest first; drafts are left out."""
    Review.objects.create(year=2024, title_zh_hans="记忆·新泾 2024", status=Status.PUBLISHED)
    Review.objects.create(year=2025, title_zh_hans="草稿")
    text = text_of(client.get("/reviews/").text)
    assert text.index("2024") < text.index("2023")
    assert "草稿" not in text


def test_home_is_the_latest_published_review(client, review_2023):
    """A newer published review takes over the home page; a draft does not."""
    Review.objects.create(year=2025, title_zh_hans="未发布的回眸")
    assert "记忆·新泾" in client.get("/").text
    Review.objects.create(year=2024, title_zh_hans="二〇二四回眸", status=Status.PUBLISHED)
    assert "二〇二四回眸" in client.get("/").text


def test_keyword_page_in_chinese(client, keyword):
    """The source paragraph, figures as tiles, initiatives and a link to the next keyword."""
    text = text_of(client.get(keyword.get_absolute_url()).text)
    assert "建立党委中心组领学、党员自学、支部互学、区域单位共学的“四学机制”" in text
    assert "7000余 名 党员参与" in text
    assert "四学机制" in text
    assert "下一个 → 东虹片区" in text
    assert "上一个" not in text


def test_keyword_page_in_english(client, keyword):
    """The English keyword page shows the translation and the figures."""
    with translation.override("en"):
        url = keyword.get_absolute_url()
    text = text_of(client.get(url).text)
    assert "Thematic Education" in text
    assert "7,000+ Party members taking part" in text
    assert "Four-Way Learning Mechanism" in text


def test_keyword_neighbours_and_awards(client, review_2023):
    """A middle keyword links both ways and lists its awards."""
    keyword = review_2023.keywords.get(position=4)
    text = text_of(client.get(keyword.get_absolute_url()).text)
    assert "上一个 经济名片" in text
    assert "下一个 → 幸福之地" in text
    assert "刘二居民区" in text


def test_neighbours_skip_drafts(client, review_2023):
    """The next link jumps over an unpublished keyword."""
    review_2023.keywords.filter(position=2).update(status=Status.UNPUBLISHED)
    text = text_of(client.get(review_2023.keywords.get(position=1).get_absolute_url()).text)
    assert "下一个 → 经济名片" in text


def test_initiative_page(client, keyword):
    """An initiative shows its description, figures and keyword."""
    initiative = keyword.initiatives.get(slug="four-ways-of-learning")
    text = text_of(client.get(initiative.get_absolute_url()).text)
    assert "四学机制" in text
    assert "59 次 镇党委中心组理论学习" in text
    assert "主题教育" in text


def test_figures_page_has_accessible_charts(client, review_2023):
    """Figures grouped by keyword, charted as text: each chart named by its caption, each bar's
    label and value real text beside a drawing that screen readers skip."""
    html = client.get("/2023/figures/").text
    charts = re.findall(r'<figure class="chart" aria-labelledby="([^"]+)">', html)
    assert len(charts) == 1  # the areas of keyword 2
    for title_id in charts:
        assert f'<figcaption id="{title_id}" class="chart-title">' in html
    assert "<dt>“镇园一体”</dt>" in html
    assert '<span class="bar-value">11.89 平方公里</span>' in html
    assert html.count('aria-hidden="true" focusable="false"><rect width="100.0"') == 1
    english = client.get("/en/2023/figures/").text
    assert "<dt>area of “town and park as one”</dt>" in english
    assert '<span class="bar-value">11.89 km²</span>' in english


def test_awards_filter_by_year_and_level(client, review_2023):
    """The awards page filters by level and year; bad filters show everything with a note."""
    assert text_of(client.get("/awards/").text).count("市级（上海）") >= 3
    municipal = client.get("/awards/", {"level": "municipal"})
    assert len(municipal.context["awards"]) == 3
    # Only two honours state their year in the source; the others have none to filter by.
    assert len(client.get("/awards/", {"year": "2023"}).context["awards"]) == 2
    assert len(client.get("/awards/", {"year": "1999"}).context["awards"]) == 5
    bad = client.get("/awards/", {"level": "galactic", "year": "abc"})
    assert bad.status_code == 200
    assert len(bad.context["awards"]) == 5
    assert "不可用" in bad.text


def test_awards_show_recipient_and_keyword(client, review_2023):
    """Each award names its recipient and links to its keyword."""
    html = client.get("/en/awards/").text
    assert "Liu’er Residents’ Area" in html
    assert "/en/2023/keywords/embroiderers-touch/" in html


def test_drafts_are_404_for_the_public_and_visible_to_staff(
    client, admin_client, review_2023, keyword
):
    """Unpublished content is hidden from visitors; staff can preview it."""
    keyword.status = Status.UNPUBLISHED
    keyword.save()
    assert client.get(keyword.get_absolute_url()).status_code == 404
    preview = admin_client.get(keyword.get_absolute_url())
    assert preview.status_code == 200
    assert "预览" in preview.text
    assert "主题教育" not in text_of(client.get("/").text)

    review_2023.status = Status.UNPUBLISHED
    review_2023.save()
    for name, url in page_urls(review_2023).items():
        if name in {"home", "archive", "awards", "search", "open data", *COLUMN_PAGES}:
            continue
        assert client.get(url).status_code == 404, url
        assert admin_client.get(url).status_code == 200, url
    assert "记忆·新泾" not in client.get("/reviews/").text
    assert "记忆·新泾" not in client.get("/").text  # the home page leads with the news alone
    assert not client.get("/awards/").context["awards"]


def test_scheduled_content_stays_hidden(client, review_2023, keyword):
    """A publish date in the future keeps a published keyword off the site."""
    from datetime import timedelta

    from django.utils import timezone

    keyword.publish_at = timezone.now() + timedelta(days=1)
    keyword.save()
    assert client.get(keyword.get_absolute_url()).status_code == 404


def test_unknown_years_and_slugs_are_404(client, review_2023):
    """Made-up addresses get the site's bilingual 404 page."""
    for url in [
        "/1999/",
        "/1999/figures/",
        "/2023/keywords/nope/",
        "/2023/keywords/thematic-education/nope/",
        "/fr/",
        "/nope/",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "页面不存在" in response.text
        assert "This page does not exist" in response.text


def test_500_page_is_bilingual():
    """The server-error page speaks both languages without needing a request."""
    html = render_to_string("500.html")
    assert "服务器出了点问题" in html
    assert "something went wrong" in html


def test_staff_see_an_edit_link_on_every_page(admin_client, review_2023, keyword):
    """Logged-in staff get an “Edit in admin” link; visitors do not."""
    response = admin_client.get(keyword.get_absolute_url())
    assert f"/admin/highlights/keyword/{keyword.pk}/change/" in response.text
    for url in page_urls(review_2023).values():
        assert "在后台编辑" in admin_client.get(url).text, url


def test_visitors_see_no_edit_link(client, review_2023):
    """Anonymous visitors never see admin links."""
    for url in page_urls(review_2023).values():
        assert "在后台编辑" not in client.get(url).text


def test_language_switcher_keeps_the_page(client, keyword):
    """The switcher links to the same page in the other language, and back."""
    html = client.get(keyword.get_absolute_url()).text
    assert 'href="/en/2023/keywords/thematic-education/"' in html
    english = client.get("/en/2023/keywords/thematic-education/").text
    assert 'href="/2023/keywords/thematic-education/"' in english
    search = client.get("/search/", {"q": "生境"}).text
    assert "/en/search/?q=%E7%94%9F%E5%A2%83" in search


def test_missing_english_falls_back_to_chinese_and_says_so(client, keyword):
    """Without an English body, the English page shows the Chinese one, marked as such."""
    Keyword.objects.filter(pk=keyword.pk).update(body_en="")
    html = client.get("/en/2023/keywords/thematic-education/").text
    assert "Not yet translated: shown in Chinese." in html
    assert '<div class="prose" lang="zh-Hans">' in html
    assert "建立党委中心组领学" in html
    assert "Not yet translated" not in client.get("/en/2023/keywords/east-hongqiao-area/").text


def test_sharing_metadata(client, keyword):
    """Title, description, canonical, hreflang, OpenGraph, Twitter and JSON-LD on a page."""
    html = client.get("/en/2023/keywords/thematic-education/").text
    assert (
        "<title>Thematic Education Campaign · Deeper and More Practical · 2023 · "
        "Xinjing Highlights</title>" in html
    )
    assert '<meta name="description" content="We set up the Four-Way Learning Mechanism' in html
    assert (
        '<link rel="canonical" href="http://testserver/en/2023/keywords/thematic-education/">'
        in html
    )
    assert 'hreflang="zh-Hans" href="http://testserver/2023/keywords/thematic-education/"' in html
    assert 'hreflang="en" href="http://testserver/en/2023/keywords/thematic-education/"' in html
    assert 'hreflang="x-default"' in html
    assert '<meta property="og:type" content="article">' in html
    assert (
        '<meta property="og:title" '
        'content="Thematic Education Campaign · Deeper and More Practical">' in html
    )
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    cover = "http://testserver/media/covers/keywords/thematic-education.jpg"
    assert f'<meta property="og:image" content="{cover}">' in html
    assert '<meta property="og:image:width" content="1600">' in html
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1)
    )
    assert data["@type"] == "Article"
    assert data["inLanguage"] == "en"
    assert data["headline"] == "Thematic Education Campaign · Deeper and More Practical"
    assert data["isPartOf"]["name"] == "Memories of Xinjing"


def test_review_json_ld_lists_awards(client, review_2023):
    """The review's JSON-LD names each award with its recipient."""
    html = client.get("/2023/").text
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1)
    )
    assert data["@type"] == "Article"
    assert data["headline"] == "记忆·新泾"
    assert {
        "@type": "Organization",
        "name": "刘二居民区",
        "award": "睦邻巷“我们的故事”策展行动",
    } in data["mentions"]
    assert len(data["mentions"]) == Award.objects.count()


def test_json_ld_cannot_close_its_script(client, keyword):
    """Content with </script> stays inside the JSON-LD block."""
    Keyword.objects.filter(pk=keyword.pk).update(
        summary_zh_hans="</script><script>alert(1)</script>"
    )
    html = client.get(keyword.get_absolute_url()).text
    assert "</script><script>alert(1)" not in html


def test_awards_are_paginated(client, review_2023):
    """Fifty awards a page, with the filter kept in the page links; a bad page is a 404."""
    keyword = review_2023.keywords.first()
    Award.objects.bulk_create(
        Award(
            keyword=keyword,
            position=100 + number,
            name_zh_hans=f"奖项{number}",
            recipient_zh_hans="新泾镇",
            level="municipal",
            year=2023,
        )
        for number in range(50)
    )
    everything = client.get("/awards/")
    assert len(everything.context["awards"]) == 50
    assert everything.context["page_obj"].paginator.count == 55
    municipal = client.get("/awards/", {"level": "municipal"})
    assert municipal.context["page_obj"].paginator.count == 53
    assert "?level=municipal&amp;page=2" in municipal.text
    second = client.get("/awards/", {"level": "municipal", "page": "2"})
    assert len(second.context["awards"]) == 3
    for odd in ("abc", "-1", "999999"):
        assert client.get("/awards/", {"page": odd}).status_code == 404


def test_cards_space_figures_as_each_language_does(client, review_2023):
    """Chinese cards run number, measure word and label together; English spaces them."""
    chinese = client.get("/").text
    assert '<span class="card-figure-number">59</span>次镇党委中心组理论学习</span>' in chinese
    english = client.get("/en/").text
    assert (
        '<span class="card-figure-number">59</span> theory study sessions of the town Party '
        "committee’s central group</span>"
    ) in english


def test_search_and_missing_pages_ask_not_to_be_indexed(client, review_2023):
    """Search results and 404 pages carry robots noindex; content pages do not."""
    noindex = '<meta name="robots" content="noindex">'
    assert noindex in client.get("/search/", {"q": "生境"}).text
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert noindex in missing.text
    assert '<p lang="en">This page does not exist, or has not been published yet.</p>' in (
        missing.text
    )
    assert noindex not in client.get("/").text


@pytest.mark.parametrize("url", ["/", "/2023/figures/", "/en/2023/figures/"])
def test_ids_on_a_page_are_unique(client, review_2023, url):
    """Figure tiles and charts of several keywords on one page never share an id."""
    ids = re.findall(r'\sid="([^"]*)"', client.get(url).text)
    assert all(ids)
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1]


def test_english_figures_use_english_punctuation(client, review_2023):
    """Nothing on the English figures page is joined with the Chinese “；”."""
    assert "；" not in client.get("/en/2023/figures/").text


def test_award_filters_speak_each_language_and_say_when_nothing_matches(client, review_2023):
    """年份： with a full-width colon; an empty result says so and offers every award."""
    chinese = client.get("/awards/", {"level": "national"}).text
    assert "年份：</label>" in chinese
    assert "没有符合筛选条件的荣誉。" in chinese
    assert 'action="/awards/"' in chinese
    assert "Year:</label>" in client.get("/en/awards/").text


def test_the_open_data_page_explains_feeds_downloads_and_the_api(client, review_2023):
    page = client.get("/en/open-data/")
    assert page.status_code == 200
    assert "<code>http://testserver/en/feed/atom/</code>" in page.text
    assert '<a href="/en/2023/figures.csv" download>CSV</a>' in page.text
    assert '<a href="/en/2023/figures.json" download>JSON</a>' in page.text
    assert 'href="/api/docs/"' in page.text
    chinese = client.get("/open-data/").text
    assert "<h1>开放数据</h1>" in chinese
    assert '<a href="/open-data/">开放数据：订阅、下载、接口</a>' in chinese  # in every footer


def test_the_open_data_page_lists_only_published_reviews(client, review_2023):
    review_2023.status = "draft"
    review_2023.save()
    assert "figures.csv" not in client.get("/open-data/").text


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/en/awards/", "Awards"),
        ("/en/2023/figures/", "Key figures of 2023"),
        ("/en/reviews/", "All reviews"),
    ],
)
def test_every_page_type_shares_with_its_own_title_and_a_square_image(
    client, review_2023, url, title
):
    """What a chat app shows for a shared list page: its own title and description, and the
    site's square icon (covers are for pages that have one)."""
    page = client.get(url).text
    assert f'<meta property="og:title" content="{title}">' in page
    assert '<meta property="og:description" content="The yearly review' not in page
    assert (
        '<meta property="og:image" content="http://testserver/static/icons/icon-512.png">' in page
    )
    assert f"<title>{title} · Xinjing Highlights</title>" in page
