"""Pending changes published at a later moment, with no cron job (issue #11)."""

import time
from datetime import timedelta

import pytest
import time_machine
from django.db import DatabaseError
from django.utils import timezone, translation

from highlights import revisions
from highlights.middleware import ScheduledPublishingMiddleware
from highlights.models import Keyword, Revision
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
    """Requests look for due schedules, as they do outside the test suite."""
    monkeypatch.setattr(ScheduledPublishingMiddleware, "next_check", 0.0)


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


def scheduled(keyword: Keyword) -> Revision | None:
    return revisions.scheduled_revision(keyword)


def test_a_scheduled_revision_goes_live_when_due(
    client, publisher_client, drafted_keyword, checking
):
    when = timezone.now() + timedelta(hours=2)
    response = schedule(publisher_client, drafted_keyword, when)
    assert response.status_code == 302
    assert scheduled(drafted_keyword).user.username == "publisher"
    assert "Scheduled for" in publisher_client.get(admin_url("keyword_changelist")).text
    assert TAGLINE not in english_page(client, drafted_keyword)

    with time_machine.travel(when + timedelta(seconds=1), tick=False):
        ScheduledPublishingMiddleware.check_soon()
        assert TAGLINE in english_page(client, drafted_keyword)
    assert scheduled(drafted_keyword) is None
    drafted_keyword.refresh_from_db()
    assert not drafted_keyword.has_pending_changes
    live = drafted_keyword.live_revision
    assert live.kind == Revision.Kind.PUBLISHED
    assert live.user.username == "publisher"


def test_a_cached_page_is_renewed_when_the_schedule_is_due(
    transactional_db, client, publisher_client, drafted_keyword, page_cache_on, checking
):
    """Publishing commits before the page cache is asked, so the due request is fresh."""
    when = timezone.now() + timedelta(minutes=5)
    schedule(publisher_client, drafted_keyword, when)
    assert TAGLINE not in english_page(client, drafted_keyword)
    assert TAGLINE not in english_page(client, drafted_keyword)  # now from the cache
    with time_machine.travel(when + timedelta(seconds=1), tick=False):
        ScheduledPublishingMiddleware.check_soon()
        assert TAGLINE in english_page(client, drafted_keyword)


def test_the_check_waits_for_the_next_due_schedule(drafted_keyword, checking):
    """A process looks again every half minute, or sooner when a schedule it knows of falls
    due."""
    latest = revisions.latest_revision(Keyword.objects.get(pk=drafted_keyword.pk))
    schedule_for = Revision.objects.filter(pk=latest.pk)
    schedule_for.update(go_live_at=timezone.now() + timedelta(seconds=10))
    ScheduledPublishingMiddleware.check()
    assert ScheduledPublishingMiddleware.next_check <= time.monotonic() + 10
    schedule_for.update(go_live_at=timezone.now() + timedelta(days=1))
    ScheduledPublishingMiddleware.check()
    assert ScheduledPublishingMiddleware.next_check > time.monotonic() + 20


def test_a_check_with_nothing_due_is_one_query(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert revisions.publish_due(timezone.now()) is None


def test_a_moment_in_the_past_is_a_form_error(publisher_client, drafted_keyword):
    response = schedule(publisher_client, drafted_keyword, timezone.now() - timedelta(hours=1))
    assert response.status_code == 200
    assert "Choose a moment in the future" in response.text
    assert scheduled(drafted_keyword) is None
    garbled = publisher_client.post(
        admin_url("keyword_changes", drafted_keyword.pk),
        {"schedule": "1", "publish_at": "next tuesday"},
    )
    assert garbled.status_code == 200
    assert garbled.context["schedule_form"].errors


def test_editors_cannot_schedule(editor_client, drafted_keyword):
    response = schedule(editor_client, drafted_keyword, timezone.now() + timedelta(hours=1))
    assert response.status_code == 403
    assert scheduled(drafted_keyword) is None


def test_an_editors_save_after_a_schedule_keeps_it(
    client, editor_client, publisher_client, drafted_keyword, checking
):
    """A schedule approves the revision as it was: an Editor's later change is newer pending
    changes, said on the form and the list; the approved revision goes live on time and the
    newer change stays pending."""
    when = timezone.now() + timedelta(hours=1)
    schedule(publisher_client, drafted_keyword, when)
    url = admin_url("keyword_change", drafted_keyword.pk)
    form = editor_client.get(url)
    assert "Scheduled by publisher to go live at" in form.text
    data = change_form_data(editor_client, url) | {"summary_en": "Changed after approval"}
    assert editor_client.post(url, data).status_code == 302
    assert scheduled(drafted_keyword).go_live_at is not None
    listing = publisher_client.get(admin_url("keyword_changelist"))
    assert "newer changes waiting for a publisher" in listing.text
    assert "stay pending for a publisher" in editor_client.get(url).text
    with time_machine.travel(when + timedelta(seconds=1), tick=False):
        ScheduledPublishingMiddleware.check_soon()
        page = english_page(client, drafted_keyword)
    assert TAGLINE in page
    assert "Changed after approval" not in page
    drafted_keyword.refresh_from_db()
    assert drafted_keyword.has_pending_changes
    assert "Changed after approval" in revisions.latest_revision(drafted_keyword).data


def test_cancelling_a_schedule(publisher_client, drafted_keyword):
    schedule(publisher_client, drafted_keyword, timezone.now() + timedelta(hours=1))
    response = publisher_client.post(
        admin_url("keyword_changes", drafted_keyword.pk), {"unschedule": "1"}, follow=True
    )
    assert "no longer scheduled" in response.text
    assert scheduled(drafted_keyword) is None


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
        ScheduledPublishingMiddleware.check_soon()
        assert client.get(drafted_keyword.get_absolute_url()).status_code == 200
    failed = Revision.objects.of(drafted_keyword).get(kind=Revision.Kind.SCHEDULED)
    assert failed.go_live_at is None
    assert failed.schedule_problem
    assert "Scheduled publication of revision" in caplog.text
    page = publisher_client.get(admin_url("keyword_changes", drafted_keyword.pk))
    assert "The scheduled publication failed." in page.text


def test_a_failing_database_does_not_stop_the_request(client, review_2023, monkeypatch, caplog):
    def broken(now):
        raise DatabaseError("database is locked")

    monkeypatch.setattr(revisions, "publish_due", broken)
    ScheduledPublishingMiddleware.check_soon()
    assert client.get("/").status_code == 200
    assert "Could not publish scheduled changes" in caplog.text
