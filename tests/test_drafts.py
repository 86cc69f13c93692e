"""Drafts of live content, refused stale saves and whole-unit restore (issue #11)."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import translation

from highlights.models import Award, Draft, Figure, Initiative, Keyword, Review, Status
from highlights.roles import EDITOR
from tests.admin_forms import admin_url, change_form_data, publish_pending
from tests.content import fill_keyword
from tests.images import image_bytes, upload
from tests.pages import page_urls

pytestmark = pytest.mark.long

PUBLIC_API = ["/api/keywords/", "/api/initiatives/", "/api/figures/", "/api/awards/"]
FEEDS = ["/feed/", "/feed/atom/", "/en/feed/", "/sitemap.xml", "/2023/figures.csv"]


@pytest.fixture
def second_editor_client(db) -> Client:
    user = User.objects.create_user(username="editor2", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR))
    client = Client()
    client.force_login(user)
    return client


def keyword_url(keyword: Keyword) -> str:
    return admin_url("keyword_change", keyword.pk)


def public_snapshot(client: Client, review) -> dict[str, bytes]:
    with translation.override("zh-hans"):
        pages = list(page_urls(review).values())
    urls = [*pages, *(f"/en{url}" for url in pages)]
    return {url: client.get(url).content for url in [*urls, *PUBLIC_API, *FEEDS]}


@pytest.mark.parametrize("cache", ["off", "on"])
def test_an_editors_save_changes_nothing_public(
    client,
    editor_client,
    publisher_client,
    review_2023,
    settings,
    cache,
    django_capture_on_commit_callbacks,
):
    """Every public page, the API and the feeds stay byte for byte the same after an Editor
    saves a published keyword; the preview shows the change; publishing makes it live."""
    if cache == "on":
        settings.PAGE_CACHE_SECONDS = 600
    keyword = review_2023.keywords.get(slug="thematic-education")
    before = public_snapshot(client, review_2023)
    url = keyword_url(keyword)
    data = change_form_data(editor_client, url) | {
        "summary_zh_hans": "编辑草稿的摘要",
        "initiatives-0-name_en": "Draft Initiative Name",
        "initiatives-TOTAL_FORMS": str(keyword.initiatives.count() + 1),
        f"initiatives-{keyword.initiatives.count()}-position": "90",
        f"initiatives-{keyword.initiatives.count()}-slug": "new-in-draft",
        f"initiatives-{keyword.initiatives.count()}-name_zh_hans": "草稿新举措",
    }
    response = editor_client.post(url, data)
    assert response.status_code == 302
    assert public_snapshot(client, review_2023) == before
    assert not Initiative.objects.filter(slug="new-in-draft").exists()
    assert Draft.objects.get().updated_by.username == "editor"

    preview = editor_client.get(admin_url("keyword_preview", keyword.pk, "zh-hans"))
    assert "编辑草稿的摘要" in preview.text
    assert "草稿新举措" in preview.text
    form = editor_client.get(url)
    assert form.context["adminform"].form.initial["summary_zh_hans"] == "编辑草稿的摘要"

    assert (
        editor_client.post(admin_url("keyword_changes", keyword.pk), {"publish": "1"}).status_code
        == 403
    )
    with django_capture_on_commit_callbacks(execute=True):
        publish_pending(publisher_client, keyword)
    assert not Draft.objects.exists()
    with translation.override("zh-hans"):
        page = page_urls(review_2023)["keyword"]
    assert "草稿新举措" in client.get(page).text
    assert (
        Initiative.objects.get(slug="new-in-draft").history.latest().history_user.username
        == "publisher"
    )


def test_two_staff_saving_the_same_keyword(editor_client, second_editor_client, review_2023):
    """The second save from the same starting revision is refused with who and when; the first
    save is intact and the refusal keeps the second person's input."""
    keyword = review_2023.keywords.get(position=2)
    Keyword.objects.filter(pk=keyword.pk).update(status=Status.DRAFT)
    url = keyword_url(keyword)
    first = change_form_data(editor_client, url)
    second = change_form_data(second_editor_client, url)
    assert first["unit_revision"] == second["unit_revision"]
    response = editor_client.post(
        url, first | {"summary_en": "A's summary", "initiatives-0-description_en": "A's text"}
    )
    assert response.status_code == 302
    refused = second_editor_client.post(url, second | {"tagline_en": "B's tagline"})
    assert refused.status_code == 200
    assert "editor saved" in refused.text
    assert refused.context["adminform"].form["tagline_en"].value() == "B's tagline"
    keyword.refresh_from_db()
    assert keyword.summary_en == "A's summary"
    assert keyword.tagline_en == "Moving in Step"
    assert keyword.initiatives.order_by("position").first().description_en == "A's text"
    # Having seen the conflict, saving again is a deliberate choice and goes through.
    again = refused.context["unit_revision"]
    assert str(again) == str(keyword.revision)


def test_stale_save_of_a_child_form_is_refused(editor_client, second_editor_client, review_2023):
    """An initiative's own form carries its keyword's revision too."""
    initiative = Initiative.objects.order_by("pk").first()
    url = admin_url("initiative_change", initiative.pk)
    stale = change_form_data(second_editor_client, url)
    keyword_data = change_form_data(editor_client, keyword_url(initiative.keyword))
    assert editor_client.post(keyword_url(initiative.keyword), keyword_data).status_code == 302
    response = second_editor_client.post(url, stale | {"name_en": "Late"})
    assert response.status_code == 200
    assert "after you opened this form" in response.text


def test_the_form_says_who_else_has_it_open(editor_client, second_editor_client, review_2023):
    keyword = review_2023.keywords.get(position=1)
    editor_client.get(keyword_url(keyword))
    response = second_editor_client.get(keyword_url(keyword))
    assert ("editor", response.context["unit_others"][0][1]) == response.context["unit_others"][0]
    assert "Also editing this:" in response.text


def test_pending_changes_are_listed_compared_and_discarded(publisher_client, review_2023):
    keyword = review_2023.keywords.get(position=1)
    initiatives = keyword.initiatives.count()
    url = keyword_url(keyword)
    data = change_form_data(publisher_client, url) | {
        "tagline_en": "Drafted",
        "initiatives-0-DELETE": "on",
    }
    assert publisher_client.post(url, data).status_code == 302
    listing = publisher_client.get(admin_url("keyword_changelist"), {"pending": "yes"})
    assert [row.pk for row in listing.context["cl"].result_list] == [keyword.pk]
    others = publisher_client.get(admin_url("keyword_changelist"), {"pending": "no"})
    assert keyword.pk not in [row.pk for row in others.context["cl"].result_list]
    assert len(others.context["cl"].result_list) == Keyword.objects.count() - 1
    index = publisher_client.get(admin_url("keyword_changelist").replace("highlights/keyword/", ""))
    assert admin_url("keyword_changes", keyword.pk) in index.text
    page = publisher_client.get(admin_url("keyword_changes", keyword.pk))
    assert "tagline (English)" in page.text
    assert "<td>tagline</td>" not in page.text
    assert "Drafted" in page.text
    assert "(removed)" in page.text
    response = publisher_client.post(admin_url("keyword_changes", keyword.pk), {"discard": "1"})
    assert response.status_code == 302
    assert not Draft.objects.exists()
    keyword.refresh_from_db()
    assert keyword.tagline_en != "Drafted"
    assert keyword.initiatives.count() == initiatives


def test_publishing_a_conflicting_draft_is_a_message(publisher_client, review_2023):
    """A slug taken since the draft was saved: a message, and nothing half-published."""
    keyword = review_2023.keywords.get(position=1)
    url = keyword_url(keyword)
    data = change_form_data(publisher_client, url) | {"slug": "brand-new-slug"}
    assert publisher_client.post(url, data).status_code == 302
    Keyword.objects.filter(position=2).update(slug="brand-new-slug")
    response = publisher_client.post(
        admin_url("keyword_changes", keyword.pk), {"publish": "1"}, follow=True
    )
    assert response.status_code == 200
    assert "could not be published" in response.text
    keyword.refresh_from_db()
    assert keyword.slug == "thematic-education"
    assert Draft.objects.exists()


def test_restore_brings_back_the_whole_unit_and_its_cover(publisher_client, review_2023):
    """Replace the cover and change the rows, then restore the version before: 200, the old
    cover, initiatives, figures and awards are back."""
    keyword = review_2023.keywords.get(position=3)
    old_cover = keyword.cover.name
    counts = (keyword.initiatives.count(), keyword.figures.count(), keyword.awards.count())
    url = keyword_url(keyword)
    data = change_form_data(publisher_client, url) | {
        "cover": upload(image_bytes((320, 180)), "replacement.jpg"),
        "initiatives-0-DELETE": "on",
        "figures-0-DELETE": "on",
        "_publish": "1",
    }
    assert publisher_client.post(url, data).status_code == 302
    keyword.refresh_from_db()
    assert keyword.cover.name != old_cover
    assert keyword.initiatives.count() == counts[0] - 1
    earlier = keyword.history.earliest()
    restore = admin_url("keyword_simple_history", keyword.pk, earlier.history_id)
    assert publisher_client.get(restore).status_code == 200
    response = publisher_client.post(restore, change_form_data(publisher_client, restore))
    assert response.status_code == 302
    assert publisher_client.get(response.url).status_code == 200
    publish_pending(publisher_client, keyword)
    keyword.refresh_from_db()
    assert keyword.cover.name == old_cover
    assert (keyword.initiatives.count(), keyword.figures.count(), keyword.awards.count()) == counts
    assert publisher_client.get(keyword.get_absolute_url()).status_code == 200


def test_restoring_a_draft_keyword_applies_at_once(publisher_client, review_2023):
    keyword = review_2023.keywords.get(position=4)
    Keyword.objects.filter(pk=keyword.pk).update(status=Status.DRAFT)
    earlier = keyword.history.earliest()
    figure = keyword.figures.order_by("position").first()
    url = keyword_url(keyword)
    data = change_form_data(publisher_client, url) | {"figures-0-DELETE": "on"}
    assert publisher_client.post(url, data).status_code == 302
    assert not Figure.objects.filter(pk=figure.pk).exists()
    restore = admin_url("keyword_simple_history", keyword.pk, earlier.history_id)
    response = publisher_client.post(restore, change_form_data(publisher_client, restore))
    assert response.url == keyword_url(keyword)
    assert Figure.objects.filter(pk=figure.pk).exists()
    assert not Draft.objects.exists()


def test_editors_cannot_reorder_published_keywords(editor_client, review_2023):
    third = review_2023.keywords.get(position=3)
    response = editor_client.post(
        admin_url("keyword_changelist"),
        {"action": "move_up", "_selected_action": [third.pk]},
        follow=True,
    )
    assert "Only a publisher can reorder published items" in response.text
    assert review_2023.keywords.get(pk=third.pk).position == 3


def test_adding_an_award_to_a_published_keyword_is_drafted(editor_client, review_2023):
    keyword = review_2023.keywords.get(position=1)
    response = editor_client.post(
        admin_url("award_add"),
        {
            "keyword": keyword.pk,
            "position": "50",
            "name_zh_hans": "草稿奖项",
            "recipient_zh_hans": "新泾镇",
            "level": "other",
            "unit_revision": keyword.revision,
        },
    )
    assert response.status_code == 302
    assert not Award.objects.filter(name_zh_hans="草稿奖项").exists()
    assert "草稿奖项" in Draft.objects.get().data


def test_a_drafted_rows_id_is_not_handed_out_again(editor_client, publisher_client, review_2023):
    """A new initiative in a draft keeps its id: a row added elsewhere meanwhile gets another,
    and publishing adds the drafted one beside it."""
    keyword = review_2023.keywords.get(position=1)
    url = keyword_url(keyword)
    count = keyword.initiatives.count()
    data = change_form_data(editor_client, url) | {
        "initiatives-TOTAL_FORMS": str(count + 1),
        f"initiatives-{count}-position": "90",
        f"initiatives-{count}-slug": "drafted",
        f"initiatives-{count}-name_zh_hans": "草稿举措",
    }
    assert editor_client.post(url, data).status_code == 302
    other = review_2023.keywords.get(position=2)
    Keyword.objects.filter(pk=other.pk).update(status=Status.DRAFT)
    elsewhere = Initiative.objects.create(
        keyword=other, position=90, slug="elsewhere", name_zh_hans="别处"
    )
    publish_pending(publisher_client, keyword)
    drafted = Initiative.objects.get(slug="drafted")
    assert drafted.pk != elsewhere.pk
    assert Initiative.objects.get(pk=elsewhere.pk).slug == "elsewhere"


# Reading the keyword, its review, the unit's draft and rows, counting each kind of row,
# reading the inlines still shown and the admin's own session, user and messages.
CHANGE_PAGE_QUERY_BUDGET = 40


@pytest.mark.parametrize("rows", [0, 100])
def test_a_big_keyword_opens_and_saves(
    publisher_client, review_2023, django_assert_max_num_queries, rows
):
    """With 100 initiatives, figures and awards the change page stays within its query budget
    and under the field limit, links to the long lists, and saves."""
    keyword = review_2023.keywords.get(position=2)
    fill_keyword(keyword, rows)
    url = keyword_url(keyword)
    with django_assert_max_num_queries(CHANGE_PAGE_QUERY_BUDGET):
        page = publisher_client.get(url)
    assert page.status_code == 200
    data = change_form_data(publisher_client, url) | {"summary_en": "Big", "_publish": "1"}
    assert len(data) < 1000
    if rows:
        assert "?keyword__id__exact=" in page.text
        assert "too many to edit on this page" in page.text
    response = publisher_client.post(url, data)
    assert response.status_code == 302
    keyword.refresh_from_db()
    assert keyword.summary_en == "Big"
    assert keyword.initiatives.count() >= rows


def test_a_form_over_the_field_limit_says_nothing_was_saved(publisher_client, review_2023):
    keyword = review_2023.keywords.get(position=2)
    data = {f"field{n}": "x" for n in range(1100)}
    response = publisher_client.post(keyword_url(keyword), data)
    assert response.status_code == 400
    assert "Nothing was saved" in response.text
    assert "Back button" in response.text
    chinese = publisher_client.post(
        admin_url("keyword_change", keyword.pk, language="zh-hans"), data
    )
    assert "没有保存任何内容" in chinese.text


def test_lists_tell_a_keyword_is_hidden_by_its_draft_review(publisher_client, review_2023):
    Review.objects.filter(pk=review_2023.pk).update(status=Status.DRAFT)
    response = publisher_client.get(admin_url("keyword_changelist"))
    assert "Not public: the 2023 review is draft" in response.text


def test_publishing_an_empty_review_asks_first(publisher_client, review_2023):
    empty = Review.objects.create(year=2024, title_zh_hans="空的", status=Status.DRAFT)
    url = admin_url("review_changelist")
    action = {"action": "publish", "_selected_action": [empty.pk]}
    asked = publisher_client.post(url, action)
    assert asked.status_code == 200
    assert "Publish anyway" in asked.text
    empty.refresh_from_db()
    assert empty.status == Status.DRAFT
    assert publisher_client.post(url, action | {"confirm": "yes"}).status_code == 302
    empty.refresh_from_db()
    assert empty.status == Status.PUBLISHED


def test_publishing_an_empty_review_from_its_form_asks_first(publisher_client, review_2023):
    empty = Review.objects.create(year=2024, title_zh_hans="空的", status=Status.DRAFT)
    url = admin_url("review_change", empty.pk)
    data = change_form_data(publisher_client, url) | {"status": Status.PUBLISHED}
    asked = publisher_client.post(url, data)
    assert asked.status_code == 200
    assert "None of this review’s keywords is published yet" in asked.text
    empty.refresh_from_db()
    assert empty.status == Status.DRAFT
    data = change_form_data(publisher_client, url) | {
        "status": Status.PUBLISHED,
        "publish_empty": "on",
    }
    assert publisher_client.post(url, data).status_code == 302
    empty.refresh_from_db()
    assert empty.status == Status.PUBLISHED


def test_editors_are_not_asked_to_confirm_publishing(editor_client, review_2023):
    page = editor_client.get(admin_url("review_change", review_2023.pk))
    assert "publish_empty" not in page.text


def test_a_refused_form_keeps_its_fixed_fields(editor_client, second_editor_client, review_2023):
    """The refusal page shows the form as it was: review and position intact, no other
    errors."""
    keyword = review_2023.keywords.get(position=2)
    url = keyword_url(keyword)
    first = change_form_data(editor_client, url)
    second = change_form_data(second_editor_client, url)
    assert editor_client.post(url, first | {"summary_en": "First"}).status_code == 302
    refused = second_editor_client.post(url, second | {"tagline_en": "Second"})
    form = refused.context["adminform"].form
    assert list(form.errors) == ["__all__"]
    assert form["position"].value() == 2
    assert form["review"].value() == review_2023.pk
