"""Revisions of units: pending changes of live content, merged concurrent saves and
whole-unit restore (issues #11 and #24)."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group, User
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone, translation

from highlights import revisions
from highlights.models import (
    Award,
    Figure,
    Initiative,
    Keyword,
    News,
    OpenForm,
    Review,
    Revision,
    Status,
)
from highlights.roles import EDITOR
from tests.admin_forms import admin_url, change_form_data, keyword_form_url, publish_pending
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
    return keyword_form_url(keyword.pk)


def opened_by_both(first_client: Client, second_client: Client, keyword: Keyword) -> tuple:
    """The keyword's form as two staff have it open at once: its URL and each one's POST body."""
    url = keyword_url(keyword)
    return url, change_form_data(first_client, url), change_form_data(second_client, url)


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
    keyword.refresh_from_db()
    assert keyword.has_pending_changes
    assert keyword.latest_revision.user.username == "editor"

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
    keyword.refresh_from_db()
    assert not keyword.has_pending_changes
    with translation.override("zh-hans"):
        page = page_urls(review_2023)["keyword"]
    assert "草稿新举措" in client.get(page).text
    assert keyword.live_revision.kind == Revision.Kind.PUBLISHED
    assert keyword.live_revision.user.username == "publisher"


def test_two_staff_changing_different_fields_both_keep_theirs(
    editor_client, second_editor_client, review_2023
):
    """B saves a form opened before A's save: A's fields and B's are both kept, inlines too."""
    keyword = review_2023.keywords.get(position=2)
    Keyword.objects.filter(pk=keyword.pk).update(status=Status.UNPUBLISHED)
    url, first, second = opened_by_both(editor_client, second_editor_client, keyword)
    assert first["unit_revision"] == second["unit_revision"]
    response = editor_client.post(
        url, first | {"summary_en": "A's summary", "initiatives-0-description_en": "A's text"}
    )
    assert response.status_code == 302
    saved = second_editor_client.post(
        url, second | {"tagline_en": "B's tagline", "figures-0-label_en": "B's figure"}
    )
    assert saved.status_code == 302
    keyword.refresh_from_db()
    assert keyword.summary_en == "A's summary"
    assert keyword.tagline_en == "B's tagline"
    assert keyword.initiatives.order_by("position").first().description_en == "A's text"
    assert keyword.figures.order_by("position").first().label_en == "B's figure"


def test_a_translation_never_written_is_no_quarrel(
    editor_client, second_editor_client, review_2023
):
    """A story whose English summary was never written (NULL): B's form posts it back empty,
    which is no change, so A's summary is kept without asking anyone (seen with two browsers)."""
    story = News.objects.get(slug="first-happy-living-home-festival")
    assert story.summary_en is None
    url = admin_url("news_change", story.pk)
    first = change_form_data(editor_client, url)
    second = change_form_data(second_editor_client, url)
    assert editor_client.post(url, first | {"summary_en": "A's summary"}).status_code == 302
    saved = second_editor_client.post(url, second | {"source_en": "B's source"})
    assert saved.status_code == 302
    assert "merge" not in saved["Location"]
    latest = revisions.latest_revision(story)
    assert "A's summary" in latest.data
    assert "B's source" in latest.data


def test_the_same_field_changed_by_both_is_chosen_side_by_side(
    editor_client, second_editor_client, review_2023
):
    """Both change the English summary: B's save waits on a page showing both values with who
    and when; B's other change is not lost; B's choice is what is kept."""
    keyword = review_2023.keywords.get(position=2)
    url, first, second = opened_by_both(editor_client, second_editor_client, keyword)
    assert editor_client.post(url, first | {"summary_en": "A's summary"}).status_code == 302
    response = second_editor_client.post(
        url, second | {"summary_en": "B's summary", "tagline_en": "B's tagline"}
    )
    assert response.status_code == 302
    assert "/merge/" in response.url
    page = second_editor_client.get(response.url)
    assert "A&#x27;s summary" in page.text or "A's summary" in page.text
    assert "B&#x27;s summary" in page.text or "B's summary" in page.text
    assert "Theirs (editor," in page.text
    assert len(page.context["conflicts"]) == 1
    ident = page.context["conflicts"][0]["ident"]
    seen = page.context["latest"].pk
    # Saving without choosing keeps everything and says what is missing.
    again = second_editor_client.post(response.url, {"seen": seen})
    assert again.status_code == 200
    assert again.context["missing"] == [ident]
    chosen = second_editor_client.post(response.url, {"seen": seen, ident: "yours"})
    assert chosen.status_code == 302
    pending = revisions.latest_revision(Keyword.objects.get(pk=keyword.pk))
    assert '"summary_en": "B\'s summary"' in pending.data
    assert '"tagline_en": "B\'s tagline"' in pending.data


def test_a_second_click_never_drops_a_colleagues_change(
    editor_client, second_editor_client, review_2023
):
    """The case that used to lose A's change: B posts the same stale form twice."""
    keyword = review_2023.keywords.get(position=2)
    Keyword.objects.filter(pk=keyword.pk).update(status=Status.UNPUBLISHED)
    url, first, second = opened_by_both(editor_client, second_editor_client, keyword)
    assert editor_client.post(url, first | {"summary_zh_hans": "甲的摘要"}).status_code == 302
    for _click in range(2):
        assert second_editor_client.post(url, second | {"summary_en": "B's"}).status_code == 302
    keyword.refresh_from_db()
    assert keyword.summary_zh_hans == "甲的摘要"
    assert keyword.summary_en == "B's"


def test_a_row_removed_by_one_and_changed_by_the_other(
    publisher_client, second_editor_client, review_2023
):
    """A publisher deletes a figure an editor is changing: the editor chooses."""
    keyword = review_2023.keywords.get(position=2)
    Keyword.objects.filter(pk=keyword.pk).update(status=Status.UNPUBLISHED)
    url, first, second = opened_by_both(publisher_client, second_editor_client, keyword)
    figure = keyword.figures.order_by("position").first()
    assert publisher_client.post(url, first | {"figures-0-DELETE": "on"}).status_code == 302
    response = second_editor_client.post(url, second | {"figures-0-label_en": "Kept"})
    assert "/merge/" in response.url
    page = second_editor_client.get(response.url)
    (conflict,) = page.context["conflicts"]
    assert conflict["theirs"] == "removed"
    chosen = second_editor_client.post(
        response.url, {"seen": page.context["latest"].pk, conflict["ident"]: "yours"}
    )
    assert chosen.status_code == 302
    assert Figure.objects.get(pk=figure.pk).label_en == "Kept"


def test_rows_added_by_both_at_the_same_place_are_both_kept(
    editor_client, second_editor_client, review_2023
):
    keyword = review_2023.keywords.get(position=2)
    Keyword.objects.filter(pk=keyword.pk).update(status=Status.UNPUBLISHED)
    url = keyword_url(keyword)
    count = keyword.initiatives.count()
    forms = [change_form_data(client, url) for client in (editor_client, second_editor_client)]
    for client, data, slug in zip(
        (editor_client, second_editor_client), forms, ("from-a", "from-b"), strict=True
    ):
        added = data | {
            "initiatives-TOTAL_FORMS": str(count + 1),
            f"initiatives-{count}-position": "90",
            f"initiatives-{count}-slug": slug,
            f"initiatives-{count}-name_zh_hans": slug,
        }
        assert client.post(url, added).status_code == 302
    positions = dict(keyword.initiatives.values_list("slug", "position"))
    assert positions["from-a"] != positions["from-b"]


def test_stale_save_of_a_child_form_is_merged(editor_client, second_editor_client, review_2023):
    """An initiative's own form carries its keyword's revision too."""
    initiative = Initiative.objects.order_by("pk").first()
    Keyword.objects.filter(pk=initiative.keyword_id).update(status=Status.UNPUBLISHED)
    url = admin_url("initiative_change", initiative.pk)
    stale = change_form_data(second_editor_client, url)
    keyword_data = change_form_data(editor_client, keyword_url(initiative.keyword))
    assert (
        editor_client.post(
            keyword_url(initiative.keyword), keyword_data | {"summary_en": "A"}
        ).status_code
        == 302
    )
    assert second_editor_client.post(url, stale | {"name_en": "Late"}).status_code == 302
    initiative.refresh_from_db()
    assert initiative.name_en == "Late"
    assert initiative.keyword.summary_en == "A"


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
    keyword.refresh_from_db()
    assert not keyword.has_pending_changes
    assert keyword.latest_revision.kind == Revision.Kind.DISCARDED
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
    assert "could not be written" in response.text
    keyword.refresh_from_db()
    assert keyword.slug == "thematic-education"
    assert keyword.has_pending_changes


def restore_url(root, revision) -> str:
    return admin_url(f"{root._meta.model_name}_restore", root.pk, revision.pk)


def test_restore_brings_back_the_whole_unit_and_its_cover(publisher_client, review_2023):
    """Replace the cover and change the rows, then restore the first revision: the old cover,
    initiatives, figures and awards are back once published."""
    keyword = review_2023.keywords.get(position=3)
    first = revisions.latest_revision(keyword)
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
    history = publisher_client.get(admin_url("keyword_history", keyword.pk))
    assert restore_url(keyword, first) in history.text
    response = publisher_client.post(restore_url(keyword, first))
    assert response.status_code == 302
    assert publisher_client.get(response.url).status_code == 200
    publish_pending(publisher_client, keyword)
    keyword.refresh_from_db()
    assert keyword.cover.name == old_cover
    # The restored cover comes with its renditions, so pages do not serve the original.
    assert keyword.cover_renditions
    assert all(default_storage.exists(r["name"]) for r in keyword.cover_renditions)
    assert (keyword.initiatives.count(), keyword.figures.count(), keyword.awards.count()) == counts
    assert publisher_client.get(keyword.get_absolute_url()).status_code == 200


def test_restoring_an_unpublished_keyword_applies_at_once(publisher_client, review_2023):
    keyword = review_2023.keywords.get(position=4)
    Keyword.objects.filter(pk=keyword.pk).update(status=Status.UNPUBLISHED)
    first = revisions.latest_revision(keyword)
    figure = keyword.figures.order_by("position").first()
    url = keyword_url(keyword)
    data = change_form_data(publisher_client, url) | {"figures-0-DELETE": "on"}
    assert publisher_client.post(url, data).status_code == 302
    assert not Figure.objects.filter(pk=figure.pk).exists()
    response = publisher_client.post(restore_url(keyword, first))
    assert response.url == admin_url("keyword_change", keyword.pk)
    assert Figure.objects.filter(pk=figure.pk).exists()
    keyword.refresh_from_db()
    assert keyword.latest_revision.kind == Revision.Kind.RESTORED
    assert keyword.latest_revision.restored_from == first


def test_restore_undoes_child_edits_made_on_their_own_pages(publisher_client, review_2023):
    """A child edited on its own page is a revision of its unit: restoring the revision before
    brings back the child's old name, and says so truthfully."""
    keyword = review_2023.keywords.get(position=4)
    Keyword.objects.filter(pk=keyword.pk).update(status=Status.UNPUBLISHED)
    initiative = keyword.initiatives.order_by("position").first()
    old_name = initiative.name_en
    before = revisions.latest_revision(keyword)
    url = admin_url("initiative_change", initiative.pk)
    data = change_form_data(publisher_client, url) | {"name_en": "Renamed on its own page"}
    assert publisher_client.post(url, data).status_code == 302
    assert Initiative.objects.get(pk=initiative.pk).name_en == "Renamed on its own page"
    child_history = publisher_client.get(admin_url("initiative_history", initiative.pk))
    assert "Renamed on its own page" in child_history.text
    publisher_client.post(restore_url(keyword, before))
    assert Initiative.objects.get(pk=initiative.pk).name_en == old_name


def test_restoring_a_unit_made_in_bulk_deletes_nothing(publisher_client, review_2023):
    """Rows created in bulk have no history of their own: the unit's first revision is taken
    when it is first edited, so restoring it proposes no deletions."""
    keyword = review_2023.keywords.get(position=2)
    fill_keyword(keyword, 40)
    counts = (keyword.initiatives.count(), keyword.figures.count(), keyword.awards.count())
    url = keyword_url(keyword)
    data = change_form_data(publisher_client, url) | {"summary_en": "Edited", "_publish": "1"}
    assert publisher_client.post(url, data).status_code == 302
    first = Revision.objects.of(keyword).get(kind=Revision.Kind.CREATED)
    publisher_client.post(restore_url(keyword, first))
    keyword.refresh_from_db()
    changes = revisions.pending_changes(keyword)
    assert [change.kind for change in changes] == ["changed"]
    publish_pending(publisher_client, keyword)
    assert (keyword.initiatives.count(), keyword.figures.count(), keyword.awards.count()) == counts


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
        },
    )
    assert response.status_code == 302
    assert not Award.objects.filter(name_zh_hans="草稿奖项").exists()
    assert "草稿奖项" in revisions.latest_revision(Keyword.objects.get(pk=keyword.pk)).data


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
    Keyword.objects.filter(pk=other.pk).update(status=Status.UNPUBLISHED)
    elsewhere = Initiative.objects.create(
        keyword=other, position=90, slug="elsewhere", name_zh_hans="别处"
    )
    publish_pending(publisher_client, keyword)
    drafted = Initiative.objects.get(slug="drafted")
    assert drafted.pk != elsewhere.pk
    assert Initiative.objects.get(pk=elsewhere.pk).slug == "elsewhere"


# Reading and locking the keyword, its review, its latest revision, schedule and unmerged
# saves, who else has it open (and noting that this user has), counting each kind of row,
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
    publisher_client.get(url)  # the first opening records the unit's first revision
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
    assert response.status_code == 413
    assert "Nothing was saved" in response.text
    assert "Back button" in response.text
    chinese = publisher_client.post(keyword_form_url(keyword.pk, language="zh-hans"), data)
    assert "没有保存任何内容" in chinese.text


def test_lists_tell_a_keyword_is_hidden_by_its_draft_review(publisher_client, review_2023):
    Review.objects.filter(pk=review_2023.pk).update(status=Status.UNPUBLISHED)
    response = publisher_client.get(admin_url("keyword_changelist"))
    assert "Not public: the 2023 review is unpublished" in response.text


def test_publishing_an_empty_review_asks_first(publisher_client, review_2023):
    empty = Review.objects.create(year=2024, title_zh_hans="空的", status=Status.UNPUBLISHED)
    url = admin_url("review_changelist")
    action = {"action": "publish", "_selected_action": [empty.pk]}
    asked = publisher_client.post(url, action)
    assert asked.status_code == 200
    assert "Publish anyway" in asked.text
    empty.refresh_from_db()
    assert empty.status == Status.UNPUBLISHED
    assert publisher_client.post(url, action | {"confirm": "yes"}).status_code == 302
    empty.refresh_from_db()
    assert empty.status == Status.PUBLISHED


def test_publishing_an_empty_review_from_its_form_asks_first(publisher_client, review_2023):
    empty = Review.objects.create(year=2024, title_zh_hans="空的", status=Status.UNPUBLISHED)
    url = admin_url("review_change", empty.pk)
    data = change_form_data(publisher_client, url) | {"status": Status.PUBLISHED}
    asked = publisher_client.post(url, data)
    assert asked.status_code == 200
    assert "None of this review’s keywords is published yet" in asked.text
    empty.refresh_from_db()
    assert empty.status == Status.UNPUBLISHED
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


def test_a_keyword_of_29_rows_of_each_kind_saves(publisher_client, review_2023):
    """29 initiatives, figures and awards (over 1,100 fields inline): the form counts fields,
    moves the widest lists to their own pages, and saves."""
    keyword = review_2023.keywords.get(position=2)
    fill_keyword(keyword, 29 - keyword.initiatives.count())
    url = keyword_url(keyword)
    page = publisher_client.get(url)
    assert "too many to edit on this page" in page.text
    data = change_form_data(publisher_client, url) | {"summary_en": "Still saves"}
    assert len(data) < 1000
    assert publisher_client.post(url, data | {"_publish": "1"}).status_code == 302
    keyword.refresh_from_db()
    assert keyword.summary_en == "Still saves"


def test_presence_is_shared_and_forgets_the_idle(editor_client, second_editor_client, review_2023):
    """Presence lives in the database (every worker sees it); a heartbeat keeps it, a goodbye
    ends it, and two minutes without one do too."""
    keyword = review_2023.keywords.get(position=1)
    url = keyword_url(keyword)
    presence_url = admin_url("keyword_presence", keyword.pk)
    editor_client.get(url)
    assert [name for name, _ in second_editor_client.get(url).context["unit_others"]] == ["editor"]
    assert OpenForm.objects.filter(user__username="editor").exists()
    with time_machine.travel(timezone.now() + timedelta(minutes=1, seconds=50)):
        assert editor_client.post(presence_url, {"state": "open"}).status_code == 204
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        assert second_editor_client.get(url).context["unit_others"]
    with time_machine.travel(timezone.now() + timedelta(minutes=4)):
        assert second_editor_client.get(url).context["unit_others"] == []
    first_page = editor_client.get(url).context["unit_page"]
    # A reload: the old page's goodbye arrives after the new page opened, and changes nothing.
    second_page = editor_client.get(url).context["unit_page"]
    assert (
        editor_client.post(presence_url, {"state": "left", "page": first_page}).status_code == 204
    )
    assert second_editor_client.get(url).context["unit_others"]
    assert (
        editor_client.post(presence_url, {"state": "left", "page": second_page}).status_code == 204
    )
    assert second_editor_client.get(url).context["unit_others"] == []
    assert editor_client.get(presence_url).status_code == 405
