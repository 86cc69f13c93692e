"""A whole site (database and media) backed up and restored into an empty one, with the
commands deploy/README.md gives operators: every page and file comes back byte for byte."""

import os
import re
import shutil
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.outside_tools import unavailable
from tests.servers import free_port, manage, serving, site_environment

pytestmark = pytest.mark.long

# Besides every address in the sitemap: pages it does not list, in both languages.
OTHER_PAGES = ["/awards/?level=municipal", "/search/?q=%E7%94%9F%E5%A2%83", "/en/search/?q=garden"]


@pytest.fixture
def databases() -> Iterator[tuple[str, str]]:
    """The original site's database and the empty one it is restored into: SQLite files, or
    two PostgreSQL databases of this test's own when the suite runs on PostgreSQL."""
    if connection.vendor != "postgresql":
        yield "", ""
        return
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        unavailable(
            "pg_dump and pg_restore not found (apt-get install postgresql-client)", "DATABASE_URL"
        )
    server = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    names = [f"xinjing_backup_{uuid.uuid4().hex[:12]}_{side}" for side in ("original", "restored")]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield tuple(f"{server}/{name}" for name in names)
        finally:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def every_page(port: int) -> dict[str, bytes]:
    """Each page of the sitemap and a few more, and every image they show."""

    def get(path: str) -> bytes:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
            return response.read()

    base = f"http://127.0.0.1:{port}"
    sitemap = get("/sitemap.xml").decode()
    paths = [address.removeprefix(base) for address in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
    pages = {path: get(path) for path in [*paths, *OTHER_PAGES]}
    images = {
        source for page in pages.values() for source in re.findall(rb'src="(/media/[^"]+)"', page)
    }
    return pages | {source.decode(): get(source.decode()) for source in images}


def test_a_site_restored_from_its_backup_is_the_same_site(tmp_path: Path, databases):
    port = free_port()
    backups = tmp_path / "backups"
    original = site_environment(tmp_path / "original", port) | {"BACKUP_ROOT": str(backups)}
    restored = site_environment(tmp_path / "restored", port) | {
        "BACKUP_ROOT": str(backups),
        # An operator restores with the site's own settings.
        "SECRET_KEY": original["SECRET_KEY"],
    }
    if databases[0]:
        original["DATABASE_URL"], restored["DATABASE_URL"] = databases
    (tmp_path / "original").mkdir()
    (tmp_path / "restored").mkdir()
    for command in (["migrate", "--noinput"], ["setup_demo"], ["collectstatic", "--noinput"]):
        manage(original, *command)
    with serving(original):
        before = every_page(port)
    manage(original, "dbbackup", "--noinput")
    manage(original, "mediabackup", "--noinput")

    manage(restored, "dbrestore", "--noinput")
    manage(restored, "mediarestore", "--noinput")
    manage(restored, "collectstatic", "--noinput")
    with serving(restored):
        after = every_page(port)
    assert len(before) > 20
    assert any(path.startswith("/media/") for path in before)
    assert after.keys() == before.keys()
    changed = [path for path in before if after[path] != before[path]]
    assert changed == []
