"""The trigram and pair indexes under site search: they find every row a full read finds, stay
current however a row is written, are what the database uses, and are optional."""

import logging
import random

import pytest
from django.core.management import call_command
from django.db import connection

from highlights import languages, search_index
from highlights.models import Award, Initiative, Keyword

pytestmark = pytest.mark.usefixtures("review_2023")

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="an SQLite index")
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL index")


def keys(queryset) -> list[int]:
    return sorted(queryset.values_list("pk", flat=True))


def terms_from_the_texts(count: int) -> list[str]:
    """Pieces of the review's own texts, in both languages, some with their case changed, and
    a few that SQL or FTS5 would read as syntax."""
    rng = random.Random(2023)  # noqa: S311 - the same pieces every run
    texts = [
        text
        for model in search_index.indexed_models()
        for row in model.objects.values_list(*languages.columns(model.search_fields))
        for text in row
        if text and len(text) >= 3
    ]
    terms = []
    for text in rng.sample(texts, count):
        start = rng.randrange(len(text) - 2)
        term = text[start : start + rng.randint(2, 8)].strip()
        terms.append(term.swapcase() if rng.random() < 0.3 else term)
    syntax = ['"生境', 'a"b', "50%", "_境_", "生境 OR 花园", "NEAR(a b)", "*", "zzz"]
    return [*terms, *syntax, "生境", "社区", "SE", "5%", "_境", '""', "a b", "镇 "]


def test_the_index_finds_whatever_reading_every_row_finds(monkeypatch):
    terms = terms_from_the_texts(150)
    models = search_index.indexed_models()
    indexed = {
        (model, term): keys(model.objects.matching(term)) for model in models for term in terms
    }
    monkeypatch.setattr(search_index, "narrowed", lambda queryset, term: queryset)
    read = {(model, term): keys(model.objects.matching(term)) for model in models for term in terms}
    assert indexed == read
    assert sum(map(len, read.values())) > len(terms), "the pieces were meant to be found"


def index_finds(model, term: str) -> list[int]:
    """The rows the index alone lets through, before matching() compares."""
    return keys(search_index.narrowed(model.objects.all(), term))


@sqlite_only
def test_sqlite_index_holds_every_row_as_loaded():
    """loaddata saves raw rows; the triggers index them all the same."""
    for model in search_index.indexed_models():
        for index in (search_index.index_table(model), search_index.pair_table(model)):
            with connection.cursor() as cursor:
                table = connection.ops.quote_name(index)
                cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - a model's table
                assert cursor.fetchone()[0] == model.objects.count(), index
    assert index_finds(Initiative, "生境花园") == keys(
        Initiative.objects.filter(name_zh_hans__contains="生境花园")
    )


@sqlite_only
def test_sqlite_index_follows_every_kind_of_write():
    keyword = Keyword.objects.first()
    award = Award.objects.create(
        keyword=keyword, name_zh_hans="独一无二奖", name_en="Unique Prize", recipient="新泾镇"
    )
    assert index_finds(Award, "独一无二") == [award.pk]
    assert index_finds(Award, "UNIQUE PR") == [award.pk]
    assert index_finds(Award, "无二") == [award.pk]

    Award.objects.filter(pk=award.pk).update(name_zh_hans="别具一格奖", name_en="")
    assert index_finds(Award, "独一无二") == []
    assert index_finds(Award, "unique") == []
    assert index_finds(Award, "别具一格") == [award.pk]
    assert index_finds(Award, "无二") == []
    assert index_finds(Award, "一格") == [award.pk]

    award.delete()
    assert index_finds(Award, "别具一格") == []
    assert index_finds(Award, "一格") == []


@sqlite_only
def test_sqlite_search_reads_the_index():
    plan = Initiative.objects.matching("生境花园").explain()
    assert "highlights_initiative_search VIRTUAL TABLE INDEX" in plan


@sqlite_only
def test_two_character_terms_read_the_pair_index():
    """Two characters are a whole word in Chinese: the pair index serves them. One character
    is compared row by row."""
    assert "highlights_initiative_pairs VIRTUAL TABLE INDEX" in (
        Initiative.objects.matching("生境").explain()
    )
    assert "VIRTUAL TABLE" not in Initiative.objects.matching("境").explain()
    assert len(Initiative.objects.matching("生境")) > len(Initiative.objects.matching("生境花园"))


@sqlite_only
def test_indexes_are_dropped_before_migrating_and_rebuilt_after():
    """SQLite will not drop a column a trigger reads, which a migration may do."""

    names = [
        f"{table}{suffix}"
        for model in search_index.indexed_models()
        for table in (search_index.index_table(model), search_index.pair_table(model))
        for suffix in ("", "_insert", "_update", "_delete")
    ]

    def index_objects() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master")
            return sorted(name for (name,) in cursor.fetchall() if name in names)

    assert index_objects() == sorted(names)
    search_index.drop_search_indexes(connection.alias)
    assert index_objects() == []
    call_command("migrate", verbosity=0)
    assert index_objects() == sorted(names)
    assert index_finds(Initiative, "生境花园")


@postgresql_only
def test_postgresql_search_can_use_the_trigram_indexes():
    with connection.cursor() as cursor:
        # The demo's few rows are read fastest in full; the plan shows what larger tables get.
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = Initiative.objects.matching("生境花园").explain()
    assert "highlights_initiative_name_zh_hans_trgm" in plan
    assert "Seq Scan" not in plan
    plan = Initiative.objects.matching("生境").explain()
    assert "highlights_initiative_pairs" in plan
    assert "Seq Scan" not in plan


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        pytest.param(
            "SQLITE_TOKENIZER", "no_such_tokenizer", "no FTS5", marks=sqlite_only, id="sqlite"
        ),
        pytest.param(
            "POSTGRES_EXTENSION",
            "no_such_extension",
            "cannot be created",
            marks=postgresql_only,
            id="postgresql",
        ),
    ],
)
def test_without_trigram_indexes_search_reads_every_row(
    monkeypatch, caplog, setting, value, message
):
    found = keys(Initiative.objects.matching("生境花园"))
    monkeypatch.setattr(search_index, setting, value)
    search_index.sqlite_can_index.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="highlights.search_index"):
            search_index.build_search_indexes(connection.alias)
        assert message in caplog.text
        # The failed attempt leaves the transaction usable, and search finds what it found.
        assert keys(Initiative.objects.matching("生境花园")) == found
        assert found
    finally:
        monkeypatch.undo()
        search_index.sqlite_can_index.cache_clear()
