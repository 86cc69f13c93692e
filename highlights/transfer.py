"""Move one review between sites: a zip of a natural-key fixture plus the media it refers to.

Natural keys make the import idempotent: importing the same archive twice updates the same rows.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path, PurePosixPath

from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from .images import (
    ACCEPTED_FORMATS,
    MAX_BYTES,
    ImageRenditionsMixin,
    check_upload,
    cleaned_copy,
    rendition_columns,
)
from .models import Award, Figure, Initiative, Keyword, Photo, Review
from .precise_json import PreciseJSONSerializer
from .revision_transfer import ArchiveError, exported_revisions, import_revisions

FIXTURE_NAME = "review.json"
REVISIONS_NAME = "revisions.json"
MEDIA_PREFIX = "media/"
# A review's fixture is a few hundred kilobytes; anything far larger is not one of ours.
MAX_FIXTURE_BYTES = 20 * 1024 * 1024
CONTENT_MODELS = (Review, Keyword, Initiative, Figure, Award, Photo)
SITE_OWN_COLUMNS = ("live_revision", "latest_revision")


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
    # Rendition lists name files of the exporting site, and revision pointers its revisions:
    # the importing site makes its own.
    not_exported = {*rendition_columns(), *SITE_OWN_COLUMNS}
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
    revisions = json.dumps(exported_revisions(objects), ensure_ascii=False)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(FIXTURE_NAME, fixture)
        archive.writestr(REVISIONS_NAME, revisions)
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

    The whole archive is checked before anything is written: only review content (never site
    identity, users or groups), and only image files the rows name, each one a real JPEG, PNG
    or WebP within the upload limits, under its own folder and extension, stored re-encoded as
    a staff upload is. A different file already stored under the same name stops the import.
    Then, in one transaction, the files are written, the rows saved, their renditions made and
    each unit given an "imported" revision if its content changed; if any of it fails (a full
    or read-only disk included), the files written so far are removed and no row is kept.
    (Rows are saved first, inside the transaction, because each one's natural keys are found
    among the rows before it; a refusal rolls them back.)
    """
    written: list[str] = []
    with zipfile.ZipFile(path) as archive, transaction.atomic():
        fixture = read_member(archive, FIXTURE_NAME, MAX_FIXTURE_BYTES).decode("utf-8")
        objects = []
        # Saved one by one, as loaddata does, so each row's natural keys find the rows before
        # it; the transaction undoes them all if anything after is refused.
        for row in serializers.deserialize("json", fixture):
            refuse_other_model(row.object)
            keep_site_own_columns(row.object)
            row.save()
            objects.append(row.object)
        incoming = checked_media(archive, objects)
        if REVISIONS_NAME in archive.namelist():
            history = read_member(archive, REVISIONS_NAME, MAX_FIXTURE_BYTES)
            import_revisions(json.loads(history), objects, CONTENT_MODELS)
        try:
            for name, content in incoming.items():
                written.append(default_storage.save(name, content))
            for obj in objects:
                if isinstance(obj, ImageRenditionsMixin):
                    obj.regenerate_renditions(written)
            record_imports(objects)
        except BaseException:
            for name in written:
                default_storage.delete(name)
            raise
    return len(objects)


def keep_site_own_columns(obj) -> None:
    """A row this site has already keeps its revision pointers; the archive has none."""
    names = [name for name in SITE_OWN_COLUMNS if hasattr(obj, f"{name}_id")]
    if names and obj.pk is not None:
        current = type(obj)._default_manager.filter(pk=obj.pk).values(*names).first() or {}
        for name, value in current.items():
            setattr(obj, f"{name}_id", value)


def refuse_other_model(obj) -> None:
    if type(obj) not in CONTENT_MODELS:
        raise ArchiveError(
            f"The archive holds a {obj._meta.verbose_name} row: only review content "
            "(reviews, keywords, initiatives, figures, awards and photos) is imported."
        )


def checked_media(archive: zipfile.ZipFile, objects: list) -> dict[str, ContentFile]:
    """The image files the rows name and this site lacks, each checked as a staff upload is
    and re-encoded; nothing else in the archive is read."""
    incoming = {}
    for obj in objects:
        if not isinstance(obj, ImageRenditionsMixin):
            continue
        for field_name in obj.image_fields:
            name = getattr(obj, field_name).name
            if not name:
                continue
            upload_to = obj._meta.get_field(field_name).upload_to
            content = read_member(archive, MEDIA_PREFIX + safe_media_name(name), MAX_BYTES)
            if default_storage.exists(name):
                with default_storage.open(name) as stored:
                    if stored.read() != content:
                        raise ArchiveError(f"{name} already exists here with other content.")
                continue
            incoming[name] = checked_image(name, content, upload_to)
    return incoming


def checked_image(name: str, content: bytes, upload_to: str) -> ContentFile:
    upload = ContentFile(content, name=PurePosixPath(name).name)
    try:
        image = check_upload(upload)
    except ValidationError as error:
        raise ArchiveError(f"{name}: {' '.join(error.messages)}") from error
    if not name.startswith(upload_to) or PurePosixPath(name).suffix.lower().lstrip(".") not in {
        *ACCEPTED_FORMATS.values(),
        "jpeg",
    }:
        raise ArchiveError(f"{name} is not where or what an image of this site would be.")
    upload.checked_image = image
    return ContentFile(cleaned_copy(upload).read(), name=name)


def record_imports(objects: list) -> None:
    """Each unit the archive touched gets an "imported" revision, unless its content is what
    its latest revision already holds (importing twice adds nothing)."""
    from .revisions import import_revision

    roots = {(type(obj.unit_root), obj.unit_root.pk): obj.unit_root for obj in objects}
    for root in roots.values():
        import_revision(root)
