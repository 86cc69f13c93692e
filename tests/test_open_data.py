"""The key figures and every column's published rows as CSV and JSON downloads."""

import csv
import io
import json
from datetime import time

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from highlights.models import Attachment, Keyword, News, Notice, OpeningPeriod, Place, Status
from tests.content import multiply_columns
from tests.test_notices import PDF

pytestmark = pytest.mark.usefixtures("review_2023")


def test_csv_opens_with_bom_columns_and_chinese(client):
    """UTF-8 with a BOM, both languages' labels, and every figure."""
    response = client.get("/2023/figures.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="xinjing-2023-figures.csv"' in response["Content-Disposition"]
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(content.removeprefix("\ufeff"))))
    assert len(rows) == 14
    assert list(rows[0]) == [
        "year",
        "keyword_position",
        "keyword_title_zh_hans",
        "keyword_title_en",
        "initiative_name_zh_hans",
        "initiative_name_en",
        "position",
        "label_zh_hans",
        "label_en",
        "value",
        "unit_zh_hans",
        "unit_en",
        "qualifier",
        "indicator",
    ]
    members = next(row for row in rows if row["indicator"] == "participating-party-members")
    assert members["label_zh_hans"] == "党员参与"
    assert members["label_en"] == "Party members taking part"
    assert (members["value"], members["unit_zh_hans"], members["qualifier"]) == (
        "7000",
        "名",
        "more_than",
    )
    area = next(row for row in rows if row["indicator"] == "town-park-area")
    assert (area["value"], area["unit_en"]) == ("11.89", "km²")


def test_json_download(client):
    """The same rows as JSON."""
    data = json.loads(client.get("/2023/figures.json").content)
    assert data["review"] == 2023
    assert len(data["figures"]) == 14
    assert data["figures"][0]["keyword_title_en"] == "Thematic Education Campaign"


def test_downloads_are_linked_from_the_figures_page(client):
    """The key-figures page offers both downloads."""
    html = client.get("/2023/figures/").text
    assert 'href="/2023/figures.csv"' in html
    assert 'href="/2023/figures.json"' in html


def test_drafts_are_not_exported(client, review_2023):
    """Figures of an unpublished keyword or review are never in a download."""
    Keyword.objects.filter(position=1).update(status=Status.UNPUBLISHED)
    assert "镇党委中心组理论学习" not in client.get("/2023/figures.csv").content.decode()
    review_2023.status = Status.UNPUBLISHED
    review_2023.save()
    assert client.get("/2023/figures.csv").status_code == 404
    assert client.get("/2023/figures.json").status_code == 404


# The columns' downloads -------------------------------------------------------------------------


def download(client, name: str, extension: str):
    response = client.get(f"/open-data/{name}.{extension}")
    assert response.status_code == 200
    assert f'attachment; filename="xinjing-{name}.{extension}"' == response["Content-Disposition"]
    return response


def csv_rows(response) -> list[dict]:
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(content.removeprefix("\ufeff"))))


def test_the_news_as_a_spreadsheet_in_both_languages(client):
    rows = csv_rows(download(client, "news", "csv"))
    assert len(rows) == News.objects.published().count() == 7
    assert list(rows[0])[:5] == [
        "slug",
        "title_zh_hans",
        "title_en",
        "summary_zh_hans",
        "summary_en",
    ]
    story = News.objects.published().newest_first().first()
    first = rows[0]
    assert first["title_zh_hans"] == story.title_zh_hans
    assert first["title_en"] == story.title_en
    assert first["url"] == f"{settings.SITE_URL}{story.get_absolute_url()}"
    assert first["places"] == "; ".join(story.places.values_list("slug", flat=True))


def test_a_place_keeps_its_hours_and_a_notice_its_documents(client):
    place = Place.objects.published().first()
    OpeningPeriod.objects.create(place=place, weekday=1, opens=time(9), closes=time(17))
    notice = Notice.objects.create(
        title="停水通知",
        title_en="Water off",
        slug="water",
        status=Status.PUBLISHED,
        publish_at=timezone.now(),
        document_number="新泾〔2026〕1号",
    )
    Attachment.objects.create(
        notice=notice, file=SimpleUploadedFile("a.pdf", PDF), title="附件", title_en="Annex"
    )
    places = csv_rows(download(client, "place", "csv"))
    hours = next(row for row in places if row["slug"] == place.slug)["opening_hours"]
    assert json.loads(hours) == [{"weekday": 1, "opens": "09:00:00", "closes": "17:00:00"}]
    notices = json.loads(download(client, "notice", "json").content)
    assert notices["column"] == "notice"
    (item,) = notices["items"]
    assert item["title_zh_hans"] == "停水通知"
    assert item["title_en"] == "Water off"
    assert item["document_number_zh_hans"] == "新泾〔2026〕1号"
    assert [a["name"] for a in item["attachments_zh_hans"]] == ["附件"]
    assert [a["name"] for a in item["attachments_en"]] == ["Annex"]


def test_a_column_download_holds_only_published_rows_and_no_formulas(client):
    story = News.objects.published().first()
    story.title_zh_hans = '=HYPERLINK("http://evil")'
    story.save()
    News.objects.create(title="草稿", slug="draft", status=Status.UNPUBLISHED)
    rows = csv_rows(download(client, "news", "csv"))
    assert "草稿" not in {row["title_zh_hans"] for row in rows}
    assert '\'=HYPERLINK("http://evil")' in {row["title_zh_hans"] for row in rows}
    assert all(
        row["slug"] != "draft"
        for row in json.loads(download(client, "news", "json").content)["items"]
    )


def test_an_empty_column_downloads_as_an_empty_table(client):
    rows = csv_rows(download(client, "serviceguide", "csv"))
    assert rows == []
    assert json.loads(download(client, "serviceguide", "json").content)["items"] == []


@pytest.mark.parametrize("times", [1, 10])
def test_a_column_download_costs_the_same_queries_at_any_size(
    client, django_assert_max_num_queries, warm_content_version, times
):
    """The rows and each of their relations once (keywords, initiatives, places: 4), and the
    ScheduledPublishing-free request's content version (1)."""
    multiply_columns(times)
    with django_assert_max_num_queries(5):
        download(client, "news", "csv")
    with django_assert_max_num_queries(5):
        download(client, "place", "json")


def test_the_open_data_page_offers_every_columns_downloads(client):
    page = client.get("/open-data/").text
    for name in ("news", "notice", "serviceguide", "place"):
        assert f'href="/open-data/{name}.csv"' in page
        assert f'href="/open-data/{name}.json"' in page
    assert "便民服务点：" in page
    assert 'href="/notices/feed/"' in page
