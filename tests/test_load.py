"""A CI-sized load test: 32 concurrent clients for a few seconds against the production setup."""

import http.client
import re
import threading
from collections import Counter

import pytest

from tests.conftest import sqlite_pass_only
from tests.servers import production_server as production_server_on

CLIENTS = 32
PATHS = [
    "/",
    "/en/",
    "/2023/keywords/thematic-education/",
    "/en/2023/keywords/a-happy-place/",
    "/2023/figures/",
    "/awards/?level=municipal",
    "/search/?q=%E7%94%9F%E5%A2%83",
    "/feed/",
    "/api/keywords/",
    "/no-such-page/",
]
# Each client asks for every path once.
REQUESTS_PER_CLIENT = len(PATHS)

pytestmark = [sqlite_pass_only, pytest.mark.long]


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    with production_server_on(tmp_path_factory.mktemp("production")) as port:
        yield port


def get(port: int, path: str, **headers: str) -> tuple[http.client.HTTPResponse, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


def hammer(port: int, count: int, answers: Counter, errors: Counter, lock: threading.Lock) -> None:
    """Count each answer by its status and whether the page cache served it."""
    for number in range(count):
        try:
            response, _ = get(port, PATHS[number % len(PATHS)])
            with lock:
                answers[response.status, response.getheader("X-Page-Cache")] += 1
        except OSError as error:
            with lock:
                errors[type(error).__name__] += 1


def test_thirty_two_concurrent_clients(production_server):
    """Every request of 32 concurrent clients is answered, with no 5xx and no connection error.

    A fixed number of requests, not a duration: how fast they go is `make bench`'s business.
    """
    answers, errors, lock = Counter(), Counter(), threading.Lock()
    threads = [
        threading.Thread(
            target=hammer, args=(production_server, REQUESTS_PER_CLIENT, answers, errors, lock)
        )
        for _ in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert answers.total() == CLIENTS * REQUESTS_PER_CLIENT
    assert {status for status, _ in answers} == {200, 404}, answers
    # The production page cache is on: most pages were served from it.
    served = Counter(cache for _, cache in answers.elements())
    assert served["hit"] > served["miss"], answers


def test_static_files_are_served_compressed_under_their_hashed_names_only(production_server):
    """Pages name the hashed stylesheet, served Brotli-compressed; no unhashed copy is kept."""
    home, html = get(production_server, "/")
    assert home.status == 200
    stylesheet = re.search(rb'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html).group(1)
    hashed, _ = get(production_server, stylesheet.decode(), **{"Accept-Encoding": "br"})
    assert hashed.status == 200
    assert hashed.getheader("Content-Encoding") == "br"
    unhashed, _ = get(production_server, "/static/css/site.css")
    assert unhashed.status == 404
