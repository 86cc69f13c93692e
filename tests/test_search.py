"""Search in Chinese and English, on whichever database the suite runs against."""

import pytest
from django.utils import translation

from highlights.models import Initiative, Status
from highlights.search import snippet
from tests.content import multiply_content

pytestmark = pytest.mark.usefixtures("review_2023")


def result_titles(response) -> list[str]:
    return [result.title for result in response.context["page_obj"].object_list]


def test_chinese_word_inside_chinese_text(client):
    """生境 finds the habitat museum, the gardens and their keyword, on this database."""
    response = client.get("/search/", {"q": "生境"})
    assert response.status_code == 200
    titles = result_titles(response)
    assert "社区级生境博物馆" in titles
    assert "生境花园" in titles
    assert "幸福之地 · 泾彩蝶变" in titles
    assert "5座生境花园" in titles


def test_english_search_is_case_insensitive(client):
    """HABITAT finds the same things on the English site."""
    titles = result_titles(client.get("/en/search/", {"q": "HABITAT"}))
    assert "Community Habitat Museum" in titles
    assert "Habitat Gardens" in titles


def test_search_across_languages(client):
    """An English word finds Chinese pages too, and the snippet shows where."""
    response = client.get("/search/", {"q": "habitat"})
    assert "社区级生境博物馆" in result_titles(response)
    assert "<mark>habitat</mark>" in response.text


def test_results_grouped_by_type_and_highlighted(client):
    """Keywords, initiatives, figures and awards come in groups, matches in <mark>."""
    response = client.get("/search/", {"q": "生境花园"})
    text = response.text
    order = [text.index(heading) for heading in ("<h2>举措</h2>", "<h2>数据</h2>")]
    assert order == sorted(order)
    assert "<mark>生境花园</mark>" in text
    awards = client.get("/search/", {"q": "银奖"})
    assert "<h2>荣誉</h2>" in awards.text
    assert result_titles(awards)[-1] == "睦邻巷“我们的故事”策展行动"


def test_search_finds_recipients_and_figures(client):
    """Award recipients and figure labels are searchable."""
    assert "上海市新时代居村先锋堡垒" in result_titles(client.get("/search/", {"q": "绿八"}))
    assert "more than 7,000 Party members taking part" in result_titles(
        client.get("/en/search/", {"q": "party members"})
    )


def test_search_is_paginated(client, review_2023):
    """Many results spread over pages of twenty; odd page numbers stay on a real page."""
    multiply_content(review_2023, times=3)
    first = client.get("/search/", {"q": "党"})
    assert first.context["result_count"] > 20
    assert len(first.context["page_obj"].object_list) == 20
    second = client.get("/search/", {"q": "党", "page": "2"})
    assert second.context["page_obj"].number == 2
    for odd in ("abc", "-1", "999999"):
        assert client.get("/search/", {"q": "党", "page": odd}).status_code == 200


def test_drafts_are_not_found(client):
    """An unpublished keyword's initiatives do not show up for visitors."""
    museum = Initiative.objects.get(slug="habitat-museum")
    museum.keyword.status = Status.UNPUBLISHED
    museum.keyword.save()
    found = client.get("/search/", {"q": "生境"}).text
    assert museum.get_absolute_url() not in found
    # The museum's place and its news story are not the keyword's: still found.
    assert "/places/habitat-museum/" in found


def test_staff_find_drafts(admin_client):
    """Staff searching see unpublished matches, to preview them."""
    museum = Initiative.objects.get(slug="habitat-museum")
    museum.keyword.status = Status.UNPUBLISHED
    museum.keyword.save()
    assert "社区级生境博物馆" in result_titles(admin_client.get("/search/", {"q": "生境"}))


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("x" * 10_000, "搜索内容最多 100 个字符。"),
        ("生境\x00", "空字符串"),
    ],
    ids=["very-long", "nul-byte"],
)
def test_bad_searches_get_a_message(client, query, message):
    """A huge or binary search is refused politely, never with a 500."""
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert message in response.text
    assert "page_obj" not in response.context


def test_empty_search_shows_the_form(client):
    """No query, or only spaces, shows the search box and no results."""
    for params in ({}, {"q": "   "}):
        response = client.get("/search/", params)
        assert response.status_code == 200
        assert 'name="q"' in response.text
        assert "page_obj" not in response.context


def test_search_escapes_what_it_echoes(client):
    """Markup in the query is shown as text, never run."""
    response = client.get("/search/", {"q": "<script>alert(1)</script>"})
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;" in response.text


def test_one_latin_letter_is_too_short_but_one_chinese_character_is_not(client):
    """?q=a would match inside nearly every English word; 泾 is a real search."""
    short = client.get("/en/search/", {"q": "a"})
    assert "Please type at least two letters." in short.text
    assert "page_obj" not in short.context
    found = client.get("/search/", {"q": "泾"})
    assert "幸福之地 · <mark>泾</mark>彩蝶变" in found.text


def test_excerpts_start_on_a_word_and_say_their_language(client):
    """An English excerpt never starts mid-word; a Chinese one on an English page has lang."""
    text = "Residents gathered by the waterside for a community conversation about habitats."
    initiative = Initiative(name_zh_hans="生境", description_en=text, description_zh_hans="生境")
    with translation.override("en"):
        excerpt, lang = snippet(initiative, "habitats")
    assert excerpt.startswith("…")
    assert text.find(excerpt[1:].rstrip("…")) in {0} | {
        index + 1 for index, character in enumerate(text) if character == " "
    }
    assert lang == ""
    chinese_only = client.get("/en/search/", {"q": "生境"})
    assert 'lang="zh-Hans"' in chinese_only.text.split("</h1>", 1)[1]
