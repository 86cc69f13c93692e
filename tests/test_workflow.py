"""Staff workflow: scheduling, preview, history and restore, translation status, next year,
reordering."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from highlights import languages
from highlights.changes import compare
from highlights.models import Figure, Initiative, Keyword, Photo, Review, Revision, Status
from highlights.publishing import PublicationState
from tests.admin_forms import admin_url, change_form_data, publish_pending
from tests.images import image_bytes, upload

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_scheduled_keyword_appears_exactly_on_time(client, review_2023):
    """A keyword scheduled for 9:00 is hidden at 8:59:59 and live at 9:00, with no cron job."""
    keyword = review_2023.keywords.get(position=1)
    launch = datetime(2030, 1, 15, 9, 0, tzinfo=SHANGHAI)
    Keyword.objects.filter(pk=keyword.pk).update(publish_at=launch)
    with time_machine.travel(launch - timedelta(seconds=1), tick=False):
        assert client.get(keyword.get_absolute_url()).status_code == 404
        assert "主题教育" not in client.get("/").text
        assert Keyword.objects.get(pk=keyword.pk).publication_state == PublicationState.SCHEDULED
    with time_machine.travel(launch, tick=False):
        assert client.get(keyword.get_absolute_url()).status_code == 200
        assert Keyword.objects.get(pk=keyword.pk).publication_state == PublicationState.LIVE


def test_scheduled_items_stay_out_of_feeds_exports_and_api(client, review_2023):
    """Until its time, a scheduled keyword is in no feed, export or API answer."""
    keyword = review_2023.keywords.get(position=1)
    Keyword.objects.filter(pk=keyword.pk).update(publish_at=datetime(2099, 1, 1, tzinfo=SHANGHAI))
    assert "主题教育" not in client.get("/feed/").text
    assert "镇党委中心组理论学习" not in client.get("/2023/figures.csv").content.decode()
    assert "主题教育" not in client.get("/api/keywords/").content.decode()
    assert client.get(f"/api/keywords/{keyword.pk}/").status_code == 404


def test_admin_lists_show_and_filter_publication_state(publisher_client, review_2023):
    """Draft, scheduled and published are shown and filterable."""
    Keyword.objects.filter(position=1).update(status=Status.UNPUBLISHED)
    Keyword.objects.filter(position=2).update(publish_at=datetime(2099, 1, 1, tzinfo=SHANGHAI))
    url = admin_url("keyword_changelist")
    response = publisher_client.get(url)
    assert 'class="pub pub-draft"' in response.text
    assert 'class="pub pub-scheduled"' in response.text
    assert "2099-01-01" in response.text
    for state, count in [("draft", 1), ("scheduled", 1), ("live", 5)]:
        assert publisher_client.get(url, {"state": state}).context["cl"].result_count == count


@pytest.mark.parametrize("model", ["review", "keyword", "initiative"])
def test_preview_buttons_in_both_languages(publisher_client, review_2023, model):
    """Each change form links to the public page in Chinese and in English."""
    obj = {
        "review": review_2023,
        "keyword": Keyword.objects.first(),
        "initiative": Initiative.objects.first(),
    }[model]
    response = publisher_client.get(admin_url(f"{model}_change", obj.pk))
    for language in languages.codes():
        preview = admin_url(f"{model}_preview", obj.pk, language)
        assert f'href="{preview}" target="_blank"' in response.text
        page = publisher_client.get(preview)
        assert page.status_code == 200
        assert f'<html lang="{languages.html_lang(language)}">' in page.text
    assert "Preview (English)" in response.text


def test_preview_shows_a_draft_to_staff(publisher_client, client, review_2023):
    """The preview of a draft renders for staff, marked as not public; visitors get 404."""
    keyword = review_2023.keywords.get(position=3)
    Keyword.objects.filter(pk=keyword.pk).update(status=Status.UNPUBLISHED)
    chinese = "/2023/keywords/economic-calling-card/"
    assert "预览" in publisher_client.get(chinese).text
    assert "Preview: not visible" in publisher_client.get("/en" + chinese).text
    assert client.get(chinese).status_code == 404


def edit_keyword(client, keyword: Keyword, **changes) -> None:
    """Save the keyword's form with these changes, publishing them at once."""
    url = admin_url("keyword_change", keyword.pk)
    response = client.post(url, change_form_data(client, url) | changes | {"_publish": "1"})
    assert response.status_code == 302, response.context and response.context.get("errors")


def test_history_records_who_what_and_both_languages(publisher_client, review_2023):
    """A change is recorded with its author and old and new values in both languages."""
    keyword = review_2023.keywords.get(position=2)
    edit_keyword(
        publisher_client, keyword, tagline_en="Moving Together", tagline_zh_hans="同频共振"
    )
    saved = Revision.objects.of(keyword).get(kind=Revision.Kind.SAVED)
    assert saved.user.username == "publisher"
    (row,) = compare(saved.based_on.data, saved.data)
    changed = {change.label: (change.old, change.new) for change in row.fields}
    assert changed["tagline (English)"] == ("Moving in Step", "Moving Together")
    assert ("同频联动", "同频共振") in changed.values()
    page = publisher_client.get(admin_url("keyword_history", keyword.pk))
    assert page.status_code == 200
    assert "Moving Together" in page.text
    assert "publisher" in page.text


def restore_first(client, keyword):
    first = Revision.objects.of(keyword).get(kind=Revision.Kind.CREATED)
    return client.post(admin_url("keyword_restore", keyword.pk, first.pk))


def test_publisher_restores_an_earlier_version(publisher_client, review_2023):
    """Restoring brings back the earlier values in both languages."""
    keyword = review_2023.keywords.get(position=2)
    edit_keyword(publisher_client, keyword, tagline_en="Oops", tagline_zh_hans="错误")
    response = restore_first(publisher_client, keyword)
    assert response.url == admin_url("keyword_changes", keyword.pk)
    keyword.refresh_from_db()
    assert keyword.tagline_en == "Oops"
    publish_pending(publisher_client, keyword)
    keyword.refresh_from_db()
    assert (keyword.tagline_zh_hans, keyword.tagline_en) == ("同频联动", "Moving in Step")
    assert keyword.live_revision.based_on.kind == Revision.Kind.RESTORED


def test_editor_sees_history_but_cannot_restore(editor_client, publisher_client, review_2023):
    """Editors may read the history; restoring is refused."""
    keyword = review_2023.keywords.get(position=2)
    edit_keyword(publisher_client, keyword, tagline_en="Oops")
    history = editor_client.get(admin_url("keyword_history", keyword.pk))
    assert history.status_code == 200
    assert history.context["may_restore"] is False
    assert "Restore this version" not in history.text
    assert restore_first(editor_client, keyword).status_code == 403
    keyword.refresh_from_db()
    assert keyword.tagline_en == "Oops"


def test_admin_index_shows_translation_status(publisher_client, review_2023):
    """The index counts items lacking English per field, with links to the filtered lists."""
    Initiative.objects.filter(slug__in=["habitat-museum", "habitat-gardens"]).update(
        description_en=""
    )
    response = publisher_client.get(
        admin_url("keyword_changelist").replace("highlights/keyword/", "")
    )
    assert response.status_code == 200
    assert "English translation status" in response.text
    link = f"?review={review_2023.pk}&amp;english=missing-description"
    assert link in response.text
    assert "description: 2" in response.text
    listing = publisher_client.get(
        admin_url("initiative_changelist"),
        {"review": review_2023.pk, "english": "missing-description"},
    )
    assert listing.context["cl"].result_count == 2


def test_translation_status_counts_photo_alt_text(publisher_client, review_2023):
    """A photo whose alt text has no English shows up in the panel and its filtered list."""
    keyword = review_2023.keywords.get(position=5)
    Photo.objects.create(
        keyword=keyword,
        position=1,
        image=upload(image_bytes()),
        alt_text_zh_hans="生境花园",
    )
    response = publisher_client.get(
        admin_url("keyword_changelist").replace("highlights/keyword/", "")
    )
    assert f"?review={review_2023.pk}&amp;english=missing-alt_text" in response.text
    assert "alt text: 1" in response.text
    listing = publisher_client.get(
        admin_url("photo_changelist"), {"review": review_2023.pk, "english": "missing"}
    )
    assert listing.context["cl"].result_count == 1


def test_start_next_year_copies_the_keyword_structure(publisher_client, review_2023):
    """The action makes a 2024 draft with the same keywords and nothing else."""
    url = admin_url("review_changelist")
    response = publisher_client.post(
        url, {"action": "start_next_year", "_selected_action": [review_2023.pk]}, follow=True
    )
    assert response.status_code == 200
    draft = Review.objects.get(year=2024)
    assert draft.status == Status.UNPUBLISHED
    assert draft.title_zh_hans == "记忆·新泾"
    keywords = list(draft.keywords.order_by("position"))
    assert [k.title_zh_hans for k in keywords] == list(
        review_2023.keywords.order_by("position").values_list("title_zh_hans", flat=True)
    )
    assert keywords[0].title_en == "Thematic Education Campaign"
    assert all(k.status == Status.UNPUBLISHED and not k.body_zh_hans for k in keywords)
    assert not Figure.objects.filter(keyword__review=draft).exists()
    assert not Initiative.objects.filter(keyword__review=draft).exists()
    publisher_client.post(url, {"action": "start_next_year", "_selected_action": [review_2023.pk]})
    assert Review.objects.filter(year=2024).count() == 1


def test_move_keywords_up_and_down(publisher_client, review_2023):
    """Staff reorder without renumbering; ends of the list stay put."""
    url = admin_url("keyword_changelist")
    second = review_2023.keywords.get(position=2)
    publisher_client.post(url, {"action": "move_up", "_selected_action": [second.pk]})
    order = list(review_2023.keywords.order_by("position").values_list("slug", flat=True))
    assert order[:2] == ["east-hongqiao-area", "thematic-education"]
    first = review_2023.keywords.get(slug="east-hongqiao-area")
    response = publisher_client.post(
        url, {"action": "move_up", "_selected_action": [first.pk]}, follow=True
    )
    assert "0 items moved" in response.text
    last = review_2023.keywords.get(position=7)
    publisher_client.post(url, {"action": "move_down", "_selected_action": [last.pk]})
    assert review_2023.keywords.get(pk=last.pk).position == 7
    assert sorted(review_2023.keywords.values_list("position", flat=True)) == [1, 2, 3, 4, 5, 6, 7]


@pytest.mark.parametrize("name", ["initiative", "figure"])
def test_move_initiatives_and_figures(editor_client, publisher_client, review_2023, name):
    """Editors move initiatives and figures within a published keyword as pending changes."""
    model = {"initiative": Initiative, "figure": Figure}[name]
    keyword = review_2023.keywords.get(position=1)
    rows = list(model.objects.filter(keyword=keyword).order_by("position"))
    editor_client.post(
        admin_url(f"{name}_changelist"), {"action": "move_down", "_selected_action": [rows[0].pk]}
    )
    assert list(model.objects.filter(keyword=keyword).order_by("position")) == rows
    publish_pending(publisher_client, keyword)
    moved = list(model.objects.filter(keyword=keyword).order_by("position"))
    assert [moved[0].pk, moved[1].pk] == [rows[1].pk, rows[0].pk]


def test_moving_several_keeps_their_order(publisher_client, review_2023):
    """Moving rows 3 and 4 up together keeps them in sequence."""
    third, fourth = review_2023.keywords.get(position=3), review_2023.keywords.get(position=4)
    publisher_client.post(
        admin_url("keyword_changelist"),
        {"action": "move_up", "_selected_action": [third.pk, fourth.pk]},
    )
    assert review_2023.keywords.get(pk=third.pk).position == 2
    assert review_2023.keywords.get(pk=fourth.pk).position == 3


def slugs_in_order(review) -> list[str]:
    return list(review.keywords.order_by("position").values_list("slug", flat=True))


@pytest.mark.parametrize(
    ("action", "positions", "expected"),
    [
        # The first two cannot move up: the second stays behind the first, no swap.
        ("move_up", [1, 2], [1, 2, 3, 4, 5, 6, 7]),
        ("move_down", [6, 7], [1, 2, 3, 4, 5, 6, 7]),
        # Rows apart move independently, each past its unselected neighbour.
        ("move_down", [1, 3], [2, 1, 4, 3, 5, 6, 7]),
        ("move_up", [2, 3, 7], [2, 3, 1, 4, 5, 7, 6]),
    ],
)
def test_moving_a_selection_keeps_its_order(
    publisher_client, review_2023, action, positions, expected
):
    """Moving several keywords never swaps selected ones with each other, nor fails."""
    before = slugs_in_order(review_2023)
    chosen = list(review_2023.keywords.filter(position__in=positions).values_list("pk", flat=True))
    response = publisher_client.post(
        admin_url("keyword_changelist"), {"action": action, "_selected_action": chosen}
    )
    assert response.status_code == 302
    assert slugs_in_order(review_2023) == [before[position - 1] for position in expected]


def test_only_publishers_delete(editor_client, publisher_client, review_2023):
    """Delete belongs to publishers; editors are refused."""
    initiative = Initiative.objects.first()
    assert (
        editor_client.post(
            admin_url("initiative_delete", initiative.pk), {"post": "yes"}
        ).status_code
        == 403
    )
    assert (
        publisher_client.post(
            admin_url("initiative_delete", initiative.pk), {"post": "yes"}
        ).status_code
        == 302
    )
    publish_pending(publisher_client, initiative.keyword)
    assert not Initiative.objects.filter(pk=initiative.pk).exists()
