"""Trigram indexes that let site search skip the rows that cannot match.

`ContentQuerySet.matching()` compares every language's column with a case-insensitive substring
match (icontains), which no B-tree index can answer: at 100× data every new search read four
whole tables. Both databases have a trigram index that can:

- PostgreSQL: pg_trgm's GIN indexes on UPPER(column::text), the very expression Django's
  icontains compares, so the planner uses them and the query stays as it is.
- SQLite: an FTS5 table per model with the trigram tokenizer, holding every language's text of
  each row and kept up to date by triggers (so raw saves, `QuerySet.update()` and loaddata are
  indexed too). `narrowed()` limits a search to the rows it finds; matching() then compares as
  before, so the index can only ever let more rows through, never fewer.

Both are built after every migrate rather than in a migration of their own: the columns are the
search fields in every language of settings.LANGUAGES, so a new search field or a new language is
indexed without anyone writing SQL for it. Where neither is available (an SQLite built without
FTS5, a PostgreSQL without pg_trgm), a warning is logged and search reads the tables as before.

Django's own `GinIndex` with `OpClass` in Meta.indexes would do for PostgreSQL, but Meta.indexes
are created on every database, and SQLite has no GIN indexes.
"""

from __future__ import annotations

import logging
import sqlite3
from functools import cache

from django.apps import apps
from django.db import DatabaseError, connections, transaction
from django.db.models import Model, Q, QuerySet
from django.db.models.expressions import RawSQL

from . import languages

logger = logging.getLogger(__name__)

# A trigram index finds nothing in a term shorter than one trigram.
SHORTEST_INDEXED_TERM = 3
SQLITE_TOKENIZER = "trigram"
POSTGRES_EXTENSION = "pg_trgm"


def indexed_models() -> list[type[Model]]:
    return [
        model
        for model in apps.get_app_config("highlights").get_models()
        if getattr(model, "search_fields", ())
    ]


def searched_columns(model: type[Model]) -> list[str]:
    """The database columns matching() compares: each search field in every language."""
    return [model._meta.get_field(name).column for name in languages.columns(model.search_fields)]


def index_table(model: type[Model]) -> str:
    return f"{model._meta.db_table}_search"


@cache
def sqlite_can_index() -> bool:
    """Whether this SQLite (the library Django's backend uses too) has FTS5's trigram tokenizer,
    which came with SQLite 3.34; asked of a database in memory, so it costs no query."""
    try:
        sqlite3.connect(":memory:").execute(
            f"CREATE VIRTUAL TABLE probe USING fts5(document, tokenize='{SQLITE_TOKENIZER}')"
        )
    except sqlite3.OperationalError:
        return False
    return True


def narrowed(queryset: QuerySet, term: str) -> QuerySet:
    """The queryset limited to the rows the SQLite index says contain the term, if it can say."""
    connection = connections[queryset.db]
    if connection.vendor != "sqlite" or len(term) < SHORTEST_INDEXED_TERM:
        return queryset
    if not sqlite_can_index():
        return queryset
    table = connection.ops.quote_name(index_table(queryset.model))
    # A phrase query, quoted as FTS5 quotes: the trigram tokenizer then finds the term as a
    # substring, case folded (as LIKE folds ASCII, and further).
    phrase = '"' + term.replace('"', '""') + '"'
    rows = RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [phrase])
    return queryset.filter(Q(pk__in=rows))


def build_search_indexes(using: str = "default", **kwargs) -> None:
    """Build every search index afresh for the database (post_migrate)."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        install_sqlite(connection)
    elif connection.vendor == "postgresql":
        install_postgresql(connection)


def drop_search_indexes(using: str = "default", **kwargs) -> None:
    """Drop SQLite's triggers and index tables before migrating (pre_migrate): SQLite refuses to
    drop or rename a column a trigger reads, which a migration may need to do."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in indexed_models():
            table = index_table(model)
            for event in ("insert", "update", "delete"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {quote(f'{table}_{event}')}")
            cursor.execute(f"DROP TABLE IF EXISTS {quote(table)}")


def install_sqlite(connection) -> None:
    if not sqlite_can_index():
        logger.warning(
            "SQLite %s has no FTS5 %s tokenizer: site search reads whole tables.",
            sqlite3.sqlite_version,
            SQLITE_TOKENIZER,
        )
        return
    drop_search_indexes(connection.alias)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for model in indexed_models():
            for statement in sqlite_index_statements(model, connection.ops.quote_name):
                cursor.execute(statement)


def sqlite_index_statements(model: type[Model], quote) -> list[str]:
    """The model's FTS5 table, filled from its rows, and the triggers that keep it so."""
    table, index = quote(model._meta.db_table), quote(index_table(model))
    key = quote(model._meta.pk.column)

    def document(row: str) -> str:
        # Every language's text of the row, one column to a line.
        return " || char(10) || ".join(
            f"coalesce({row}.{quote(column)}, '')" for column in searched_columns(model)
        )

    def trigger(event: str, body: str) -> str:
        name = quote(f"{index_table(model)}_{event}")
        return f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {body}; END"

    insert = f"INSERT INTO {index}(rowid, document) VALUES (new.{key}, {document('new')})"
    delete = f"DELETE FROM {index} WHERE rowid = old.{key}"
    return [
        f"CREATE VIRTUAL TABLE {index} USING fts5(document, tokenize='{SQLITE_TOKENIZER}')",
        f"INSERT INTO {index}(rowid, document) SELECT {key}, {document(table)} FROM {table}",
        trigger("insert", insert),
        trigger("update", f"{delete}; {insert}"),
        trigger("delete", delete),
    ]


def install_postgresql(connection) -> None:
    quote = connection.ops.quote_name
    try:
        # A failed CREATE EXTENSION would otherwise break the migration's transaction.
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(f"CREATE EXTENSION IF NOT EXISTS {quote(POSTGRES_EXTENSION)}")
    except DatabaseError as error:
        logger.warning(
            "PostgreSQL extension %s cannot be created (%s): site search reads whole tables.",
            POSTGRES_EXTENSION,
            str(error).strip(),
        )
        return
    with connection.cursor() as cursor:
        for model in indexed_models():
            table = model._meta.db_table
            for column in searched_columns(model):
                # UPPER(column::text) is what Django's icontains compares on PostgreSQL.
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {quote(f'{table}_{column}_trgm')} "
                    f"ON {quote(table)} USING gin (UPPER({quote(column)}::text) gin_trgm_ops)"
                )
