"""The history page: each revision one entry with its inline rows, one line per field and
language, publications, restores and discards labelled (issues #11 and #24)."""

from django.test import Client

from highlights import history, revisions
from highlights.models import Keyword, Revision
from tests.admin_forms import admin_url, change_form_data, keyword_form_url

LONG_BODY = "新泾镇" * 120


def save_keyword(client: Client, keyword: Keyword, changes: dict, publish: bool = True) -> None:
    url = keyword_form_url(keyword.pk)
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
    published, saved = page.context["page_obj"][:2]
    assert published.revision.kind == Revision.Kind.PUBLISHED
    assert published.revision.user.username == "publisher"
    assert published.note.startswith("Published the version saved by publisher")
    assert saved.revision.kind == Revision.Kind.SAVED
    labels = [change.label for row in saved.rows for change in row.fields]
    assert labels.count("tagline (English)") == 1
    assert "name (English)" in labels
    assert "tagline" not in labels  # the column that mirrors the active language
    assert {row.model.__name__ for row in saved.rows} == {"Keyword", "Initiative"}
    assert "A Renamed Initiative" in page.text
    assert "None" not in page.text
    assert "chars]" not in page.text
    assert "— → —" not in page.text


def test_long_text_is_shown_whole(publisher_client, review_2023):
    keyword = review_2023.keywords.get(position=2)
    save_keyword(publisher_client, keyword, {"body_zh_hans": LONG_BODY})
    page = history_page(publisher_client, keyword)
    assert LONG_BODY in page.text
    assert "<details>" in page.text


def test_a_save_that_changed_nothing_lists_no_change(publisher_client, review_2023):
    """Every save is a revision, but one that changed nothing shows no phantom rows."""
    keyword = review_2023.keywords.get(position=3)
    Keyword.objects.filter(pk=keyword.pk).update(status="draft")
    save_keyword(publisher_client, keyword, {}, publish=False)
    newest = history_page(publisher_client, keyword).context["page_obj"][0]
    assert newest.revision.kind == Revision.Kind.SAVED
    assert newest.rows == []


def test_discarding_is_on_record(publisher_client, review_2023):
    keyword = review_2023.keywords.get(position=2)
    save_keyword(publisher_client, keyword, {"tagline_en": "Never published"}, publish=False)
    publisher_client.post(admin_url("keyword_changes", keyword.pk), {"discard": "1"})
    newest = history_page(publisher_client, keyword).context["page_obj"][0]
    assert newest.revision.get_kind_display() == "Pending changes discarded"
    assert newest.revision.user.username == "publisher"
    assert [change.new for row in newest.rows for change in row.fields] == ["Moving in Step"]


def test_the_history_page_speaks_chinese(publisher_client, review_2023):
    keyword = review_2023.keywords.get(position=2)
    save_keyword(publisher_client, keyword, {"tagline_en": "Moving Together"})
    page = history_page(publisher_client, keyword, language="zh-hans")
    for english in ["What changed", "Revisions", "Published the version", "(English)"]:
        assert english not in page.text
    assert "引语（英文）" in page.text


def test_history_page_query_budget(publisher_client, review_2023, django_assert_max_num_queries):
    keyword = review_2023.keywords.get(position=2)
    save_keyword(publisher_client, keyword, {"tagline_en": "Moving Together"})
    with django_assert_max_num_queries(15):
        history_page(publisher_client, keyword)


def test_history_names_related_rows_and_shows_whole_numbers(publisher_client, review_2023):
    """A figure moved to another initiative is named by its initiative's title, not its id;
    a count reads 59, not 59.00."""
    keyword = review_2023.keywords.get(position=1)
    save_keyword(publisher_client, keyword, {"figures-0-value": "60"}, publish=False)
    page = history_page(publisher_client, keyword)
    assert "59.00" not in page.text
    (row,) = page.context["page_obj"][0].rows
    (change,) = row.fields
    assert (str(change.old), str(change.new)) == ("59", "60")


def test_a_long_history_compares_one_page_only(publisher_client, review_2023, monkeypatch):
    """Thirty revisions: the first page of twenty compares twenty, not thirty (each comparison
    reads two whole units)."""
    keyword = review_2023.keywords.get(position=2)
    latest = revisions.latest_revision(keyword)
    for _ in range(30):
        latest = revisions.record(
            keyword, Revision.Kind.SAVED, None, data=latest.data, based_on=latest
        )
    compared = []
    real = history.compare
    monkeypatch.setattr(history, "compare", lambda *args: compared.append(1) or real(*args))
    page = history_page(publisher_client, keyword)
    assert page.context["page_obj"].paginator.count == 31
    assert len(compared) <= 20
