"""The key figures as CSV and JSON downloads."""

import csv
import io
import json

import pytest

from highlights.models import Keyword, Status

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
