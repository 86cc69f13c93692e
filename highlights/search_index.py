"""Trigram and pair indexes that let site search skip the rows that cannot match.

`ContentQuerySet.matching()` compares every language's column with a case-insensitive substring
match (icontains), which no B-tree index can answer: at 100× data every new search read four
whole tables. Both databases have a trigram index that can:

- PostgreSQL: pg_trgm's GIN indexes on UPPER(column::text), the very expression Django's
  icontains compares, so the planner uses them and the query stays as it is.
- SQLite: an FTS5 table per model with the trigram tokenizer, holding every language's text of
  each row and kept up to date by triggers (so raw saves, `QuerySet.update()` and loaddata are
  indexed too). `narrowed()` limits a search to the rows it finds; matching() then compares as
  before, so the index can only ever let more rows through, never fewer.

A trigram index finds nothing in a term of two characters, and two characters are a whole word
in Chinese (社区, 花园): such terms read every row, slower the larger the archive. So each
model also has a pair index: every two-character piece of its text (lower-cased, none with a
space), as `search_pairs()` writes them, in Python for SQLite and in SQL for PostgreSQL:

- SQLite: a second FTS5 table per model, whose document is the pieces, each written as one
  hexadecimal token (so that no tokenizer splits a piece holding punctuation); the triggers
  call `search_pairs()`, which every connection Django opens registers.
- PostgreSQL: a GIN index on the pieces of the model's text (an immutable SQL function), which
  a search asks with `@>`.

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
from django.db.backends.signals import connection_created
from django.db.models import BooleanField, Model, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.dispatch import receiver

from . import languages

logger = logging.getLogger(__name__)

# The trigram index serves terms of three characters or more; the pair index, terms of two.
PAIR = 2
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


def pair_table(model: type[Model]) -> str:
    return f"{model._meta.db_table}_pairs"


def search_pairs(text: str | None) -> str:
    """The distinct two-character pieces of the text, lower-cased and without spaces, each as
    a hexadecimal token, separated by spaces: the SQLite pair index's document."""
    text = (text or "").lower()
    pieces = {text[i : i + PAIR] for i in range(len(text) - 1)}
    return " ".join(
        sorted(piece.encode().hex() for piece in pieces if not any(c.isspace() for c in piece))
    )


@receiver(connection_created)
def register_search_pairs(sender, connection, **kwargs) -> None:
    """SQLite's pair index is kept by triggers that call search_pairs(): every connection
    that may write content needs it."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("search_pairs", 1, search_pairs, deterministic=True)


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
    """The queryset limited to the rows an index says contain the term, if one can say."""
    connection = connections[queryset.db]
    quote = connection.ops.quote_name
    if len(term) == PAIR and connection.vendor == "postgresql":
        # A condition on the table itself, not a subquery, so that the planner weighs the index;
        # its columns named with their table, as a search joins others.
        document = text_document(queryset.model, quote, quote(queryset.model._meta.db_table))
        condition = f"search_pairs({document}) @> search_pairs(%s)"
        return queryset.filter(RawSQL(condition, [term], output_field=BooleanField()))
    if connection.vendor != "sqlite" or len(term) < PAIR or not sqlite_can_index():
        return queryset
    if len(term) == PAIR:
        table, phrase = quote(pair_table(queryset.model)), search_pairs(term)
        if not phrase:  # a space: no piece holds one
            return queryset
    else:
        table = quote(index_table(queryset.model))
        # A phrase query, quoted as FTS5 quotes: the trigram tokenizer then finds the term as
        # a substring, case folded (as LIKE folds ASCII, and further).
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
            for table in (index_table(model), pair_table(model)):
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


def text_document(model: type[Model], quote, row: str = "") -> str:
    """Every language's text of the row, one column to a line, as an SQL expression both
    databases read alike: the columns of `row` (a quoted table, or a trigger's `new`) where
    given. PostgreSQL's pair index is built on this very expression, which a search names."""
    prefix = f"{row}." if row else ""
    return " || '\n' || ".join(
        f"coalesce({prefix}{quote(column)}, '')" for column in searched_columns(model)
    )


def sqlite_index_statements(model: type[Model], quote) -> list[str]:
    """The model's two FTS5 tables (trigrams of its text, and its pairs), filled from its
    rows, and the triggers that keep them so."""
    table, key = quote(model._meta.db_table), quote(model._meta.pk.column)
    statements = []
    for name, tokenizer, wrap in (
        (index_table(model), SQLITE_TOKENIZER, "{}"),
        (pair_table(model), "ascii", "search_pairs({})"),
    ):
        index = quote(name)

        def trigger(event: str, body: str, name=name) -> str:
            trigger_name = quote(f"{name}_{event}")
            return f"CREATE TRIGGER {trigger_name} AFTER {event} ON {table} BEGIN {body}; END"

        new = wrap.format(text_document(model, quote, "new"))
        insert = f"INSERT INTO {index}(rowid, document) VALUES (new.{key}, {new})"
        delete = f"DELETE FROM {index} WHERE rowid = old.{key}"
        every = wrap.format(text_document(model, quote, table))
        statements += [
            f"CREATE VIRTUAL TABLE {index} USING fts5(document, tokenize='{tokenizer}')",
            f"INSERT INTO {index}(rowid, document) SELECT {key}, {every} FROM {table}",
            trigger("insert", insert),
            trigger("update", f"{delete}; {insert}"),
            trigger("delete", delete),
        ]
    return statements


# The two-character pieces of a text, lower-cased, none with a space, as search_pairs() in
# Python: IMMUTABLE, so that an index may be built on it.
POSTGRES_PAIRS = r"""
CREATE OR REPLACE FUNCTION search_pairs(text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT piece), '{}')
  FROM (SELECT substr(lower($1), i, 2) AS piece FROM generate_series(1, length($1) - 1) AS i) p
  WHERE piece !~ '\s'
$$"""


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
        cursor.execute(POSTGRES_PAIRS)
        for model in indexed_models():
            table = model._meta.db_table
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {quote(f'{table}_pairs')} ON {quote(table)} "
                f"USING gin (search_pairs({text_document(model, quote)}))"
            )
            for column in searched_columns(model):
                # UPPER(column::text) is what Django's icontains compares on PostgreSQL.
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {quote(f'{table}_{column}_trgm')} "
                    f"ON {quote(table)} USING gin (UPPER({quote(column)}::text) gin_trgm_ops)"
                )
