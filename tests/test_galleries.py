"""Photo galleries on news stories and places: ordered, captioned, with alt text, one page
each, and edited through the editing core like a keyword's gallery."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import translation

from highlights.models import News, Photo, Place
from tests.admin_forms import admin_url, change_form_data, publish_pending
from tests.images import image_bytes, upload


def photo(position: int, **gallery) -> Photo:
    return Photo.objects.create(
        image=upload(image_bytes(), f"p{position}.jpg"),
        alt_text=f"照片{position}的内容",
        caption=f"说明{position}",
        position=position,
        **gallery,
    )


@pytest.fixture
def story(review_2023) -> News:
    return News.objects.published().get(slug="first-happy-living-home-festival")


@pytest.fixture
def place(review_2023) -> Place:
    return Place.objects.published().get(slug="xianxia-road-centre")


def test_a_story_shows_its_photos_in_order_with_captions(client, story):
    photo(2, news=story)
    photo(1, news=story)
    page = client.get(story.get_absolute_url()).text
    assert page.index('alt="照片1的内容"') < page.index('alt="照片2的内容"')
    assert "<figcaption>说明1</figcaption>" in page


def test_a_place_shows_its_photos(client, place):
    photo(1, place=place)
    page = client.get(place.get_absolute_url()).text
    assert 'alt="照片1的内容"' in page
    assert 'id="photos-heading"' in page


def test_a_photo_hangs_on_exactly_one_page(story, place):
    both = photo(1, news=story)
    both.place = place
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="one keyword, initiative, news story or place"),
    ):
        both.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        both.save()


def test_positions_are_per_gallery(story, place):
    photo(1, news=story)
    photo(1, place=place)  # another gallery: the same position is free
    with pytest.raises(IntegrityError), transaction.atomic():
        photo(1, news=story)


def test_a_galleries_photo_is_public_with_its_page(story):
    first = photo(1, news=story)
    assert Photo.objects.published().filter(pk=first.pk).exists()
    assert not Photo.objects.for_review(story.pk).filter(pk=first.pk).exists()
    News.objects.filter(pk=story.pk).update(status="draft")
    assert not Photo.objects.published().filter(pk=first.pk).exists()


def test_an_editors_new_photo_waits_for_a_publisher(story, editor_client, publisher_client):
    """Added to a published story by an editor, a photo is a pending change of the story's
    unit: residents see it once a publisher publishes the unit."""
    url = admin_url("news_change", story.pk)
    data = change_form_data(editor_client, url)
    data |= {
        "photos-TOTAL_FORMS": "1",
        "photos-0-position": "1",
        "photos-0-image": upload(image_bytes(), "new.jpg"),
        "photos-0-alt_text_zh_hans": "新照片",
        "photos-0-caption_zh_hans": "节日现场",
    }
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert "新照片" not in Client().get(story.get_absolute_url()).text
    publish_pending(publisher_client, story)
    assert 'alt="新照片"' in Client().get(story.get_absolute_url()).text
    assert story.photos.get().caption_zh_hans == "节日现场"
