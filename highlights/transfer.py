"""Move one review between sites: a zip of a natural-key fixture plus the media it refers to.

Natural keys make the import idempotent: importing the same archive twice updates the same rows.
"""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path, PurePosixPath

from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers import json as json_serializer
from django.db import transaction
from django.utils.translation import gettext_noop
from simple_history.utils import get_history_manager_for_model

from .images import MAX_BYTES, ImageRenditionsMixin, rendition_columns
from .models import Award, Figure, Initiative, Keyword, Photo, Review

FIXTURE_NAME = "review.json"
MEDIA_PREFIX = "media/"
# A review's fixture is a few hundred kilobytes; anything far larger is not one of ours.
MAX_FIXTURE_BYTES = 20 * 1024 * 1024
IMPORT_REASON = gettext_noop("Imported from a review archive")


class PreciseJSONSerializer(json_serializer.Serializer):
    """Django's JSON serializer, but keeping times to the microsecond.

    The stock encoder cuts them to milliseconds, so an imported review's updated_at (its public
    dateModified) would differ from the exporting site's.
    """

    def handle_field(self, obj, field) -> None:
        value = field.value_from_object(obj)
        if isinstance(value, datetime):
            self._current[field.name] = value.isoformat()
        else:
            super().handle_field(obj, field)


def review_objects(review: Review) -> list:
    """The review and everything in it, each with the rows its natural key names (its keyword
    and review, and a figure's or photo's initiative) read in the same query."""
    in_keyword = "keyword__review"
    in_initiative = "initiative__keyword__review"
    return [
        review,
        *Keyword.objects.filter(review=review).select_related("review").order_by("position"),
        *Initiative.objects.filter(keyword__review=review)
        .select_related(in_keyword)
        .order_by("pk"),
        *Figure.objects.filter(keyword__review=review)
        .select_related(in_keyword, in_initiative)
        .order_by("pk"),
        *Award.objects.filter(keyword__review=review).select_related(in_keyword).order_by("pk"),
        *Photo.objects.filter(keyword__review=review).select_related(in_keyword).order_by("pk"),
        *Photo.objects.filter(initiative__keyword__review=review)
        .select_related(in_initiative)
        .order_by("pk"),
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
    fixture = PreciseJSONSerializer().serialize(
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


def read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """One member of the archive, refused before reading if it says it is larger than limit."""
    info = archive.getinfo(name)
    if info.file_size > limit:
        raise ValueError(f"{name} is {info.file_size} bytes; the limit is {limit}.")
    with archive.open(info) as member:
        content = member.read(limit + 1)
    if len(content) > limit:
        raise ValueError(f"{name} is larger than {limit} bytes.")
    return content


def safe_media_name(name: str) -> str:
    parts = PurePosixPath(name).parts
    if not name or PurePosixPath(name).is_absolute() or ".." in parts or "\\" in name:
        raise ValueError(f"Refusing to write outside the media folder: {name}")
    return name


def import_review(path: Path) -> int:
    """Load an archive made by export_review; returns how many objects it held.

    Only the image files the fixture refers to are taken from the archive, each at most
    MAX_BYTES; a different file already stored under the same name stops the import. The rows
    are saved, with a history entry each, in one transaction; the files are written only once
    it has committed (and removed again if writing them fails).
    """
    with zipfile.ZipFile(path) as archive, transaction.atomic():
        fixture = read_member(archive, FIXTURE_NAME, MAX_FIXTURE_BYTES).decode("utf-8")
        objects = [
            deserialized.object
            for deserialized in serializers.deserialize("json", fixture)
            if deserialized.save() is None
        ]
        incoming = {}
        for name in media_names(objects):
            content = read_member(archive, MEDIA_PREFIX + safe_media_name(name), MAX_BYTES)
            if default_storage.exists(name):
                with default_storage.open(name) as stored:
                    if stored.read() != content:
                        raise ValueError(f"{name} already exists here with other content.")
                continue
            incoming[name] = content
        record_history(objects)
        transaction.on_commit(lambda: write_media(incoming, objects))
    return len(objects)


def record_history(objects: list) -> None:
    """Loaded rows are raw saves, which history skips: give each its entry here."""
    by_model: dict[type, list] = {}
    for obj in objects:
        by_model.setdefault(type(obj), []).append(obj)
    for model, rows in by_model.items():
        get_history_manager_for_model(model).bulk_history_create(
            rows, update=True, default_change_reason=IMPORT_REASON
        )


def write_media(files: dict[str, bytes], objects: list) -> None:
    written = []
    try:
        for name, content in files.items():
            written.append(default_storage.save(name, ContentFile(content)))
    except OSError:
        for name in written:
            default_storage.delete(name)
        raise
    for obj in objects:
        if isinstance(obj, ImageRenditionsMixin):
            obj.regenerate_renditions()
