"""Public pages: content in both languages, drafts hidden, bounded queries."""

import pytest
from django.utils import translation

from highlights.models import Keyword, Review, Status


@pytest.fixture
def keyword(review_2023) -> Keyword:
    return review_2023.keywords.get(slug="thematic-education")


def pages(review: Review, keyword: Keyword) -> list[str]:
    initiative = keyword.initiatives.get(slug="four-ways-of-learning")
    return [
        "/",
        review.get_absolute_url(),
        keyword.get_absolute_url(),
        initiative.get_absolute_url(),
    ]


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_every_page_answers_in_both_languages(client, review_2023, keyword, prefix):
    """Each public page is 200 under / and /en/ with the right <html lang>."""
    for url in pages(review_2023, keyword):
        response = client.get(prefix + url)
        assert response.status_code == 200, url
        assert f'<html lang="{"en" if prefix else "zh-Hans"}">' in response.text


def test_home_shows_the_latest_review_and_its_keywords(client, review_2023):
    """The home page shows the 2023 review and its seven keyword cards in order."""
    response = client.get("/")
    text = response.text
    assert "记忆·新泾" in text
    assert "辞兔迎春新岁旺 乘龙奋进再启航" in text
    titles = ["主题教育", "东虹片区", "经济名片", "“绣花功夫”", "幸福之地", "文脉隽永", "党建引领"]
    positions = [text.index(title) for title in titles]
    assert positions == sorted(positions)
    assert "7000余名党员参与" not in text or "59次镇党委中心组理论学习" in text


def test_keyword_page_in_english(client, keyword):
    """The English keyword page shows the translation and the figures."""
    with translation.override("en"):
        url = keyword.get_absolute_url()
    response = client.get(url)
    assert "Thematic Education" in response.text
    assert "7,000+ Party members taking part" in response.text
    assert "Four Ways of Learning" in response.text


def test_keyword_page_in_chinese(client, keyword):
    """The Chinese keyword page shows the source paragraph and figures."""
    response = client.get(keyword.get_absolute_url())
    assert "建立党委中心组领学、党员自学、支部互学、区域单位共学的“四学机制”" in response.text
    assert "7000余名党员参与" in response.text


def test_drafts_are_404_for_the_public_and_visible_to_staff(
    client, admin_client, review_2023, keyword
):
    """Unpublished content is hidden from visitors; staff can preview it."""
    keyword.status = Status.DRAFT
    keyword.save()
    assert client.get(keyword.get_absolute_url()).status_code == 404
    preview = admin_client.get(keyword.get_absolute_url())
    assert preview.status_code == 200
    assert "Preview" in preview.text or "预览" in preview.text

    review_2023.status = Status.DRAFT
    review_2023.save()
    for url in pages(review_2023, keyword):
        assert client.get(url).status_code == 404, url
        assert admin_client.get(url).status_code == 200, url


def test_unknown_years_and_slugs_are_404(client, review_2023):
    """Made-up addresses are a plain 404."""
    for url in ["/1999/", "/2023/keywords/nope/", "/2023/keywords/thematic-education/nope/"]:
        assert client.get(url).status_code == 404


def test_staff_see_an_edit_link(admin_client, keyword):
    """Logged-in staff get an “Edit in admin” link to the object."""
    response = admin_client.get(keyword.get_absolute_url())
    assert f"/admin/highlights/keyword/{keyword.pk}/change/" in response.text


@pytest.mark.parametrize("page", range(4))
def test_query_counts_do_not_grow_with_data(
    client, django_assert_max_num_queries, review_2023, keyword, page
):
    """Each page's queries are bounded, and stay so with ten times the content."""
    url = pages(review_2023, keyword)[page]
    # Home and review: review + keywords + metrics; keyword: keyword + 3 relations;
    # initiative: initiative + metrics. Sessions/auth add none for anonymous visitors.
    with django_assert_max_num_queries(4):
        assert client.get(url).status_code == 200
    multiply_content(keyword, times=10)
    with django_assert_max_num_queries(4):
        assert client.get(url).status_code == 200


def multiply_content(keyword: Keyword, times: int) -> None:
    """Add `times` copies of every keyword, initiative, figure and award of a review."""
    review = keyword.review
    originals = list(review.keywords.prefetch_related("initiatives", "metrics", "awards"))
    offset = len(originals)
    for copy_number in range(1, times):
        for original in originals:
            children = {
                "initiatives": list(original.initiatives.all()),
                "metrics": list(original.metrics.all()),
                "awards": list(original.awards.all()),
            }
            clone = Keyword.objects.get(pk=original.pk)
            clone.pk = None
            clone.position = original.position + offset * copy_number
            clone.slug = f"{original.slug}-{copy_number}"
            clone.save()
            for related, objects in children.items():
                for obj in objects:
                    obj.pk = None
                    obj.keyword = clone
                    if related == "metrics":
                        obj.initiative = None
                    obj.save()
    # Give the tested keyword and initiative more children too.
    for extra in range(times):
        initiative = keyword.initiatives.get(slug="four-ways-of-learning")
        metric = keyword.metrics.first()
        metric.pk = None
        metric.position = 100 + extra
        metric.initiative = initiative
        metric.save()
