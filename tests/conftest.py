"""Shared test data: the real 2023 review (loaded once a run), staff in each role, a throwaway
MEDIA_ROOT, and a Redis cache the suite owns."""

import math
import shutil
import uuid
from collections.abc import Callable, Iterator
from copy import copy
from io import StringIO
from unittest import mock

import django.test.client
import hypothesis
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, connections, transaction
from django.db.models import Model
from django.test import Client
from django.test.utils import ContextList
from django.utils import translation
from hypothesis.configuration import set_hypothesis_home_dir
from pytest_django.plugin import blocking_manager_key

from highlights.cache import content_version, local_pages
from highlights.demo import DEMO_FIXTURES, DEMO_MEDIA
from highlights.middleware import ScheduledPublishingMiddleware
from highlights.models import Review
from highlights.publishing import unit_models
from highlights.roles import EDITOR, PUBLISHER
from tests.outside_tools import unavailable
from xinjing.settings import cache_at_redis

REDIS_URL = "redis://127.0.0.1:6379/15"

# A test whose server or subprocess brings an SQLite database of its own would repeat itself,
# unchanged, on the PostgreSQL pass.
sqlite_pass_only = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="has an SQLite database of its own: runs on the SQLite pass",
)

# Hypothesis keeps nothing in the work tree: no example database, and its other files (such as
# its cache of constants) go to the run's temporary folder.
hypothesis.settings.register_profile("suite", database=None)
hypothesis.settings.load_profile("suite")
set_hypothesis_home_dir(str(settings.RUN_DIRECTORY / "hypothesis"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--write-snapshots",
        action="store_true",
        help="write tests/page_snapshots/ from the pages as they render now",
    )


def load_shared_content() -> None:
    """The 2023 review, its news and places, as the demo has them, with their first history
    entries."""
    call_command("loaddata", *DEMO_FIXTURES, verbosity=0)
    call_command("populate_history", auto=True, stdout=StringIO())


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker) -> None:
    """Load the review once; every test runs inside a transaction that is rolled back. A copy
    of the loaded rows is kept beside them for the tests that commit (see restore_content)."""
    with django_db_blocker.unblock():
        load_shared_content()
        copy_content()


def copy_content() -> None:
    """Each content table's rows, as loaded, in a table of their own."""
    with connection.cursor() as cursor:
        for table in content_tables():
            # Table names from the models, quoted by the database backend.
            cursor.execute(f"CREATE TABLE {copy_of(table)} AS SELECT * FROM {quoted(table)}")  # noqa: S608


def content_models() -> list[type[Model]]:
    """Where the shared content lives: the app's own models, history and the tables of
    many-to-many links included."""
    return list(apps.get_app_config("highlights").get_models(include_auto_created=True))


def content_tables() -> list[str]:
    return [model._meta.db_table for model in content_models()]


def quoted(table: str) -> str:
    return connection.ops.quote_name(table)


def copy_of(table: str) -> str:
    """Not a model's table, so emptying the database leaves it alone."""
    return quoted(f"shared_copy_{table}")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Modules marked long go first, in the random order pytest-randomly gave them, as does
    the rest after them. A long module handed out last would keep one test process busy
    while the others wait."""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)


def is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    requested = {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
    return bool(requested) or bool(marker and marker.kwargs.get("transaction"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    """A transactional test ends by emptying the database: the shared content is put back after
    it (unless it was the last test: the test database is gone by then)."""
    result = yield
    if is_transactional(item) and nextitem is not None:
        with item.config.stash[blocking_manager_key].unblock():
            restore_content()
            # A connection this hook opened (in another context than the test's, as under
            # Playwright) would outlive the run and keep PostgreSQL from dropping the test
            # database: the next test opens its own.
            connections.close_all()
    return result


def restore_content() -> None:
    """The rows as first loaded, keys included (pages show them in anchors such as #figure-1),
    and key counters that go on from there, as after loaddata. Copying rows back costs a few
    milliseconds; loading the fixture and its history again took a second or more."""
    tables = content_tables()
    with transaction.atomic(), connection.cursor() as cursor:
        connection.ops.execute_sql_flush(
            connection.ops.sql_flush(no_style(), tables, reset_sequences=True, allow_cascade=True)
        )
        for table in tables:
            cursor.execute(f"INSERT INTO {quoted(table)} SELECT * FROM {copy_of(table)}")  # noqa: S608
        for statement in connection.ops.sequence_reset_sql(no_style(), content_models()):
            cursor.execute(statement)


def store_page_context(store: dict, signal, sender, template, context, **kwargs) -> None:
    """What the test client keeps of a response's templates: each template, and the context of
    the first, the page's own (tests read response.context["form"] and the like).

    Django's client keeps a copy of the context of every template rendered, down to each
    widget's: 1,300 copies for a keyword's admin page, a quarter of the time of an admin
    request in the suite.
    """
    store.setdefault("templates", []).append(template)
    if "context" not in store:
        store["context"] = ContextList([copy(context)])


@pytest.fixture(autouse=True, scope="session")
def page_context_only() -> Iterator[None]:
    with mock.patch.object(django.test.client, "store_rendered_templates", store_page_context):
        yield


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def empty_cache():
    """No page cached by one test is served to another (the test cache is local memory, and
    each process keeps pages of its own)."""
    cache.clear()
    local_pages.clear()


@pytest.fixture(autouse=True)
def scheduled_drafts_checked(monkeypatch):
    """The check for scheduled drafts runs every half minute per process, whichever request
    comes then, and the columns are looked at hourly: query budgets count a page's own queries.
    Tests of the checks turn them on."""
    monkeypatch.setattr(ScheduledPublishingMiddleware, "next_check", math.inf)
    monkeypatch.setattr(ScheduledPublishingMiddleware, "next_reminder", math.inf)


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in Chinese, whatever language an earlier request left active."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def review_2023(db, settings) -> Review:
    # The covers the fixture refers to; renditions are left to the tests that need them.
    shutil.copytree(DEMO_MEDIA, settings.MEDIA_ROOT, dirs_exist_ok=True)
    return Review.objects.get(year=2023)


@pytest.fixture
def warm_content_version(db) -> None:
    """The content version row exists, as after a site's first request: query budgets
    measure a page, not the row's creation."""
    content_version()


@pytest.fixture
def version_reads(monkeypatch) -> list[str]:
    """Each read of the content version, by database alias: it is read on the driver's own
    cursor, so Django's query counts leave it out (highlights.cache.version_row)."""
    from highlights import cache

    reads = []
    read = cache.version_row

    def counted(database):
        reads.append(database.alias)
        return read(database)

    monkeypatch.setattr(cache, "version_row", counted)
    return reads


@pytest.fixture
def empty_site(db) -> None:
    """No content at all, for tests that count every row (undone with the test's transaction)."""
    for model in unit_models():
        model.objects.all().delete()


@pytest.fixture
def make_staff(db) -> Callable[[str], User]:
    def make(role: str) -> User:
        user = User.objects.create_user(username=role.lower(), password="pw", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        return user

    return make


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor_client(make_staff) -> Client:
    return logged_in(make_staff(EDITOR))


@pytest.fixture
def publisher_client(make_staff) -> Client:
    return logged_in(make_staff(PUBLISHER))


def redis_client():
    """A client for the suite's Redis database; Redis is required in CI (REQUIRE_REDIS) and
    optional elsewhere, where the test is skipped with the reason."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError:
        unavailable(f"Redis is not reachable at {REDIS_URL}", "REQUIRE_REDIS")
    return client


@pytest.fixture
def page_cache_on(settings) -> None:
    """The anonymous page cache as in production (tests/settings.py turns it off)."""
    settings.PAGE_CACHE_SECONDS = 600


@pytest.fixture
def redis_cache(settings) -> Iterator[str]:
    """Point the cache at Redis under a key prefix of this test's own, removed afterwards.

    Other programs' keys in the same database are never touched: the test never flushes.
    """
    client = redis_client()
    prefix = f"xinjing-tests-{uuid.uuid4().hex}"
    settings.CACHES = {"default": cache_at_redis(REDIS_URL, prefix, settings.REDIS_TIMEOUT_SECONDS)}
    yield prefix
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()
