"""Places: opening hours said on the server in the town's time, at their boundaries and on a
public holiday; pages cached only until what they say changes; found by street."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError

from highlights.cache import kept_for
from highlights.models import OpeningPeriod, Place, SpecialDay

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Monday 4 March 2024, in Beijing time.
MONDAY = date(2024, 3, 4)


def at(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=SHANGHAI)


@pytest.fixture
def centre(review_2023) -> Place:
    """仙霞路党群服务中心, open on weekdays 9:00–17:00 (made up for the test)."""
    place = Place.objects.get(slug="xianxia-road-centre")
    place.address = "仙霞路 1 号"
    place.save()
    for weekday in range(5):
        OpeningPeriod.objects.create(place=place, weekday=weekday, opens=time(9), closes=time(17))
    return place


def status(place: Place, moment: datetime) -> str:
    fresh = Place.objects.with_hours(moment.date()).get(pk=place.pk)
    found = fresh.opening_status(moment)
    return found.text if found else ""


@pytest.mark.parametrize(
    ("moment", "said"),
    [
        (at(MONDAY, 8, 59, 59), "现已关闭，9:00 开放"),
        (at(MONDAY, 9), "正在开放，17:00 关闭"),
        (at(MONDAY, 16, 59, 59), "正在开放，17:00 关闭"),
        (at(MONDAY, 17), "现已关闭，明天 9:00 开放"),
        (at(date(2024, 3, 8), 18), "现已关闭，星期一 9:00 开放"),
    ],
)
def test_open_now_at_the_boundaries(centre, moment, said):
    """Open from the first second of 9:00 to the last before 17:00, Beijing time."""
    assert status(centre, moment) == said


def test_a_public_holiday_overrides_the_week(centre):
    """Closed on a holiday that falls on a weekday: the next opening is the day after."""
    SpecialDay.objects.create(place=centre, date=MONDAY, note="清明节")
    assert status(centre, at(MONDAY, 10)) == "现已关闭，明天 9:00 开放"
    SpecialDay.objects.create(place=centre, date=date(2024, 3, 9), opens=time(10), closes=time(12))
    assert status(centre, at(date(2024, 3, 9), 11)) == "正在开放，12:00 关闭"


def test_a_place_without_hours_says_nothing_about_them(client, review_2023):
    """The review does not state the hours: no "unknown", no table."""
    page = client.get("/places/shuangliu-road-centre/").text
    assert "opening-status" not in page
    assert "开放时间" not in page


def test_the_page_is_kept_only_until_the_place_opens_or_closes(client, centre, settings):
    """At 8:59 the page says closed and may be kept 60 s; the page cache keeps it no longer."""
    settings.PAGE_CACHE_SECONDS = 600
    with time_machine.travel(at(MONDAY, 8, 59), tick=False):
        response = client.get(centre.get_absolute_url())
    assert "现已关闭，9:00 开放" in response.text
    assert "max-age=60" in response["Cache-Control"]
    assert kept_for(response) == 60
    with time_machine.travel(at(MONDAY, 9), tick=False):
        assert "正在开放" in client.get(centre.get_absolute_url()).text


def test_places_are_found_by_street(client, centre):
    """The list narrows to the street typed; site search finds the address too."""
    listed = client.get("/places/", {"q": "仙霞路"}).text
    assert "仙霞路党群服务中心" in listed
    assert "新泾镇营商服务中心" not in listed
    assert "/places/xianxia-road-centre/" in client.get("/search/", {"q": "仙霞路 1"}).text


@pytest.mark.parametrize("term", ["a", "x" * 101])
def test_a_bad_street_is_a_message_not_an_error(client, review_2023, term):
    """Too short or too long: every place, the form's message, kept by no shared cache."""
    response = client.get("/places/", {"q": term})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "private" in response["Cache-Control"]


def test_coordinates_come_in_pairs(centre):
    centre.latitude = 31.2
    with pytest.raises(IntegrityError):
        centre.save()


def test_the_map_is_a_link_not_a_load(client, centre):
    """A map app opens from a link; the page loads nothing from another host."""
    centre.latitude, centre.longitude = 31.215, 121.38
    centre.save()
    page = client.get(centre.get_absolute_url()).text
    assert "https://uri.amap.com/marker?position=121.38" in page
    assert "<iframe" not in page
    assert 'src="https://' not in page


def test_the_review_gathers_its_places_and_news(client, review_2023):
    """A keyword page lists the places its initiatives name and the news tagged to it; an
    initiative that is a place links to the place's page."""
    keyword = client.get("/2023/keywords/led-by-party-building/").text
    assert "/places/xianxia-road-centre/" in keyword
    assert "/news/tong-xin-block-outstanding-case/" in keyword
    initiative = client.get("/2023/keywords/led-by-party-building/xianxia-road-centre/").text
    assert "/places/xianxia-road-centre/" in initiative


def test_an_unpublished_place_leaves_the_review_too(client, review_2023):
    place = Place.objects.get(slug="xianxia-road-centre")
    place.status = "draft"
    place.save()
    assert (
        "/places/xianxia-road-centre/"
        not in client.get("/2023/keywords/led-by-party-building/").text
    )
    assert client.get("/places/xianxia-road-centre/").status_code == 404
