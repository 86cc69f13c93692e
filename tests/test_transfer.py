"""export_review / import_review move a whole review between sites, idempotently."""

import shutil
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from highlights.models import Keyword, Photo, Review
from tests.content import MODELS, snapshot
from tests.images import image_bytes, upload


def test_round_trip_into_an_empty_site(review_2023, tmp_path, settings):
    """Export 2023, empty the site, import: every field in both languages comes back."""
    settings.IMAGE_RENDITION_WIDTHS = (480, 960)  # the 900 px photo then gets 480 and 900
    keyword = review_2023.keywords.get(position=5)
    Photo.objects.create(
        keyword=keyword,
        position=1,
        image=upload(image_bytes((900, 600))),
        alt_text_zh_hans="生境花园",
        alt_text_en="A habitat garden",
    )
    before = snapshot()
    archive = tmp_path / "review-2023.zip"
    call_command("export_review", "2023", output=archive, stdout=StringIO())

    Review.objects.all().delete()
    assert not Keyword.objects.exists()
    shutil.rmtree(settings.MEDIA_ROOT)

    out = StringIO()
    call_command("import_review", str(archive), stdout=out)
    assert "Imported 76 objects" in out.getvalue()
    assert snapshot() == before
    photo = Photo.objects.get()
    assert default_storage.exists(photo.image.name)
    assert {r["width"] for r in photo.image_renditions} == {480, 900}
    assert all(default_storage.exists(r["name"]) for r in photo.image_renditions)
    assert default_storage.exists(Keyword.objects.get(position=1).cover.name)


def test_importing_twice_changes_nothing(review_2023, tmp_path, settings):
    """A second import updates the same rows: same counts, same values."""
    settings.IMAGE_RENDITION_WIDTHS = (480,)  # fewer renditions to make; sizes are not the point
    archive = tmp_path / "review.zip"
    call_command("export_review", "2023", output=archive, stdout=StringIO())
    call_command("import_review", str(archive), stdout=StringIO())
    first = snapshot()
    counts = {model: model.objects.count() for model in MODELS}
    call_command("import_review", str(archive), stdout=StringIO())
    assert snapshot() == first
    assert {model: model.objects.count() for model in MODELS} == counts


def test_export_of_a_missing_year_fails_clearly(db, tmp_path):
    """Asking for a year that does not exist is a clear error."""
    with pytest.raises(CommandError, match="no 1999 review"):
        call_command("export_review", "1999", output=tmp_path / "x.zip")


def test_import_of_a_bad_file_fails_clearly(db, tmp_path):
    """A file that is not an archive is refused with a message."""
    bogus = tmp_path / "bogus.zip"
    bogus.write_text("not a zip")
    with pytest.raises(CommandError, match="Could not import"):
        call_command("import_review", str(bogus))
