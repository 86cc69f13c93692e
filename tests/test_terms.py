"""Canonical terms: near misses found at one character, in Chinese and English, in every
published text; the term itself, or a longer word containing it, never; the list is the
publishers'."""

import pytest

from highlights.inspection import inspect
from highlights.models import Keyword, News
from highlights.terms import DEFAULT_TERMS, CanonicalTerm, create_terms, near_misses
from tests.admin_forms import admin_url

TERM = "全过程人民民主"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("我们践行全过程人民民主。", []),
        ("践行全过程人名民主。", ["全过程人名民主"]),  # a wrong character
        ("践行全过程人民主，", ["全过程人民主"]),  # a missing one
        ("践行全过程的人民民主。", ["全过程的人民民主"]),  # an extra one
        ("全过程人民民主制度与全过程人民明主", ["全过程人民明主"]),  # the second only
        ("全程人民民主和全过程人民民主", ["全程人民民主"]),
        ("", []),
    ],
)
def test_near_misses_of_a_chinese_term(text, found):
    assert near_misses(TERM, text) == found


def test_a_word_containing_a_term_is_not_a_near_miss():
    text = "深入学习习近平新时代中国特色社会主义思想主题教育"
    assert near_misses("中国特色社会主义", text) == []
    assert near_misses("习近平新时代中国特色社会主义思想", text) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("We put whole-process people’s democracy into practice.", []),
        ("Whole-process people's democracy at work.", []),
        (
            "We put whole process people's democracy into practice.",
            ["whole process people's democracy"],
        ),
        ("the whole-process peoples democracy", ["whole-process peoples democracy"]),
        ("in Changning Distict, Shanghai", ["Changning Distict"]),
        ("the Changning District Financial Services Party", []),
    ],
)
def test_near_misses_of_english_terms(text, found):
    term = "whole-process people's democracy" if "democracy" in text else "Changning District"
    assert near_misses(term, text) == found


def near_miss_findings() -> list[dict]:
    return [f.data for f in inspect(False) if f.check == "accuracy.near_miss"]


def test_the_demo_has_no_near_misses(review_2023):
    assert near_miss_findings() == []


def test_near_misses_in_a_keyword_body_a_news_title_and_an_english_summary(review_2023):
    keyword = Keyword.objects.published().first()
    keyword.body_zh_hans += "践行全过程人名民主。"
    keyword.save()
    story = News.objects.published().first()
    story.title_zh_hans = "学习中国特色社社会主义"
    story.summary_en = "Socialism with Chinese characterstics in Xinjing Town."
    story.save()
    found = {(f["found"], f["term"], f["field"]) for f in near_miss_findings()}
    assert found == {
        ("全过程人名民主", "全过程人民民主", "body_zh_hans"),
        ("中国特色社社会主义", "中国特色社会主义", "title_zh_hans"),
        (
            "Socialism with Chinese characterstics",
            "socialism with Chinese characteristics",
            "summary_en",
        ),
    }
    finding = next(f for f in inspect(False) if f.data.get("field") == "title_zh_hans")
    message = finding.as_json()["message"]
    assert "“中国特色社社会主义”" in message["zh-hans"]
    assert "“中国特色社会主义”" in message["zh-hans"]
    assert finding.link == admin_url("news_change", story.pk, language="zh-hans")


def test_unpublished_text_is_not_inspected(review_2023):
    story = News.objects.published().first()
    story.title_zh_hans = "学习中国特色社社会主义"
    story.status = "draft"
    story.save()
    assert near_miss_findings() == []


def test_publishers_keep_the_list(db, publisher_client, editor_client):
    assert sorted(CanonicalTerm.objects.values_list("term", flat=True)) == sorted(DEFAULT_TERMS)
    url = admin_url("canonicalterm_add")
    response = publisher_client.post(url, {"term": "新泾", "note": ""})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["term"]
    assert publisher_client.post(url, {"term": "人民城市人民建", "note": "上海"}).status_code == 302
    assert editor_client.post(url, {"term": "人民城市为人民", "note": ""}).status_code == 403
    CanonicalTerm.objects.filter(term="中国式现代化").delete()
    create_terms()
    assert not CanonicalTerm.objects.filter(term="中国式现代化").exists()
