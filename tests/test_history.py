"""The history page: each save one entry with its inline rows, one line per field and
language, publications, restores and discards labelled (issue #11)."""

from django.test import Client

from highlights.models import Keyword
from tests.admin_forms import admin_url, change_form_data

LONG_BODY = "新泾镇" * 120


def save_keyword(client: Client, keyword: Keyword, changes: dict, publish: bool = True) -> None:
    url = admin_url("keyword_change", keyword.pk)
    extra = {"_publish": "1"} if publish else {}
    response = client.post(url, change_form_data(client, url) | changes | extra)
    assert response.status_code == 302


def history_page(client: Client, keyword: Keyword, language: str = "en"):
    response = client.get(admin_url("keyword_history", keyword.pk, language=language))
    assert response.status_code == 200
    return response


def test_a_save_with_inlines_is_one_entry(publisher_client, review_2023):
    keyword = review_2023.keywords.get(position=2)
    save_keyword(
        publisher_client,
        keyword,
        {"tagline_en": "Moving Together", "initiatives-0-name_en": "A Renamed Initiative"},
    )
    page = history_page(publisher_client, keyword)
    newest = page.context["page_obj"][0]
    assert newest.user.username == "publisher"
    assert newest.reason_label == "Published pending changes"
    labels = [change.label for row in newest.rows for change in row.fields]
    assert labels.count("tagline (English)") == 1
    assert "name (English)" in labels
    assert "tagline" not in labels  # the column that mirrors the active language
    assert {row.model.__name__ for row in newest.rows} == {"Keyword", "Initiative"}
    assert "A Renamed Initiative" in page.text
    assert "None" not in page.text
    assert "chars]" not in page.text


def test_long_text_is_shown_whole(publisher_client, review_2023):
    keyword = review_2023.keywords.get(position=2)
    save_keyword(publisher_client, keyword, {"body_zh_hans": LONG_BODY})
    page = history_page(publisher_client, keyword)
    assert LONG_BODY in page.text
    assert "<details>" in page.text


def test_a_save_that_changed_nothing_adds_no_entry(publisher_client, review_2023):
    review_2023.status = "draft"
    review_2023.save()
    keyword = review_2023.keywords.get(position=3)
    keyword.status = "draft"
    keyword.save()
    before = history_page(publisher_client, keyword).context["page_obj"].paginator.count
    save_keyword(publisher_client, keyword, {}, publish=False)
    after = history_page(publisher_client, keyword).context["page_obj"].paginator.count
    assert after == before


def test_discarding_is_on_record(publisher_client, review_2023):
    keyword = review_2023.keywords.get(position=2)
    save_keyword(publisher_client, keyword, {"tagline_en": "Never published"}, publish=False)
    publisher_client.post(admin_url("keyword_changes", keyword.pk), {"discard": "1"})
    newest = history_page(publisher_client, keyword).context["page_obj"][0]
    assert newest.reason_label == "Discarded pending changes"
    assert newest.user.username == "publisher"


def test_the_history_page_speaks_chinese(publisher_client, review_2023):
    keyword = review_2023.keywords.get(position=2)
    save_keyword(publisher_client, keyword, {"tagline_en": "Moving Together"})
    page = history_page(publisher_client, keyword, language="zh-hans")
    for english in ["What changed", "Changes", "Published pending changes", "(English)"]:
        assert english not in page.text
    assert "引语（英文）" in page.text
    assert "发布了待发布修改" in page.text


def test_history_page_query_budget(publisher_client, review_2023, django_assert_max_num_queries):
    keyword = review_2023.keywords.get(position=2)
    save_keyword(publisher_client, keyword, {"tagline_en": "Moving Together"})
    with django_assert_max_num_queries(15):
        history_page(publisher_client, keyword)
