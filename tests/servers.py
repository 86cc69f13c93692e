"""The site as `make serve` runs it (gunicorn with two workers, DEBUG off), on an SQLite file of
its own, for the tests that need a real server: load, and two staff on different workers."""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int) -> None:
    """Until something listens on the port of 127.0.0.1 (ten seconds at most)."""
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)


def site_environment(folder: Path, port: int, host: str = "127.0.0.1") -> dict[str, str]:
    """The environment of the site in `folder`, as `make serve` would run it."""
    env = {
        **os.environ,
        # pytest-django puts the test settings in the environment; the server must not use them.
        "DJANGO_SETTINGS_MODULE": "xinjing.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "SERVE_MEDIA": "1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": f"127.0.0.1,{host}",
        "DATABASE_URL": f"sqlite:///{folder / 'site.sqlite3'}",
        "MEDIA_ROOT": str(folder / "media"),
        "STATIC_ROOT": str(folder / "static"),
        "SITE_URL": f"http://127.0.0.1:{port}" if host == "127.0.0.1" else f"https://{host}",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
    }
    env.pop("REDIS_URL", None)
    return env


def manage(env: dict[str, str], *command: str) -> None:
    """A manage.py command on the site, as an operator would run it beside the server."""
    subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=Path(settings.BASE_DIR),
        env=env,
        check=True,
        capture_output=True,
    )


@contextmanager
def production_server(
    folder: Path, *setup: list[str], host: str = "127.0.0.1", **environment: str
) -> Iterator[int]:
    """Migrate, load the 2023 review, run each `setup` manage.py command, collect static files
    and serve as `host` (its SITE_URL) on a port of 127.0.0.1, with `environment` added to the
    site's; yields the port."""
    port = free_port()
    env = site_environment(folder, port, host) | environment
    # The pages, not their images, are what these tests use: the fixture alone, no renditions.
    commands = (
        ["migrate", "--noinput"],
        ["loaddata", "xinjing_2023"],
        *setup,
        ["collectstatic", "--noinput"],
    )
    for command in commands:
        manage(env, *command)
    with serving(env):
        yield port


@contextmanager
def serving(env: dict[str, str]) -> Iterator[None]:
    """gunicorn serving the site of `env` (site_environment) until the block ends."""
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "xinjing.wsgi", "--config", "deploy/gunicorn.conf.py"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for(int(env["BIND"].rsplit(":", 1)[1]))
        yield
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
