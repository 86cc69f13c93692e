"""Elder mode (关怀版): a plain link turns it on and off, it persists, and the page cache keeps
the two modes apart."""

import pytest

from highlights import care

KEYWORD = "/2023/keywords/thematic-education/"


def test_the_link_turns_elder_mode_on_and_goes_back(client, review_2023):
    page = client.get(KEYWORD)
    assert f"/care/?on=1&amp;next={KEYWORD}" in page.text
    assert "关怀版" in page.text
    response = client.get("/care/", {"on": "1", "next": KEYWORD})
    assert response.status_code == 302
    assert response.url == KEYWORD
    cookie = response.cookies[care.COOKIE]
    assert cookie.value == "1"
    assert cookie["max-age"] == care.COOKIE_SECONDS
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    page = client.get(KEYWORD)  # the test client keeps the cookie, as a browser does
    assert '<html lang="zh-Hans" class="care">' in page.text
    assert "标准版" in page.text
    assert "/care/?on=0" in page.text


def test_the_link_turns_it_off_again(client, review_2023):
    client.cookies[care.COOKIE] = "1"
    response = client.get("/en/care/", {"on": "0", "next": "/en/"})
    assert response.url == "/en/"
    assert response.cookies[care.COOKIE].value == ""
    assert response.cookies[care.COOKIE]["max-age"] == 0
    assert "Elder mode" in client.get("/en/").text


@pytest.mark.parametrize(
    "query",
    [{"on": "yes"}, {}, {"on": "1", "next": "x" * 3000}],
    ids=["not-on-or-off", "missing", "next-too-long"],
)
def test_bad_switch_requests_are_a_400(client, db, query):
    response = client.get("/care/", query)
    assert response.status_code == 400
    assert "on=1" in response.text


@pytest.mark.parametrize(
    "target", ["//evil.example/", "https://evil.example/", "/\\evil.example/", "javascript:x"]
)
def test_it_never_sends_a_reader_elsewhere(client, db, target):
    response = client.get("/care/", {"on": "1", "next": target})
    assert response.status_code == 302
    assert response.url == "/"


def test_switching_costs_no_query(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        client.get("/care/", {"on": "1", "next": "/"})


def test_the_page_cache_keeps_the_modes_apart(client, review_2023, page_cache_on):
    standard = client.get(KEYWORD)
    assert standard["X-Page-Cache"] == "miss"
    client.cookies[care.COOKIE] = "1"
    elder = client.get(KEYWORD)
    assert elder["X-Page-Cache"] == "miss"
    assert 'class="care"' in elder.text
    assert client.get(KEYWORD)["X-Page-Cache"] == "hit"
    del client.cookies[care.COOKIE]
    again = client.get(KEYWORD)
    assert again["X-Page-Cache"] == "hit"
    assert 'class="care"' not in again.text


def test_crawlers_leave_the_switch_alone(client, db):
    robots = client.get("/robots.txt").text
    assert "Disallow: /care/" in robots
    assert "Disallow: /en/care/" in robots
