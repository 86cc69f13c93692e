"""The site's columns as data: set up with the site, renamed and given their rules by
publishers in the admin, read by the menu, the pages' metadata, the feeds and the inspection;
publishers reminded by email before a column goes stale."""

import math
from datetime import datetime, timedelta
from smtplib import SMTPException
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group, User
from django.test import Client

from highlights import reminders
from highlights.columns import Column, create_columns
from highlights.inspection import inspect
from highlights.middleware import ScheduledPublishingMiddleware
from highlights.models import News, StalenessReminder
from highlights.publishing import Status
from highlights.roles import PUBLISHER
from tests.admin_forms import admin_url, change_form_data

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The demo's stories are dated at the review's publication.
PUBLISHED = datetime(2024, 2, 1, 9, tzinfo=SHANGHAI)


def news_column() -> Column:
    return Column.objects.get(content="news")


def test_a_new_site_has_its_columns_named_in_both_languages(db):
    names = {c.content: (c.name_zh_hans, c.name_en) for c in Column.objects.all()}
    assert names == {
        "news": ("动态", "News"),
        "notice": ("通知公告", "Notices"),
        "serviceguide": ("办事指南", "Service guides"),
        "place": ("便民服务点", "Places"),
        "review": ("历年回眸", "Reviews"),
    }
    assert news_column().fresh_within_days == 14
    assert Column.objects.get(content="notice").fresh_within_days == 180


def test_setting_up_again_keeps_what_staff_changed(db):
    Column.objects.filter(content="news").update(name_zh_hans="新泾要闻", fresh_within_days=7)
    Column.objects.filter(content="place").delete()
    create_columns()
    assert news_column().name_zh_hans == "新泾要闻"
    assert news_column().fresh_within_days == 7
    assert Column.objects.get(content="place").name_zh_hans == "便民服务点"


def test_a_renamed_column_is_renamed_everywhere(review_2023, publisher_client, page_cache_on):
    client = Client()
    assert "<title>动态" in client.get("/news/").text  # cached under the old name
    url = admin_url("column_change", news_column().pk)
    data = change_form_data(publisher_client, url)
    data |= {"name_zh_hans": "新泾要闻", "name_en": "Town news"}
    assert publisher_client.post(url, data).status_code == 302
    page = client.get("/news/").text
    assert '<a href="/news/">新泾要闻</a>' in page
    assert '<meta name="ColumnName" content="新泾要闻">' in page
    assert "<title>新泾要闻" in page
    story = client.get(News.objects.published().first().get_absolute_url()).text
    assert '<meta name="ColumnName" content="新泾要闻">' in story
    assert '<meta name="ColumnName" content="Town news">' in client.get("/en/news/").text
    assert "<title>新泾年度回眸 · 新泾要闻</title>" in client.get("/news/feed/").text


@pytest.mark.parametrize("days", ["0", "-1", "x"])
def test_a_column_must_be_new_within_a_day_or_more(db, publisher_client, days):
    url = admin_url("column_change", news_column().pk)
    data = change_form_data(publisher_client, url) | {"fresh_within_days": days}
    response = publisher_client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["fresh_within_days"]
    assert news_column().fresh_within_days == 14


def test_columns_are_neither_added_nor_removed_and_editors_only_look(
    db, publisher_client, editor_client
):
    pk = news_column().pk
    assert publisher_client.get(admin_url("column_add")).status_code == 403
    assert publisher_client.get(admin_url("column_delete", pk)).status_code == 403
    assert editor_client.get(admin_url("column_changelist")).status_code == 200
    data = change_form_data(publisher_client, admin_url("column_change", pk))
    assert editor_client.post(admin_url("column_change", pk), data).status_code == 403


def test_the_column_list_shows_the_days_each_has_left(review_2023, publisher_client):
    with time_machine.travel(PUBLISHED + timedelta(days=10), tick=False):
        page = publisher_client.get(admin_url("column_changelist")).text
    assert '<td class="field-days_left">4</td>' in page
    assert '<td class="field-newest">2024-02-01</td>' in page
    with time_machine.travel(PUBLISHED + timedelta(days=20), tick=False):
        page = publisher_client.get(admin_url("column_changelist")).text
    assert '<td class="field-days_left">6 days overdue</td>' in page


def stale_columns(moment: datetime) -> set[str]:
    with time_machine.travel(moment, tick=False):
        return {f.data["column"] for f in inspect(False) if f.check == "freshness.stale_column"}


def test_the_inspection_reads_each_columns_rule_from_the_admin(review_2023):
    assert "news" in stale_columns(PUBLISHED + timedelta(days=15))
    Column.objects.filter(content="news").update(fresh_within_days=30)
    assert "news" not in stale_columns(PUBLISHED + timedelta(days=29))
    assert "news" in stale_columns(PUBLISHED + timedelta(days=31))


def test_findings_read_in_each_language(review_2023):
    with time_machine.travel(PUBLISHED + timedelta(days=15), tick=False):
        finding = next(f for f in inspect(False) if f.check == "freshness.stale_column")
    message = finding.as_json()["message"]
    assert message["zh-hans"].startswith("栏目“动态”")
    assert message["en"].startswith("The column “News”")


# Reminders ------------------------------------------------------------------------------------


@pytest.fixture
def publisher_with_email(make_staff) -> User:
    user = make_staff(PUBLISHER)
    user.email = "publisher@example.org"
    user.save()
    editor = User.objects.create_user("editor2", "editor@example.org", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    return user


def remind_at(moment: datetime) -> int:
    with time_machine.travel(moment, tick=False):
        return reminders.remind_due(moment)


@pytest.mark.parametrize(
    ("days_since", "sent"), [(6, None), (7, 7), (11, 7), (12, 2), (14, 2), (15, None)]
)
def test_the_threshold_a_news_column_has_reached(days_since, sent):
    assert reminders.threshold(14 - days_since) == sent


def test_publishers_are_told_seven_and_two_days_ahead_once_each(
    review_2023, publisher_with_email, mailoutbox, settings
):
    assert remind_at(PUBLISHED + timedelta(days=6, hours=23)) == 0
    assert remind_at(PUBLISHED + timedelta(days=7)) == 1
    assert remind_at(PUBLISHED + timedelta(days=8)) == 0  # the seven-day one is sent
    assert remind_at(PUBLISHED + timedelta(days=12)) == 1
    assert remind_at(PUBLISHED + timedelta(days=13)) == 0
    assert len(mailoutbox) == 2
    first = mailoutbox[0]
    assert first.to == ["publisher@example.org"]  # publishers only, not the editor
    assert "栏目“动态”还有7天" in first.subject
    assert "“News” goes stale in 7 days" in first.subject
    assert f"{settings.SITE_URL}/admin/highlights/news/add/" in first.body
    assert f"{settings.SITE_URL}/en/admin/highlights/news/add/" in first.body
    assert "2024-02-01" in first.body


def test_a_new_story_starts_the_reminders_again(review_2023, publisher_with_email, mailoutbox):
    remind_at(PUBLISHED + timedelta(days=7))
    later = PUBLISHED + timedelta(days=7)
    News.objects.create(title="新动态", slug="new", status=Status.PUBLISHED, publish_at=later)
    assert remind_at(later + timedelta(days=6)) == 0
    assert remind_at(later + timedelta(days=7)) == 1
    assert len(mailoutbox) == 2


def test_a_failing_mail_server_leaves_the_reminder_to_send_later(
    review_2023, publisher_with_email, mailoutbox, caplog
):
    moment = PUBLISHED + timedelta(days=7)
    with (
        time_machine.travel(moment, tick=False),
        mock.patch("highlights.reminders.send_mail", side_effect=SMTPException("down")),
    ):
        ScheduledPublishingMiddleware.next_reminder = 0.0
        assert Client().get("/news/").status_code == 200  # the resident's page all the same
    assert "Could not send staleness reminders" in caplog.text
    assert not StalenessReminder.objects.exists()
    assert remind_at(moment) == 1


def test_the_site_sends_reminders_itself_hourly(
    review_2023, publisher_with_email, mailoutbox, monkeypatch
):
    monkeypatch.setattr(ScheduledPublishingMiddleware, "next_reminder", 0.0)
    with time_machine.travel(PUBLISHED + timedelta(days=7), tick=False):
        Client().get("/news/")
        Client().get("/news/")
    assert len(mailoutbox) == 1
    assert ScheduledPublishingMiddleware.next_reminder not in (0.0, math.inf)
