"""A CI-sized load test: 32 concurrent clients for a few seconds against the production setup."""

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import sqlite_pass_only

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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    """The site as `make serve` runs it (gunicorn, DEBUG off), on its own SQLite file."""
    tmp_path = tmp_path_factory.mktemp("production")
    port = free_port()
    env = {
        **os.environ,
        # pytest-django puts the test settings in the environment; the server must not use them.
        "DJANGO_SETTINGS_MODULE": "xinjing.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "SERVE_MEDIA": "1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'load.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "CONTENT_VERSION_FILE": str(tmp_path / "content-version"),
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
    }
    env.pop("REDIS_URL", None)
    root = Path(settings.BASE_DIR)
    # The pages, not their images, are under load: the fixture alone, no renditions to make.
    commands = (
        ["migrate", "--noinput"],
        ["loaddata", "xinjing_2023"],
        ["collectstatic", "--noinput"],
    )
    for command in commands:
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=root,
            env=env,
            check=True,
            capture_output=True,
        )
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "xinjing.wsgi", "--config", "deploy/gunicorn.conf.py"],
        cwd=root,
        env=env,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


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
