"""Safe image uploads and their responsive renditions, with Pillow.

An upload is checked from its header before any pixel is decoded, then decoded once to prove it is
whole, turned upright from its EXIF orientation and saved again without any metadata (GPS
position, camera serials). Renditions are made once, when the image is saved, at a few widths in
WebP and JPEG, under content-hashed names, and listed on the row so that pages need no extra
query or file-system look-up to build a srcset.
"""

from __future__ import annotations

import hashlib
import json
import logging
import warnings
from io import BytesIO
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .signals import content_changed

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
CLEAN_SAVE_OPTIONS = {
    "JPEG": {"quality": 90, "optimize": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 90},
}
RENDITION_FORMATS = {
    "webp": ("WEBP", {"quality": 82, "method": 6}),
    "jpg": ("JPEG", {"quality": 84, "optimize": True, "progressive": True}),
}
RENDITIONS_DIR = "renditions"

logger = logging.getLogger(__name__)


def rendition_widths() -> tuple[int, ...]:
    return tuple(getattr(settings, "IMAGE_RENDITION_WIDTHS", (480, 960, 1600)))


def open_header(data) -> Image.Image:
    """Open an image reading its header only; Pillow's own bomb warning is ours to judge."""
    data.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        return Image.open(data)


def check_upload(data) -> Image.Image:
    """Refuse anything but a whole JPEG, PNG or WebP within the limits, each with its reason."""
    if data.size > MAX_BYTES:
        raise forms.ValidationError(
            _("The file is %(size)s; images may be at most %(limit)s."),
            code="file_too_large",
            params={"size": filesizeformat(data.size), "limit": filesizeformat(MAX_BYTES)},
        )
    data.seek(0)
    head = data.read(512).lstrip()
    if head[:1] == b"<" or b"<svg" in head.lower():
        raise forms.ValidationError(
            _("SVG and other markup files are not accepted: upload a JPEG, PNG or WebP photo."),
            code="markup",
        )
    try:
        image = open_header(data)
    except Image.DecompressionBombError as error:
        raise too_many_pixels(None) from error
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise forms.ValidationError(
            _("This file is not an image, whatever its name says."), code="not_an_image"
        ) from error
    if image.format not in ACCEPTED_FORMATS:
        raise forms.ValidationError(
            _("%(format)s images are not accepted: upload a JPEG, PNG or WebP."),
            code="format",
            params={"format": image.format},
        )
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise too_many_pixels(image.size)
    try:
        # Only now, with the size known to be sane, decode every pixel to prove the file is whole.
        image.load()
    except (OSError, ValueError, SyntaxError) as error:
        raise forms.ValidationError(
            _("The image is truncated or corrupt; please upload it again."), code="corrupt"
        ) from error
    data.seek(0)
    return image


def too_many_pixels(size: tuple[int, int] | None) -> forms.ValidationError:
    if size is None:
        return forms.ValidationError(
            _("The image has far too many pixels; the limit is 40 megapixels."),
            code="too_many_pixels",
        )
    return forms.ValidationError(
        _("The image is %(width)d × %(height)d pixels; the limit is 40 megapixels."),
        code="too_many_pixels",
        params={"width": size[0], "height": size[1]},
    )


def ensure_storage_writable() -> None:
    """Refuse an upload as a form error, not a 500 after the rows are saved, when the media
    storage cannot take files (a read-only or missing MEDIA_ROOT): the editor keeps the form."""
    try:
        probe = default_storage.save(f"{RENDITIONS_DIR}/.write-probe", ContentFile(b""))
        default_storage.delete(probe)
    except OSError as error:
        logger.error("Media storage is not writable: %r", error)
        raise forms.ValidationError(
            _(
                "The image cannot be stored right now: the server's media folder is not "
                "writable. Your other changes are still in the form; please tell the site's "
                "operator."
            ),
            code="storage_unavailable",
        ) from error


class SafeImageFormField(forms.ImageField):
    default_error_messages = {
        "invalid_image": _("This file is not an image, whatever its name says."),
    }

    def to_python(self, data):
        if data in self.empty_values:
            return None
        image = check_upload(data)
        ensure_storage_writable()
        data.image = image
        # Saving the model reuses this decoded image instead of decoding the upload again.
        data.checked_image = image
        data.content_type = Image.MIME.get(image.format)
        return data


class SafeImageField(models.ImageField):
    """An ImageField whose uploads go through check_upload() and are cleaned on save."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": SafeImageFormField, **kwargs})


def cleaned_copy(upload) -> ContentFile:
    """The upload turned upright and saved again with no metadata at all."""
    image = getattr(upload, "checked_image", None) or check_upload(upload)
    image_format = image.format
    upright = ImageOps.exif_transpose(image)
    # Dropping the info dict leaves nothing to write back: no EXIF, XMP, ICC or text chunks.
    upright.info = {}
    if image_format == "JPEG" and upright.mode not in {"RGB", "L"}:
        upright = upright.convert("RGB")
    output = BytesIO()
    upright.save(output, format=image_format, **CLEAN_SAVE_OPTIONS[image_format])
    stem = PurePosixPath(upload.name).stem or "image"
    return ContentFile(output.getvalue(), name=f"{stem}.{ACCEPTED_FORMATS[image_format]}")


def make_renditions(field_file, written: list[str]) -> list[dict]:
    """Write the renditions of a stored image and describe them: width, height, format, name.
    Each file it writes is added to `written`, for the caller to remove should a later write
    fail."""
    with field_file.open("rb") as source:
        content = source.read()
    digest = hashlib.sha256(content).hexdigest()[:12]
    stem = PurePosixPath(field_file.name).stem
    image = Image.open(BytesIO(content))
    image.load()
    widths = sorted({min(width, image.width) for width in rendition_widths()})
    renditions = []
    for width in widths:
        height = round(image.height * width / image.width)
        resized = None
        for extension, (image_format, options) in RENDITION_FORMATS.items():
            name = f"{RENDITIONS_DIR}/{stem}-{digest}-{width}.{extension}"
            if not default_storage.exists(name):
                # Resized only for a file still to write: for one already written (the same
                # source, e.g. after a size was added), resizing was nearly all the work.
                if resized is None:
                    resized = (
                        image
                        if width == image.width
                        else image.resize((width, height), Image.Resampling.LANCZOS)
                    )
                output = BytesIO()
                flat = flatten(resized) if image_format == "JPEG" else resized
                flat.save(output, format=image_format, **options)
                written.append(default_storage.save(name, ContentFile(output.getvalue())))
            renditions.append({"width": width, "height": height, "format": extension, "name": name})
    return renditions


def flatten(image: Image.Image) -> Image.Image:
    """JPEG has no transparency: lay the image on white."""
    if image.mode in {"RGB", "L"}:
        return image
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, "white")
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


class ImageRenditionsMixin(models.Model):
    """Keeps each image field's renditions (in a JSON field beside it) in step with the image.

    `image_fields` maps an image field to the JSON field that lists its renditions. Replaced
    or deleted images stay in storage: revisions may still refer to them, and
    `manage.py clean_media` removes the files nothing refers to.
    """

    image_fields: dict[str, str] = {}

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        stored = getattr(self, "_stored_images", {})
        changed = []
        for field, renditions in self.image_fields.items():
            file = getattr(self, field)
            old_name = stored.get(field, "")
            if file and not getattr(file, "_committed", True):
                setattr(self, field, cleaned_copy(file.file))
                changed.append(field)
            elif file.name == old_name:
                continue
            if not file:
                setattr(self, renditions, [])
        written: list[str] = []
        try:
            super().save(*args, **kwargs)
            for field in changed:
                written.append(getattr(self, field).name)
                renditions = make_renditions(getattr(self, field), written)
                self._store_renditions(self.image_fields[field], renditions)
        except OSError:
            # A full or read-only disk: leave no file behind for rows the caller rolls back.
            for name in written:
                default_storage.delete(name)
            raise
        self._stored_images = self._image_state()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_images = instance._image_state()
        return instance

    def regenerate_renditions(self, written: list[str] | None = None) -> None:
        """Rebuild every rendition, e.g. after the size set changed (clean_media removes the
        old ones once nothing refers to them); the files written are added to `written`."""
        for field, renditions in self.image_fields.items():
            file = getattr(self, field)
            fresh = make_renditions(file, [] if written is None else written) if file else []
            self._store_renditions(renditions, fresh)

    def ensure_renditions(self) -> None:
        """Make the renditions an image lacks, e.g. one brought back by a restore after its
        renditions were cleaned away, so pages never serve the full-size original."""
        for field, renditions in self.image_fields.items():
            file = getattr(self, field)
            if not file or not default_storage.exists(file.name):
                continue  # nothing to make them from (a site loaded without its media)
            listed = getattr(self, renditions) or []
            if not listed or not all(default_storage.exists(r["name"]) for r in listed):
                self._store_renditions(renditions, make_renditions(file, []))

    def _image_state(self) -> dict[str, str]:
        """Each loaded image field's file name, to tell later whether it changed."""
        return {
            field: getattr(self, field).name
            for field in self.image_fields
            if field in self.__dict__
        }

    def _store_renditions(self, renditions: str, fresh: list[dict]) -> None:
        # A plain update (no save, no history entry), so the page cache is told separately.
        setattr(self, renditions, fresh)
        type(self)._base_manager.filter(pk=self.pk).update(**{renditions: fresh})
        content_changed.send(sender=type(self), instance=self)


def with_image(
    name: str, verbose_name, upload_to: str, help_text, blank: bool = True
) -> type[ImageRenditionsMixin]:
    """An abstract base adding one image field and its columns: `name`, `name_width`,
    `name_height` and `name_renditions`, kept in step by ImageRenditionsMixin."""

    class Meta:
        abstract = True

    columns = {
        "__module__": __name__,
        "Meta": Meta,
        name: SafeImageField(
            verbose_name,
            upload_to=upload_to,
            blank=blank,
            width_field=f"{name}_width",
            height_field=f"{name}_height",
            help_text=help_text,
        ),
        f"{name}_width": models.PositiveIntegerField(null=True, blank=True, editable=False),
        f"{name}_height": models.PositiveIntegerField(null=True, blank=True, editable=False),
        f"{name}_renditions": models.JSONField(default=list, blank=True, editable=False),
        "image_fields": {name: f"{name}_renditions"},
    }
    return type(f"With{name.title()}", (ImageRenditionsMixin,), columns)


def image_models() -> list[type[ImageRenditionsMixin]]:
    """Every model of the app that holds images."""
    from django.apps import apps

    return [
        model
        for model in apps.get_app_config("highlights").get_models()
        if issubclass(model, ImageRenditionsMixin)
    ]


def rendition_columns() -> set[str]:
    """The JSON columns listing renditions: files of this site, never moved between sites."""
    return {column for model in image_models() for column in model.image_fields.values()}


def objects_with_images(missing_renditions: bool = False) -> list[ImageRenditionsMixin]:
    """Every row with an image, or only those whose renditions have not been made yet."""
    rows = []
    for model in image_models():
        for field, renditions in model.image_fields.items():
            found = model._default_manager.exclude(**{field: ""})
            if missing_renditions:
                found = found.filter(**{renditions: []})
            rows += found
    return rows


def referenced_files() -> set[str]:
    """Every stored file a live row, a historical version or a revision refers to."""
    from django.apps import apps

    from .models import Revision

    renditions = rendition_columns()
    columns = {
        model: file_columns(model, renditions)
        for model in apps.get_app_config("highlights").get_models()
    }
    names: set[str] = set()

    def add(row: dict, model: type[models.Model]) -> None:
        for column in columns[model]:
            value = row.get(column)
            if column in renditions:
                names.update(rendition["name"] for rendition in value or [])
            elif value:
                names.add(value)

    for model, model_columns in columns.items():
        if model_columns:
            for row in model._default_manager.values(*model_columns):
                add(row, model)
    for data in Revision.objects.values_list("data", flat=True).iterator():
        for row in json.loads(data):
            add(row["fields"], apps.get_model(row["model"]))
    return names


def file_columns(model: type[models.Model], renditions: set[str]) -> list[str]:
    """A model's columns that name stored files: file fields and rendition lists (a
    historical model stores its file fields as text, so its original model tells)."""
    original = getattr(model, "instance_type", model)
    return [
        field.name
        for field in original._meta.fields
        if isinstance(field, models.FileField) or field.name in renditions
    ]


def stored_files() -> set[str]:
    """Every file in the folders uploads and renditions are written to."""
    folders = {RENDITIONS_DIR} | {
        field.upload_to.rstrip("/")
        for model in image_models()
        for field in model._meta.fields
        if isinstance(field, models.FileField)
    }
    found = set()
    pending = [folder for folder in folders if default_storage.exists(folder)]
    while pending:
        folder = pending.pop()
        subfolders, files = default_storage.listdir(folder)
        found |= {f"{folder}/{name}" for name in files}
        pending += [f"{folder}/{name}" for name in subfolders]
    return found
