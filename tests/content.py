"""Helpers that build extra content for tests."""

from datetime import time, timedelta

from django.utils import timezone

from highlights.images import rendition_columns
from highlights.models import (
    Award,
    Figure,
    Initiative,
    Keyword,
    News,
    Notice,
    OpeningPeriod,
    Photo,
    Place,
    Review,
    ServiceGuide,
)
from highlights.publishing import Status

# A service guide with every element a published guide needs.
COMPLETE_GUIDE = {
    "title_zh_hans": "社区食堂用餐登记",
    "basis_zh_hans": "依据",
    "conditions_zh_hans": "条件",
    "materials_zh_hans": "身份证",
    "location_zh_hans": "仙霞路",
    "hours_zh_hans": "工作日",
    "phone": "021-12345678",
}


def duplicate(obj, **changes):
    """An unsaved copy of a row (every column but the primary key), with some values changed."""
    model = type(obj)
    values = {
        field.attname: getattr(obj, field.attname)
        for field in model._meta.concrete_fields
        if not field.primary_key
    }
    return model(**(values | changes))


def multiply_content(review: Review, times: int) -> None:
    """Make every keyword of the review, with its initiatives, figures and awards, `times` over.

    Rows are inserted in bulk: no signals, so no history or cache work for test data.
    """
    originals = list(review.keywords.prefetch_related("initiatives", "figures", "awards"))
    count = len(originals)
    clones = [
        (
            original,
            duplicate(
                original,
                position=original.position + count * copy_number,
                slug=f"{original.slug}-{copy_number}",
            ),
        )
        for copy_number in range(1, times)
        for original in originals
    ]
    Keyword.objects.bulk_create([clone for _original, clone in clones])
    initiatives = {
        (clone.pk, initiative.pk): duplicate(initiative, keyword_id=clone.pk)
        for original, clone in clones
        for initiative in original.initiatives.all()
    }
    Initiative.objects.bulk_create(initiatives.values())
    Figure.objects.bulk_create(
        duplicate(
            figure,
            keyword_id=clone.pk,
            initiative_id=(
                initiatives[(clone.pk, figure.initiative_id)].pk if figure.initiative_id else None
            ),
        )
        for original, clone in clones
        for figure in original.figures.all()
    )
    Award.objects.bulk_create(
        duplicate(award, keyword_id=clone.pk)
        for original, clone in clones
        for award in original.awards.all()
    )
    # The originals' own keywords get `times` as many figures too.
    Figure.objects.bulk_create(
        duplicate(figure, position=figure.position + 100 * extra)
        for original in originals
        for figure in original.figures.all()
        for extra in range(1, times)
    )
    multiply_columns(times)


def multiply_columns(times: int) -> None:
    """The news and places `times` over: stories a month apart going back, each linked as its
    original is and with a photo; places each with weekday hours and a photo; and, the demo
    having none, five notices a month (one still current) and `times` service guides."""
    stories = list(News.objects.prefetch_related("keywords", "initiatives", "places"))
    clones = News.objects.bulk_create(
        duplicate(
            story,
            slug=f"{story.slug}-{copy_number}",
            publish_at=story.publish_at - timedelta(days=30 * copy_number),
        )
        for copy_number in range(1, times)
        for story in stories
    )
    originals = stories * (times - 1)
    for field in ("keywords", "initiatives", "places"):
        through = getattr(News, field).through
        target = getattr(News, field).field.m2m_reverse_field_name()
        through.objects.bulk_create(
            through(news_id=clone.pk, **{f"{target}_id": linked.pk})
            for original, clone in zip(originals, clones, strict=True)
            for linked in getattr(original, field).all()
        )
    places = list(Place.objects.all())
    Place.objects.bulk_create(
        duplicate(place, slug=f"{place.slug}-{copy_number}")
        for copy_number in range(1, times)
        for place in places
    )
    OpeningPeriod.objects.bulk_create(
        OpeningPeriod(place=place, weekday=weekday, opens=time(9), closes=time(17))
        for place in Place.objects.all()
        for weekday in range(5)
    )
    # A gallery photo each, named by one path: the rows are what a page reads, and a page
    # shows a photo without its file being read.
    Photo.objects.bulk_create(
        Photo(
            image="photos/scale.jpg",
            image_width=64,
            image_height=32,
            alt_text="照片",
            position=1,
            **{gallery: page},
        )
        for gallery, pages in (("news", News.objects.all()), ("place", Place.objects.all()))
        for page in pages
    )
    newest = timezone.now()
    Notice.objects.bulk_create(
        Notice(
            title=f"通知 {month}-{number}",
            slug=f"notice-{month}-{number}",
            issuer="新泾镇",
            status=Status.PUBLISHED,
            publish_at=newest - timedelta(days=30 * month + number),
            valid_until=None if number == 0 else (newest - timedelta(days=30 * month)).date(),
        )
        for month in range(times)
        for number in range(5)
    )
    ServiceGuide.objects.bulk_create(
        ServiceGuide(slug=f"guide-{number}", status=Status.PUBLISHED, **COMPLETE_GUIDE)
        for number in range(times)
    )


MODELS = [Review, Keyword, Initiative, Figure, Award, Photo]


def snapshot() -> dict:
    """Every field of every row, keyed by natural key, pks, rendition lists and revision
    pointers (each site's own) aside."""
    ignored = {
        "id",
        "review",
        "keyword",
        "initiative",
        "live_revision",
        "latest_revision",
        *rendition_columns(),
    }
    state = {}
    for model in MODELS:
        for obj in model.objects.all():
            fields = {
                field.attname: getattr(obj, field.attname)
                for field in model._meta.concrete_fields
                if field.name not in ignored
            }
            state[(model.__name__, obj.natural_key())] = fields
    return state


def fill_keyword(keyword: Keyword, rows: int) -> None:
    """Give a keyword `rows` initiatives, figures and awards each (in bulk, no history)."""
    Initiative.objects.bulk_create(
        Initiative(
            keyword=keyword,
            position=1000 + n,
            slug=f"bulk-{n}",
            name_zh_hans=f"举措{n}",
            name_en=f"Initiative {n}",
            description_zh_hans="说明" * 20,
        )
        for n in range(rows)
    )
    Figure.objects.bulk_create(
        Figure(keyword=keyword, position=1000 + n, label_zh_hans=f"指标{n}", value=n)
        for n in range(rows)
    )
    Award.objects.bulk_create(
        Award(
            keyword=keyword, position=1000 + n, name_zh_hans=f"奖项{n}", recipient_zh_hans="新泾镇"
        )
        for n in range(rows)
    )
