"""Feeds, sitemap and robots.txt: what search engines and feed readers get."""

import pytest

from highlights.models import Keyword, Place, Status

pytestmark = pytest.mark.usefixtures("review_2023")


def test_rss_feed_lists_published_keywords_in_chinese(client):
    """/feed/ is RSS with every published keyword, in Chinese."""
    response = client.get("/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    assert response.text.count("<item>") == 7
    assert "2023 · 主题教育 · 走深走实" in response.text


def test_atom_feed_in_english(client):
    """/en/feed/atom/ is Atom in English with English links."""
    response = client.get("/en/feed/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    assert response.text.count("<entry>") == 7
    assert "Thematic Education" in response.text
    assert "http://testserver/en/2023/keywords/thematic-education/" in response.text


def test_feeds_leave_out_drafts(client):
    """An unpublished keyword is not in the feed."""
    Keyword.objects.filter(position=1).update(status=Status.UNPUBLISHED)
    assert client.get("/feed/").text.count("<item>") == 6


def test_sitemap_has_both_languages_with_alternates(client):
    """sitemap.xml lists pages in Chinese and English, with hreflang alternates."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    text = response.text
    assert "<loc>http://testserver/2023/keywords/thematic-education/</loc>" in text
    assert "<loc>http://testserver/en/2023/keywords/thematic-education/</loc>" in text
    assert 'hreflang="zh-hans"' in text
    assert 'hreflang="x-default"' in text
    assert "<loc>http://testserver/2023/figures/</loc>" in text
    assert "four-ways-of-learning" in text


def test_sitemap_leaves_out_drafts(client):
    """Unpublished keywords are not announced to search engines."""
    Keyword.objects.filter(slug="thematic-education").update(status=Status.UNPUBLISHED)
    text = client.get("/sitemap.xml").text
    assert "thematic-education" not in text


def test_robots_txt(client):
    """robots.txt points to the sitemap and keeps search result pages out."""
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Sitemap: http://testserver/sitemap.xml" in response.text
    assert "Disallow: /search/" in response.text


def test_every_column_has_its_feeds(client):
    """Places and service guides too, newest first, named as the page names them; an empty
    column is a valid feed with no items."""
    places = client.get("/places/feed/")
    assert places["Content-Type"].startswith("application/rss+xml")
    assert places.text.count("<item>") == Place.objects.published().count() == 12
    assert "<title>新泾年度回眸 · 便民服务点</title>" in places.text
    assert "仙霞路党群服务中心" in places.text
    guides = client.get("/en/services/feed/atom/")
    assert guides.status_code == 200
    assert "<entry>" not in guides.text
    assert "<title>Xinjing Highlights · Service guides</title>" in guides.text
    assert 'href="/places/feed/atom/"' in client.get("/places/").text
    assert 'href="/services/feed/atom/"' in client.get("/services/").text
