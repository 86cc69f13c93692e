"""Settings for the test suite: the site's own, with nothing taken from the shell but DATABASE_URL.

A developer's REDIS_URL or MEDIA_ROOT must never reach a test run: the
suite would flush their cache or write into the repository. So the site's settings are read
with an environment holding only DATABASE_URL and debug mode, and everything the suite writes
goes to a temporary folder of its own, removed when the run ends.
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path
from unittest import mock

TEST_ENVIRONMENT = {"DJANGO_DEBUG": "1"}
if "DATABASE_URL" in os.environ:
    TEST_ENVIRONMENT["DATABASE_URL"] = os.environ["DATABASE_URL"]

with mock.patch.dict(os.environ, TEST_ENVIRONMENT, clear=True):
    from xinjing.settings import *  # noqa: F403
    from xinjing.settings import DATABASES

RUN_DIRECTORY = Path(tempfile.mkdtemp(prefix="xinjing-tests-"))
atexit.register(shutil.rmtree, RUN_DIRECTORY, ignore_errors=True)

# The test client's own host, so that the address pages print is the one they are asked at.
SITE_URL = "http://testserver"
MEDIA_ROOT = RUN_DIRECTORY / "media"
STATIC_ROOT = RUN_DIRECTORY / "static"
STORAGES = {
    **STORAGES,  # noqa: F405
    "dbbackup": {**STORAGES["dbbackup"], "OPTIONS": {"location": RUN_DIRECTORY / "backups"}},  # noqa: F405
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Password hashing is deliberately slow in production; the suite logs staff in hundreds of times.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Content changes reach the page cache after their transaction commits, which a test's
# transaction never does: the page cache is off here, and on in the tests about it.
PAGE_CACHE_SECONDS = 0

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, as the site's: WAL and transactions that lock when they begin (xinjing/settings.py)
    # behave as they do when served, where an in-memory database shared between the live
    # server's threads locks whole tables at once and fails instead of waiting.
    DATABASES["default"]["TEST"] = {"NAME": str(RUN_DIRECTORY / "tests.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A commit need not wait for the disk: the test database is dropped when the run ends.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"
