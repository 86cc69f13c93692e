"""Model rules: publication, constraints, natural keys and how figures read in each language."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from highlights.models import Award, Figure, Initiative, Keyword, Qualifier, Review
from highlights.publishing import Status


@pytest.fixture
def review(db) -> Review:
    return Review.objects.create(
        year=2030, title_zh_hans="测试", status=Status.PUBLISHED, publish_at=timezone.now()
    )


@pytest.fixture
def keyword(review) -> Keyword:
    return Keyword.objects.create(
        review=review,
        position=1,
        slug="test",
        title_zh_hans="测试关键词",
        status=Status.PUBLISHED,
        publish_at=timezone.now(),
    )


def make_figure(keyword: Keyword, **fields) -> Figure:
    values = {"position": 1, "label_zh_hans": "党员", "value": Decimal(1), "unit_zh_hans": "名"}
    return Figure.objects.create(keyword=keyword, **(values | fields))


def test_published_reviews_exclude_drafts_and_future_dates(empty_site, review):
    """published() keeps only published reviews whose publish date has come."""
    Review.objects.create(year=2031, title_zh_hans="草稿")
    Review.objects.create(
        year=2032,
        title_zh_hans="定时",
        status=Status.PUBLISHED,
        publish_at=timezone.now() + timedelta(days=1),
    )
    assert list(Review.objects.published()) == [review]


def test_published_keywords_need_a_published_review(empty_site, keyword, review):
    """A published keyword of a draft review stays hidden."""
    assert list(Keyword.objects.published()) == [keyword]
    review.status = Status.UNPUBLISHED
    review.save()
    assert not Keyword.objects.published().exists()
    assert not Initiative.objects.published().exists()


def test_children_follow_their_keyword(empty_site, keyword):
    """Initiatives, figures and awards are public exactly when their keyword is."""
    Initiative.objects.create(keyword=keyword, position=1, slug="i", name_zh_hans="举措")
    make_figure(keyword)
    Award.objects.create(
        keyword=keyword, position=1, name_zh_hans="奖", recipient_zh_hans="镇", year=2030
    )
    for model in (Initiative, Figure, Award):
        assert model.objects.published().count() == 1
    keyword.status = Status.UNPUBLISHED
    keyword.save()
    for model in (Initiative, Figure, Award):
        assert model.objects.published().count() == 0


def test_is_published_matches_the_queryset(keyword):
    """is_published agrees with published() for a scheduled keyword."""
    assert keyword.is_published
    keyword.publish_at = timezone.now() + timedelta(hours=1)
    assert not keyword.is_published


@pytest.mark.parametrize(
    ("value", "qualifier", "chinese", "english"),
    [
        ("7000", Qualifier.MORE_THAN, "7000余名党员", "more than 7,000 Party members"),
        ("11.89", Qualifier.EXACT, "11.89名党员", "11.89 Party members"),
        ("19.90", Qualifier.EXACT, "19.9名党员", "19.9 Party members"),
        ("50", Qualifier.ABOUT, "约50名党员", "about 50 Party members"),
        ("1234567", Qualifier.EXACT, "1234567名党员", "1,234,567 Party members"),
    ],
)
def test_figure_phrase_in_both_languages(keyword, value, qualifier, chinese, english):
    """Figures read naturally in Chinese and English, with the exact value."""
    figure = make_figure(
        keyword, value=Decimal(value), qualifier=qualifier, label_en="Party members", unit_en=""
    )
    with translation.override("zh-hans"):
        assert figure.phrase() == chinese
    with translation.override("en"):
        assert figure.phrase() == english


def test_figure_value_keeps_its_decimals(keyword):
    """11.89 is stored and read back as exactly 11.89."""
    make_figure(keyword, value=Decimal("11.89"))
    assert Figure.objects.get(keyword=keyword).value == Decimal("11.89")


def test_english_unit_may_be_empty_but_falls_back_when_missing(keyword):
    """An empty English unit is deliberate; a missing one falls back to Chinese."""
    deliberate = make_figure(keyword, unit_en="")
    missing = make_figure(keyword, position=2, unit_en=None)
    with translation.override("en"):
        assert deliberate.unit == ""
        assert missing.unit == "名"


def test_english_falls_back_to_chinese(keyword):
    """A keyword without English shows its Chinese title in English."""
    with translation.override("en"):
        assert keyword.title == "测试关键词"


@pytest.mark.parametrize(
    "make",
    [
        lambda kw: make_figure(kw, value=Decimal(-1)),
        lambda kw: Keyword.objects.create(
            review=kw.review, position=1, slug="other", title_zh_hans="重复"
        ),
        lambda kw: Keyword.objects.create(
            review=kw.review, position=2, slug="test", title_zh_hans="重复"
        ),
        lambda kw: Keyword.objects.create(
            review=kw.review, position=0, slug="zero", title_zh_hans="零"
        ),
        # In bulk, past save(), which would fill the slug in.
        lambda kw: Keyword.objects.bulk_create(
            [Keyword(review=kw.review, position=3, slug="", title_zh_hans="空")]
        ),
        lambda kw: Initiative.objects.create(keyword=kw, position=0, slug="x", name_zh_hans="零"),
        lambda kw: Review.objects.create(year=1066, title_zh_hans="太早"),
        lambda kw: Award.objects.create(
            keyword=kw, position=1, name_zh_hans="奖", recipient_zh_hans="镇", year=99
        ),
    ],
    ids=[
        "negative-value",
        "duplicate-position",
        "duplicate-slug",
        "zero-position",
        "empty-slug",
        "initiative-zero-position",
        "implausible-year",
        "award-implausible-year",
    ],
)
def test_database_enforces_constraints(keyword, make):
    """The database itself refuses invalid rows, whatever wrote them."""
    with pytest.raises(IntegrityError), transaction.atomic():
        make(keyword)


def test_model_validation_reports_constraint_messages(keyword):
    """full_clean turns a constraint into a readable message for forms."""
    make_figure(keyword)
    figure = Figure(keyword=keyword, position=1, label_zh_hans="x", value=Decimal(-5))
    with pytest.raises(ValidationError) as error, translation.override("en"):
        figure.full_clean()
    messages = " ".join(error.value.messages)
    assert "cannot be negative" in messages
    assert "has this position" in messages


def test_natural_keys_round_trip(review_2023):
    """Every object can be found again by its natural key."""
    for model in (Review, Keyword, Initiative, Figure, Award):
        for obj in model.objects.all():
            assert model.objects.get_by_natural_key(*obj.natural_key()) == obj


def test_urls_and_strings(review_2023):
    """Objects know their public URL and print helpfully."""
    keyword = review_2023.keywords.get(position=1)
    initiative = keyword.initiatives.get(slug="four-ways-of-learning")
    assert review_2023.get_absolute_url() == "/2023/"
    assert keyword.get_absolute_url() == "/2023/keywords/thematic-education/"
    assert initiative.get_absolute_url() == (
        "/2023/keywords/thematic-education/four-ways-of-learning/"
    )
    with translation.override("en"):
        assert initiative.get_absolute_url().startswith("/en/2023/")
    with translation.override("zh-hans"):
        assert str(review_2023) == "2023 · 记忆·新泾"
        assert str(keyword) == "2023 · 1. 主题教育"
        assert str(keyword.figures.get(position=6)) == "7000余名党员参与"
        assert str(keyword.review.keywords.get(position=4).awards.get(position=2)).startswith(
            "刘二居民区"
        )


def test_paragraphs_split_on_blank_lines(keyword):
    """A body with blank lines becomes separate paragraphs."""
    keyword.body = "第一段。\n\n第二段。\r\n\r\n  \n\n第三段。"
    assert keyword.paragraphs() == ["第一段。", "第二段。", "第三段。"]


@pytest.mark.parametrize("status", [Status.UNPUBLISHED, Status.PUBLISHED])
@pytest.mark.parametrize("offset", [timedelta(hours=-1), timedelta(0), timedelta(hours=1)])
def test_python_and_sql_publication_rules_agree(review, status, offset):
    """is_published on a loaded row says exactly what published() selects, at every boundary."""
    now = timezone.now()
    keyword = Keyword.objects.create(
        review=review,
        position=2,
        slug="rule",
        title_zh_hans="规则",
        status=status,
        publish_at=now + offset,
    )
    with time_machine.travel(now, tick=False):
        in_sql = Keyword.objects.published().filter(pk=keyword.pk).exists()
        assert keyword.is_published is in_sql
        assert Review.objects.published().filter(pk=review.pk).exists() is review.is_published


def test_a_figure_belongs_only_to_an_initiative_of_its_own_keyword(keyword):
    other_keyword = Keyword.objects.create(
        review=keyword.review, position=2, slug="other", title_zh_hans="另一个关键词"
    )
    own = Initiative.objects.create(keyword=keyword, position=1, slug="own", name_zh_hans="本")
    other = Initiative.objects.create(
        keyword=other_keyword, position=1, slug="other", name_zh_hans="他"
    )
    figure = make_figure(keyword, initiative=own)
    figure.full_clean()
    figure.initiative = other
    with pytest.raises(ValidationError) as refused:
        figure.full_clean()
    assert set(refused.value.message_dict) == {"initiative"}
