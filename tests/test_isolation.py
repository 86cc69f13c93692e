"""A test run touches nothing outside itself: not the developer's Redis, not the work tree."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import REDIS_URL, redis_client, sqlite_pass_only

pytestmark = [sqlite_pass_only, pytest.mark.long]


def work_tree_state() -> str:
    """Every changed, untracked or ignored path of the repository, as git sees it."""
    return subprocess.run(
        ["git", "status", "--porcelain", "--ignored", "--untracked-files=all"],  # noqa: S607
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_a_run_leaves_outside_redis_keys_and_the_repository_alone():
    """With REDIS_URL and file paths set in the shell, a run that saves content and uses Redis
    leaves a key it did not write, and the work tree, exactly as they were."""
    client = redis_client()
    root = Path(settings.BASE_DIR)
    sentinel = f"someone-elses-key-{uuid.uuid4().hex}"
    client.set(sentinel, "kept")
    before = work_tree_state()
    # The run uses its own in-memory SQLite database: on PostgreSQL it would want the same test
    # database name as the run it is part of.
    environment = {name: value for name, value in os.environ.items() if name != "DATABASE_URL"}
    shell = {
        **environment,
        "REDIS_URL": REDIS_URL,
        "MEDIA_ROOT": str(root / "media"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    try:
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:randomly",
                "--no-migrations",
                "tests/test_cache.py::test_admin_save_invalidates[redis]",
            ],
            cwd=root,
            env=shell,
            capture_output=True,
            text=True,
            check=False,
        )
        assert run.returncode == 0, run.stdout + run.stderr
        assert "1 passed" in run.stdout
        assert client.get(sentinel) == b"kept"
        assert work_tree_state() == before
    finally:
        client.delete(sentinel)
        client.close()
