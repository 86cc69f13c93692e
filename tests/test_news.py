"""The news column: safe markup, list and archive pages, feeds, the 指引's metadata and the home
page's latest news."""

from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError

from highlights.markup import render_markup
from highlights.models import News, Review
from highlights.publishing import Status
from tests.images import image_bytes, upload

STORY = "/news/first-happy-living-home-festival/"


@pytest.fixture
def story(review_2023) -> News:
    return News.objects.get(slug="first-happy-living-home-festival")


@pytest.mark.parametrize(
    "typed",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="https://example.com" style="color:red">x</a>',
        "![x](data:text/html;base64,PHNjcmlwdD4=)",
    ],
)
def test_markup_never_runs_what_is_typed(typed):
    """Scripts, handlers, styles and script links come out as text or not at all."""
    elements = Elements()
    elements.feed(render_markup(typed))
    assert "script" not in {tag for tag, _attributes in elements.found}
    for _tag, attributes in elements.found:
        for name, value in attributes:
            assert not name.startswith("on")
            assert name != "style"
            assert not (value or "").startswith(("javascript:", "data:"))


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs) -> None:
        self.found.append((tag, attrs))


def test_markup_keeps_headings_lists_links_and_images():
    """The small markup staff write: headings one level under the page title, lists, links."""
    html = render_markup(
        "# 报名\n\n- 第一项\n- 第二项\n\n[详情](https://example.com) ![图](/media/a.jpg)"
    )
    assert "<h2>报名</h2>" in html
    assert "<li>第一项</li>" in html
    assert 'href="https://example.com"' in html
    assert 'rel="noopener noreferrer"' in html
    assert '<img src="/media/a.jpg" alt="图">' in html


def test_a_story_photo_needs_alt_text(story):
    """A photo without words for those who cannot see it is a form error, naming the field."""
    story.cover = upload(image_bytes())
    with pytest.raises(ValidationError) as error:
        story.full_clean()
    assert "cover_alt_text_zh_hans" in error.value.message_dict


def test_the_column_lists_stories_newest_first_with_archives(client, review_2023):
    """The list, the year's and the month's pages all show the demo's stories, linked."""
    for url in ("/news/", "/news/2024/", "/news/2024/02/"):
        page = client.get(url)
        assert page.status_code == 200
        assert STORY in page.text
    assert "/news/2024/02/" in client.get("/news/2024/").text


@pytest.mark.parametrize("url", ["/news/2031/", "/news/2024/03/", "/news/2024/13/", "/news/0/"])
def test_a_period_without_news_is_404(client, review_2023, url):
    """No made-up date is a page of its own."""
    assert client.get(url).status_code == 404


def test_an_unpublished_story_is_hidden_from_residents(client, admin_client, story):
    """Off the list, the feed and its own address; staff still preview it."""
    story.status = Status.UNPUBLISHED
    story.save()
    assert client.get(STORY).status_code == 404
    assert STORY not in client.get("/news/").text
    assert STORY not in client.get("/news/feed/").text
    assert admin_client.get(STORY).status_code == 200


def test_the_story_page_names_its_source_and_links_the_review(client, story):
    text = client.get(STORY).text
    assert "《记忆·新泾》" in text
    assert "/2023/keywords/enduring-heritage/" in text
    assert "/2023/keywords/enduring-heritage/happy-living-home-festival/" in text


def test_every_page_carries_the_guideline_metadata(client, story, settings):
    """SiteName, SiteDomain, ColumnName and ColumnType on every page; an article's title,
    date and source on a story's."""
    text = client.get(STORY).text
    assert '<meta name="SiteName" content="新泾年度回眸">' in text
    assert f'<meta name="SiteDomain" content="{settings.SITE_URL.split("//")[1]}">' in text
    assert '<meta name="ColumnName" content="动态">' in text
    assert '<meta name="ColumnType" content="政务动态">' in text
    assert '<meta name="ArticleTitle" content="首届新泾“乐活家园节”成功举办">' in text
    assert '<meta name="PubDate" content="2024-02-01 09:00">' in text
    assert '<meta name="ContentSource" content="《记忆·新泾》">' in text
    places = client.get("/places/").text
    assert '<meta name="ColumnName" content="便民服务点">' in places
    assert '<meta name="ColumnType" content="办事服务">' in places


def test_the_feeds_carry_the_stories_on_the_sites_address(client, story, settings):
    """RSS and Atom, links on SITE_URL whatever Host was asked for."""
    for url in ("/news/feed/", "/news/feed/atom/"):
        feed = client.get(url, HTTP_HOST="localhost").text
        assert f"{settings.SITE_URL}{STORY}" in feed
        assert "http://localhost/" not in feed


def test_the_home_page_leads_with_the_latest_news(client, story):
    """The newest stories come before the review; the oldest waits in the column."""
    text = client.get("/").text
    newest = News.objects.published().newest_first().first().get_absolute_url()
    assert text.index(newest) < text.index('<article class="review">')
    assert STORY not in text


def test_a_site_without_a_published_review_leads_with_its_news(
    client, review_2023, django_assert_max_num_queries
):
    """A town that publishes news before any review has a home page all the same: the review
    first, the stories, the notices and the site's identity and columns (5), with the news."""
    Review.objects.update(status=Status.UNPUBLISHED)
    with django_assert_max_num_queries(5):
        response = client.get("/")
    assert response.status_code == 200
    newest = News.objects.published().newest_first().first()
    assert newest.get_absolute_url() in response.text
    assert "<h1>新泾年度回眸</h1>" in response.text
    assert '<article class="review">' not in response.text
    News.objects.update(status=Status.UNPUBLISHED)
    assert "尚未发布任何内容" in client.get("/").text
