"""Pending changes published at a later moment, with no cron job (issue #11)."""

import time
from datetime import timedelta

import pytest
import time_machine
from django.db import DatabaseError
from django.utils import timezone, translation

from highlights import drafts
from highlights.middleware import ScheduledDraftsMiddleware
from highlights.models import Draft, Keyword
from tests.admin_forms import admin_url, change_form_data

TAGLINE = "A tagline for tomorrow"


@pytest.fixture
def drafted_keyword(publisher_client, review_2023) -> Keyword:
    keyword = review_2023.keywords.get(position=1)
    url = admin_url("keyword_change", keyword.pk)
    data = change_form_data(publisher_client, url) | {"tagline_en": TAGLINE}
    assert publisher_client.post(url, data).status_code == 302
    return keyword


@pytest.fixture
def checking(monkeypatch):
    """Requests look for due drafts, as they do outside the test suite."""
    monkeypatch.setattr(ScheduledDraftsMiddleware, "next_check", 0.0)


def schedule(client, keyword: Keyword, when) -> object:
    local = timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")
    return client.post(
        admin_url("keyword_changes", keyword.pk), {"schedule": "1", "publish_at": local}
    )


def english_page(client, keyword: Keyword) -> str:
    with translation.override("en"):
        response = client.get(keyword.get_absolute_url())
    assert response.status_code == 200
    return response.text


def test_a_scheduled_draft_goes_live_when_due(client, publisher_client, drafted_keyword, checking):
    when = timezone.now() + timedelta(hours=2)
    response = schedule(publisher_client, drafted_keyword, when)
    assert response.status_code == 302
    draft = Draft.objects.get()
    assert draft.scheduled_by.username == "publisher"
    assert "Scheduled for" in publisher_client.get(admin_url("keyword_changelist")).text
    assert TAGLINE not in english_page(client, drafted_keyword)

    with time_machine.travel(when + timedelta(seconds=1), tick=False):
        ScheduledDraftsMiddleware.check_soon()
        assert TAGLINE in english_page(client, drafted_keyword)
    assert not Draft.objects.exists()
    record = drafted_keyword.history.latest()
    assert record.history_change_reason == drafts.SCHEDULED_REASON
    assert record.history_user.username == "publisher"


def test_a_cached_page_is_renewed_when_the_schedule_is_due(
    transactional_db, client, publisher_client, drafted_keyword, page_cache_on, checking
):
    """Publishing commits before the page cache is asked, so the due request is fresh."""
    when = timezone.now() + timedelta(minutes=5)
    schedule(publisher_client, drafted_keyword, when)
    assert TAGLINE not in english_page(client, drafted_keyword)
    assert TAGLINE not in english_page(client, drafted_keyword)  # now from the cache
    with time_machine.travel(when + timedelta(seconds=1), tick=False):
        ScheduledDraftsMiddleware.check_soon()
        assert TAGLINE in english_page(client, drafted_keyword)


def test_the_check_waits_for_the_next_due_schedule(drafted_keyword, checking):
    """A process looks again every half minute, or sooner when a schedule it knows of falls
    due."""
    Draft.objects.update(publish_at=timezone.now() + timedelta(seconds=10))
    ScheduledDraftsMiddleware.check()
    assert ScheduledDraftsMiddleware.next_check <= time.monotonic() + 10
    Draft.objects.update(publish_at=timezone.now() + timedelta(days=1))
    ScheduledDraftsMiddleware.check()
    assert ScheduledDraftsMiddleware.next_check > time.monotonic() + 20


def test_a_check_with_nothing_due_is_one_query(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert drafts.publish_due(timezone.now()) is None


def test_a_moment_in_the_past_is_a_form_error(publisher_client, drafted_keyword):
    response = schedule(publisher_client, drafted_keyword, timezone.now() - timedelta(hours=1))
    assert response.status_code == 200
    assert "Choose a moment in the future" in response.text
    assert Draft.objects.get().publish_at is None
    garbled = publisher_client.post(
        admin_url("keyword_changes", drafted_keyword.pk),
        {"schedule": "1", "publish_at": "next tuesday"},
    )
    assert garbled.status_code == 200
    assert garbled.context["schedule_form"].errors


def test_editors_cannot_schedule(editor_client, drafted_keyword):
    response = schedule(editor_client, drafted_keyword, timezone.now() + timedelta(hours=1))
    assert response.status_code == 403
    assert Draft.objects.get().publish_at is None


def test_saving_a_scheduled_draft_again_cancels_the_schedule(
    editor_client, publisher_client, drafted_keyword
):
    """A schedule approves the draft as it was: an Editor's later change waits for review."""
    schedule(publisher_client, drafted_keyword, timezone.now() + timedelta(hours=1))
    url = admin_url("keyword_change", drafted_keyword.pk)
    data = change_form_data(editor_client, url) | {"tagline_en": "Changed after approval"}
    assert editor_client.post(url, data).status_code == 302
    assert Draft.objects.get().publish_at is None


def test_cancelling_a_schedule(publisher_client, drafted_keyword):
    schedule(publisher_client, drafted_keyword, timezone.now() + timedelta(hours=1))
    response = publisher_client.post(
        admin_url("keyword_changes", drafted_keyword.pk), {"unschedule": "1"}, follow=True
    )
    assert "no longer scheduled" in response.text
    assert Draft.objects.get().publish_at is None


def test_a_scheduled_draft_that_no_longer_fits_stays_pending(
    client, publisher_client, drafted_keyword, checking, caplog
):
    """A slug taken meanwhile: the resident's page still loads, the draft stays pending with
    its problem shown to staff, and the error is logged."""
    url = admin_url("keyword_change", drafted_keyword.pk)
    data = change_form_data(publisher_client, url) | {"slug": "taken-later"}
    publisher_client.post(url, data)
    when = timezone.now() + timedelta(hours=1)
    schedule(publisher_client, drafted_keyword, when)
    Keyword.objects.filter(position=2).update(slug="taken-later")
    with time_machine.travel(when + timedelta(minutes=1), tick=False):
        ScheduledDraftsMiddleware.check_soon()
        assert client.get(drafted_keyword.get_absolute_url()).status_code == 200
    draft = Draft.objects.get()
    assert draft.publish_at is None
    assert draft.schedule_problem
    assert "Scheduled publication of draft" in caplog.text
    page = publisher_client.get(admin_url("keyword_changes", drafted_keyword.pk))
    assert "The scheduled publication failed." in page.text


def test_a_failing_database_does_not_stop_the_request(client, review_2023, monkeypatch, caplog):
    def broken(now):
        raise DatabaseError("database is locked")

    monkeypatch.setattr(drafts, "publish_due", broken)
    ScheduledDraftsMiddleware.check_soon()
    assert client.get("/").status_code == 200
    assert "Could not publish scheduled changes" in caplog.text
