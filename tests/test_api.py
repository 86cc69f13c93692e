"""The read-only JSON API: published content only, paginated, in the language asked for."""

import re

import pytest
import yaml
from openapi_spec_validator import validate

from highlights.models import Keyword, News, Notice, Place, ServiceGuide, Status

pytestmark = pytest.mark.usefixtures("review_2023")

ENDPOINTS = [
    "/api/reviews/",
    "/api/keywords/",
    "/api/initiatives/",
    "/api/figures/",
    "/api/awards/",
]
# The site's columns, which stand beside the reviews.
COLUMN_ENDPOINTS = ["/api/news/", "/api/notices/", "/api/places/", "/api/service-guides/"]


@pytest.fixture
def every_column_filled(review_2023) -> None:
    """The demo has no notice or service guide (the review states none): one of each."""
    Notice.objects.create(title="通知", slug="notice", status=Status.PUBLISHED)
    ServiceGuide.objects.create(title="指南", slug="guide", status=Status.PUBLISHED)


def test_openapi_schema_is_valid_and_every_endpoint_answers(client, every_column_filled):
    """The schema at /api/schema/ validates, and each documented GET path answers 200."""
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate(schema)
    paths = schema["paths"]
    assert {*ENDPOINTS, *COLUMN_ENDPOINTS} <= set(paths)
    examples = {
        "{year}": "2023",
        "{id}": str(Keyword.objects.get(position=1).pk),
    }
    for path, operations in paths.items():
        assert set(operations) <= {"get", "parameters"}, f"{path} is not read-only"
        url = path
        for placeholder, value in examples.items():
            url = url.replace(placeholder, value)
        for key in ("id", "slug"):
            if f"{{{key}}}" in path:
                resource = path.split("/")[2]
                value = client.get(f"/api/{resource}/").json()["results"][0][key]
                url = path.replace(f"{{{key}}}", str(value))
        assert client.get(url).status_code == 200, url


def test_language_from_query_and_header(client):
    """?lang= wins, then Accept-Language, then Chinese."""
    chinese = client.get("/api/keywords/").json()["results"][0]
    assert chinese["title"] == "主题教育"
    english = client.get("/api/keywords/", HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]
    assert english["title"] == "Thematic Education Campaign"
    forced = client.get("/api/keywords/?lang=zh-hans", HTTP_ACCEPT_LANGUAGE="en")
    assert forced.json()["results"][0]["title"] == "主题教育"
    assert forced["Content-Language"] == "zh-hans"
    figure = client.get("/api/figures/?lang=en").json()["results"][5]
    assert figure["text"] == "more than 7,000 Party members taking part"
    assert figure["value"] == "7000.00"


def test_pagination(client):
    """Lists are paginated with counts and links."""
    page = client.get("/api/initiatives/").json()
    assert page["count"] == 45
    assert len(page["results"]) == 45
    assert page["next"] is None
    assert client.get("/api/initiatives/?page=2").status_code == 404


def test_filters(client):
    """Filter by review year and award level; bad values are a 400 with a reason."""
    assert client.get("/api/awards/?level=municipal").json()["count"] == 3
    assert client.get("/api/keywords/?review=2023").json()["count"] == 7
    assert client.get("/api/keywords/?review=1999").json()["count"] == 0
    for bad in ("/api/awards/?level=cosmic", "/api/keywords/?review=abc", "/api/keywords/?lang=fr"):
        response = client.get(bad)
        assert response.status_code == 400, bad
        assert response.json()


def test_drafts_never_appear(client):
    """An unpublished keyword and everything under it are absent from every endpoint."""
    keyword = Keyword.objects.get(position=4)
    Keyword.objects.filter(pk=keyword.pk).update(status=Status.UNPUBLISHED)
    assert client.get("/api/keywords/").json()["count"] == 6
    assert client.get(f"/api/keywords/{keyword.pk}/").status_code == 404
    assert "刘二居民区" not in client.get("/api/awards/").content.decode()
    assert "一站式非诉讼争议调解中心" not in client.get("/api/initiatives/").content.decode()


def test_draft_review_hides_everything(client, review_2023):
    """A draft review leaves every endpoint empty."""
    review_2023.status = Status.UNPUBLISHED
    review_2023.save()
    for endpoint in ENDPOINTS:
        assert client.get(endpoint).json()["count"] == 0, endpoint
    assert client.get("/api/reviews/2023/").status_code == 404


def test_read_only(client):
    """Writes are refused."""
    assert client.post("/api/keywords/", {"title": "x"}).status_code == 405
    keyword = Keyword.objects.first()
    assert client.delete(f"/api/keywords/{keyword.pk}/").status_code == 405


def test_old_metrics_paths_redirect_to_figures(client):
    """The API's first name for figures, /api/metrics/, still leads to the same data."""
    listing = client.get("/api/metrics/?lang=en&review=2023")
    assert listing.status_code == 301
    assert listing["Location"] == "/api/figures/?lang=en&review=2023"
    figure_id = client.get("/api/figures/").json()["results"][0]["id"]
    detail = client.get(f"/api/metrics/{figure_id}/")
    assert detail.status_code == 301
    assert detail["Location"] == f"/api/figures/{figure_id}/"


def test_awards_carry_their_published_note_but_never_the_staff_note(client):
    """全区唯一一家 is public; what the source does not say stays in the admin."""
    awards = client.get("/api/awards/?lang=en").json()["results"]
    only_one = next(award for award in awards if award["note"])
    assert only_one["note"] == "the only one in Changning District"
    assert all("source_note" not in award for award in awards)
    assert [award["year"] for award in awards].count(None) == 3


def test_the_api_has_a_readable_reference_page_served_from_here(client, db):
    """Swagger UI from our own static files (drf-spectacular-sidecar), its script a file
    rather than inline code, so nothing loads from abroad and the page keeps our CSP."""
    page = client.get("/api/docs/")
    assert page.status_code == 200
    addresses = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert addresses
    assert all(address.startswith("/") and not address.startswith("//") for address in addresses)
    assert "<style" not in page.text
    assert "<script>" not in page.text
    (script,) = [address for address in addresses if address.startswith("/api/docs/?script")]
    loader = client.get(script)
    assert loader.status_code == 200
    assert "/api/schema/" in loader.content.decode()
    assert "script-src 'self'" in page["Content-Security-Policy"]


def test_the_figures_page_links_to_the_api_reference(client, review_2023):
    assert 'href="/api/docs/"' in client.get("/2023/figures/").text


@pytest.mark.parametrize("year", ["0", "1899", "3000", "99999999999999999999"])
def test_a_year_outside_the_documented_range_is_refused(client, year):
    """?review= takes the years the schema documents (1900–2999); others are a 400 that says so."""
    response = client.get(f"/api/keywords/?review={year}")
    assert response.status_code == 400
    assert response.json() == {"review": "Give a year from 1900 to 2999, e.g. 2023."}


def test_the_schema_documents_refusals_years_and_unlinked_figures(client):
    """Every operation documents its 400 and 404 answers; ?review= its range; a figure's
    initiative may be null, as it is for figures of no initiative."""
    schema = yaml.safe_load(client.get("/api/schema/").content)
    for path, operations in schema["paths"].items():
        assert {"200", "400", "404"} <= set(operations["get"]["responses"]), path
    (review,) = [
        p for p in schema["paths"]["/api/figures/"]["get"]["parameters"] if p["name"] == "review"
    ]
    assert review["schema"] == {"type": "integer", "minimum": 1900, "maximum": 2999}
    assert schema["components"]["schemas"]["Figure"]["properties"]["initiative"]["nullable"]
    figures = client.get("/api/figures/?review=2023&lang=en").json()["results"]
    assert None in {figure["initiative"] for figure in figures}


@pytest.mark.parametrize("page", ["", "abc", "0", "2"])
def test_a_page_number_the_api_does_not_have_is_not_found(client, review_2023, page):
    """?page= takes a page number that exists: an empty one is no more page 1 than "abc" is
    (Schemathesis sent ?page=, which the schema calls an integer)."""
    response = client.get(f"/api/awards/?page={page}&lang=en")
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}
    assert client.get("/api/awards/?page=1").json()["count"] == 5


def test_page_last_is_the_last_page(client, review_2023):
    """DRF's ?page=last still names the last page (here the only one)."""
    assert client.get("/api/awards/?page=last").json() == client.get("/api/awards/").json()


@pytest.mark.parametrize("path", ["/api/figures/1.5/", "/api/nothing-here/", "/api/awards/-3e-9/"])
def test_unknown_api_addresses_answer_in_json(client, path):
    """An address under /api/ that names nothing is a JSON 404, not the site's HTML page."""
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_api_addresses_without_their_slash_still_redirect(client):
    """The JSON 404 takes only addresses ending in a slash, so a missing one is still added."""
    response = client.get("/api/keywords")
    assert response.status_code == 301
    assert response["Location"] == "/api/keywords/"


@pytest.mark.parametrize("endpoint", COLUMN_ENDPOINTS)
def test_the_columns_list_only_what_is_published(client, every_column_filled, endpoint):
    """Each column's rows, drafts left out, within the same queries however many there are."""
    published = client.get(endpoint).json()["count"]
    assert published >= 1
    model = {"news": News, "notices": Notice, "places": Place, "service-guides": ServiceGuide}[
        endpoint.split("/")[2]
    ]
    model.objects.filter(pk=model.objects.published().first().pk).update(status=Status.UNPUBLISHED)
    assert client.get(endpoint).json()["count"] == published - 1


def test_a_place_gives_its_hours_and_a_story_its_links(client):
    place = client.get("/api/places/xianxia-road-centre/?lang=en").json()
    assert place["name"] == "Xianxia Road Party and Public Service Centre"
    assert place["opening_hours"] == []
    assert place["url"].endswith("/places/xianxia-road-centre/")
    story = client.get("/api/news/habitat-museum-construction-starts/").json()
    assert story["places"] == ["habitat-museum"]
    assert len(story["keywords"]) == 1


@pytest.mark.parametrize("endpoint", COLUMN_ENDPOINTS)
def test_column_lists_read_each_relation_once(
    client, django_assert_max_num_queries, every_column_filled, endpoint
):
    """A count, a page of rows and each relation the rows show read once, not per row (news:
    keywords, initiatives, places), plus the content version."""
    with django_assert_max_num_queries(2 + 3 + 1):
        assert client.get(endpoint).status_code == 200
