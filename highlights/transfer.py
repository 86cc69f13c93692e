"""Move one review between sites: a zip of a natural-key fixture plus the media it refers to.

Natural keys make the import idempotent: importing the same archive twice updates the same rows.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from .images import ImageRenditionsMixin, rendition_columns
from .models import Award, Figure, Initiative, Keyword, Photo, Review

FIXTURE_NAME = "review.json"
MEDIA_PREFIX = "media/"


def review_objects(review: Review) -> list:
    keywords = list(Keyword.objects.filter(review=review).order_by("position"))
    initiatives = list(Initiative.objects.filter(keyword__review=review).order_by("pk"))
    return [
        review,
        *keywords,
        *initiatives,
        *Figure.objects.filter(keyword__review=review).order_by("pk"),
        *Award.objects.filter(keyword__review=review).order_by("pk"),
        *Photo.objects.filter(keyword__review=review).order_by("pk"),
        *Photo.objects.filter(initiative__keyword__review=review).order_by("pk"),
    ]


def media_names(objects: list) -> list[str]:
    """The image files the objects refer to."""
    return sorted(
        {
            getattr(obj, field).name
            for obj in objects
            if isinstance(obj, ImageRenditionsMixin)
            for field in obj.image_fields
            if getattr(obj, field)
        }
    )


def export_review(year: int, path: Path) -> int:
    """Write the review of `year` to a zip archive; returns how many objects it holds."""
    review = Review.objects.get(year=year)
    objects = review_objects(review)
    # Rendition lists name files of the exporting site; the importing site makes its own.
    not_exported = rendition_columns()
    fields = [
        field.name
        for model in {type(obj) for obj in objects}
        for field in model._meta.concrete_fields
        if field.name not in not_exported and not field.primary_key
    ]
    fixture = serializers.serialize(
        "json",
        objects,
        indent=2,
        use_natural_foreign_keys=True,
        use_natural_primary_keys=True,
        fields=sorted(set(fields)),
    )
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(FIXTURE_NAME, fixture)
        for name in media_names(objects):
            with default_storage.open(name) as file:
                archive.writestr(MEDIA_PREFIX + name, file.read())
    return len(objects)


def import_review(path: Path) -> int:
    """Load an archive made by export_review; returns how many objects it held."""
    with zipfile.ZipFile(path) as archive:
        fixture = archive.read(FIXTURE_NAME).decode("utf-8")
        media = {
            name.removeprefix(MEDIA_PREFIX): archive.read(name)
            for name in archive.namelist()
            if name.startswith(MEDIA_PREFIX) and not name.endswith("/")
        }
    for name, content in media.items():
        if ".." in Path(name).parts or Path(name).is_absolute():
            raise ValueError(f"Refusing to write outside the media folder: {name}")
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(content))
    with transaction.atomic():
        objects = [
            deserialized.object
            for deserialized in serializers.deserialize("json", fixture)
            if deserialized.save() is None
        ]
    for obj in objects:
        if isinstance(obj, ImageRenditionsMixin):
            obj.regenerate_renditions()
    return len(objects)
