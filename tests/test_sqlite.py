"""SQLite, the embedded default, served by several workers to staff working at the same time."""

import threading
import time

from django.db import connection, transaction

from highlights.models import ContentVersion
from tests.conftest import sqlite_pass_only

pytestmark = sqlite_pass_only


def test_the_database_is_opened_for_several_workers(db):
    """Write-ahead log, commits not waiting for the disk, transactions that lock as they begin."""
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert cursor.execute("PRAGMA synchronous").fetchone() == (1,)  # NORMAL
    assert connection.transaction_mode == "IMMEDIATE"


def test_a_save_that_reads_then_writes_waits_for_a_colleague(transactional_db):
    """One worker's transaction reads, then writes (a save, or opening a form, which records its
    reader as present); another worker writes in between. The later writer waits for the
    first transaction to end, and nobody gets "database is locked"."""
    ContentVersion.objects.update_or_create(pk=1, defaults={"token": "before"})
    has_read = threading.Event()
    errors = []

    def colleague() -> None:
        try:
            with transaction.atomic():
                ContentVersion.objects.get(pk=1)
                has_read.set()
                time.sleep(0.3)  # the other worker writes now
                ContentVersion.objects.filter(pk=1).update(token="colleague's")
        except Exception as error:  # any failure is the finding
            errors.append(error)
            has_read.set()
        finally:
            connection.close()

    other_worker = threading.Thread(target=colleague)
    other_worker.start()
    assert has_read.wait(timeout=10)
    ContentVersion.objects.filter(pk=1).update(token="mine")
    other_worker.join()
    assert errors == []
    assert ContentVersion.objects.get(pk=1).token == "mine"
