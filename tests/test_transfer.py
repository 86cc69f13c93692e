"""export_review / import_review move a whole review between sites, idempotently."""

import json
import shutil
import zipfile
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from highlights.models import Initiative, Keyword, Photo, Review, Revision, SiteIdentity
from highlights.publishing import unit_models
from tests.admin_forms import admin_url, change_form_data, keyword_form_url, publish_pending
from tests.content import MODELS, snapshot
from tests.images import fill_after_first_file, image_bytes, upload


def test_round_trip_into_an_empty_site(
    review_2023, tmp_path, settings, django_capture_on_commit_callbacks
):
    """Export 2023, empty the site, import: every field in both languages comes back."""
    settings.IMAGE_RENDITION_WIDTHS = (480, 960)  # the 900 px photo then gets 480 and 900
    keyword = review_2023.keywords.get(position=5)
    # A real edit time has microseconds; the public dateModified must survive the move exactly.
    Keyword.objects.filter(pk=keyword.pk).update(
        updated_at=datetime(2024, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)
    )
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
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_review", str(archive), stdout=out)
    assert "Imported 73 objects" in out.getvalue()
    assert snapshot() == before
    photo = Photo.objects.get()
    assert default_storage.exists(photo.image.name)
    assert {r["width"] for r in photo.image_renditions} == {480, 900}
    assert all(default_storage.exists(r["name"]) for r in photo.image_renditions)
    assert default_storage.exists(Keyword.objects.get(position=1).cover.name)


def test_export_reads_each_kind_of_row_once(review_2023, tmp_path, django_assert_num_queries):
    """The review, then one query each for keywords, initiatives, figures, awards and the two
    galleries' photos, and one per unit type for their revisions: natural keys are built from
    rows already read, not one query a row."""
    # Content types are read once per process, whichever test asks first: not counted here.
    ContentType.objects.get_for_models(*unit_models())
    with django_assert_num_queries(9):
        call_command("export_review", "2023", output=tmp_path / "a.zip", stdout=StringIO())


def test_importing_twice_changes_nothing(
    review_2023, tmp_path, settings, django_capture_on_commit_callbacks
):
    """A second import updates the same rows: same counts, same values."""
    settings.IMAGE_RENDITION_WIDTHS = (480,)  # fewer renditions to make; sizes are not the point
    archive = tmp_path / "review.zip"
    call_command("export_review", "2023", output=archive, stdout=StringIO())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_review", str(archive), stdout=StringIO())
    first = snapshot()
    counts = {model: model.objects.count() for model in MODELS}
    with django_capture_on_commit_callbacks(execute=True):
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


def rewritten(archive: Path, replace: dict[str, bytes | None]) -> Path:
    """A copy of the archive with members replaced, added (bytes) or removed (None)."""
    copy = archive.with_name(f"changed-{archive.name}")
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(copy, "w") as target:
        for name in source.namelist():
            if name not in replace:
                target.writestr(name, source.read(name))
        for name, content in replace.items():
            if content is not None:
                target.writestr(name, content)
    return copy


@pytest.fixture
def archive(review_2023, tmp_path) -> Path:
    path = tmp_path / "review.zip"
    call_command("export_review", "2023", output=path, stdout=StringIO())
    return path


def test_import_writes_only_the_files_the_fixture_names(
    archive, settings, django_capture_on_commit_callbacks
):
    """A page or script slipped into the archive is never written to the media folder."""
    shutil.rmtree(settings.MEDIA_ROOT)
    planted = rewritten(
        archive, {"media/evil.html": b"<script>alert(1)</script>", "media/covers/x.js": b"1"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_review", str(planted), stdout=StringIO())
    assert not default_storage.exists("evil.html")
    assert not default_storage.exists("covers/x.js")
    assert default_storage.exists(Keyword.objects.get(position=1).cover.name)


def test_import_refuses_a_different_file_under_a_taken_name(archive):
    """An archive whose cover differs from the stored file of that name changes nothing."""
    name = Keyword.objects.get(position=1).cover.name
    with default_storage.open(name) as stored:
        original = stored.read()
    clash = rewritten(archive, {f"media/{name}": image_bytes((40, 40))})
    Keyword.objects.filter(position=1).update(title_en="Before the import")
    with pytest.raises(CommandError, match="already exists here with other content"):
        call_command("import_review", str(clash), stdout=StringIO())
    assert Keyword.objects.get(position=1).title_en == "Before the import"
    with default_storage.open(name) as stored:
        assert stored.read() == original


def test_import_refuses_oversized_members(archive, monkeypatch):
    """A member over the size limit is refused before it is read into memory."""
    monkeypatch.setattr("highlights.transfer.MAX_FIXTURE_BYTES", 1000)
    with pytest.raises(CommandError, match="the limit is 1000"):
        call_command("import_review", str(archive), stdout=StringIO())


def test_a_failed_import_leaves_no_files(archive, settings):
    """If the rows cannot be saved, no image is written either."""
    shutil.rmtree(settings.MEDIA_ROOT)
    with zipfile.ZipFile(archive) as source:
        fixture = source.read("review.json").decode()
    broken = rewritten(archive, {"review.json": fixture.replace('"year": 2023', '"year": 1066')})
    with pytest.raises(CommandError):
        call_command("import_review", str(broken), stdout=StringIO())
    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).rglob("*.*"))


def test_import_records_one_revision_and_importing_again_adds_none(
    archive, django_capture_on_commit_callbacks
):
    """Each unit the archive touched gets an "imported" revision; a second import of the same
    archive changes nothing, history included."""
    call_command("import_review", str(archive), stdout=StringIO())
    keyword = Keyword.objects.get(position=1)
    assert keyword.latest_revision.kind == Revision.Kind.IMPORTED
    count = Revision.objects.count()
    call_command("import_review", str(archive), stdout=StringIO())
    assert Revision.objects.count() == count


def test_a_review_staff_edited_moves_to_a_fresh_site(
    publisher_client, review_2023, tmp_path, settings
):
    """Revisions name their authors; the rows do not, so an archive made after staff edits
    loads on a site where those staff do not exist."""
    settings.IMAGE_RENDITION_WIDTHS = (480,)
    keyword = review_2023.keywords.get(position=2)
    url = keyword_form_url(keyword.pk)
    data = change_form_data(publisher_client, url) | {"summary_en": "Edited", "_publish": "1"}
    assert publisher_client.post(url, data).status_code == 302
    path = tmp_path / "edited.zip"
    call_command("export_review", "2023", output=path, stdout=StringIO())
    Review.objects.all().delete()
    User.objects.all().delete()
    call_command("import_review", str(path), stdout=StringIO())
    assert Keyword.objects.get(position=2).summary_en == "Edited"


def planted_cover(archive: Path, name: str, content: bytes) -> Path:
    """The archive with keyword 1's cover renamed to `name`, holding `content`."""
    with zipfile.ZipFile(archive) as source:
        fixture = json.loads(source.read("review.json"))
    for row in fixture:
        if row["model"] == "highlights.keyword" and row["fields"]["position"] == 1:
            row["fields"]["cover"] = name
    return rewritten(
        archive,
        {"review.json": json.dumps(fixture).encode(), f"media/{name}": content},
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("covers/keywords/evil.html", b"<html><script>alert(1)</script></html>"),
        ("covers/keywords/evil.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
        ("covers/keywords/evil.jpg", b"<script>alert(1)</script>"),
        ("covers/keywords/page.html", image_bytes((40, 40))),
        ("evil/outside.jpg", image_bytes((40, 40))),
    ],
)
def test_a_crafted_image_is_refused_and_nothing_is_written(archive, settings, name, content):
    """Markup as an image, an image under another extension or folder: refused before any
    row is kept or any file written."""
    crafted = planted_cover(archive, name, content)
    Keyword.objects.filter(position=1).update(title_en="Before the import")
    with pytest.raises(CommandError, match="Could not import"):
        call_command("import_review", str(crafted), stdout=StringIO())
    assert Keyword.objects.get(position=1).title_en == "Before the import"
    assert not default_storage.exists(name)


def test_a_symlink_in_the_archive_is_not_followed(archive):
    """A member that is a symbolic link (to /etc/passwd) is read as its own bytes, which are no
    image: refused."""
    planted = planted_cover(archive, "covers/keywords/link.jpg", b"")
    crafted = rewritten(planted, {"media/covers/keywords/link.jpg": None})
    with zipfile.ZipFile(crafted, "a") as target:
        info = zipfile.ZipInfo("media/covers/keywords/link.jpg")
        info.external_attr = 0o120777 << 16
        target.writestr(info, "/etc/passwd")
    with pytest.raises(CommandError, match="Could not import"):
        call_command("import_review", str(crafted), stdout=StringIO())
    assert not default_storage.exists("covers/keywords/link.jpg")


def test_site_identity_in_an_archive_is_refused(archive):
    """Only review content is imported: a site identity row would replace the town's sponsor."""
    SiteIdentity.objects.update_or_create(pk=1, defaults={"sponsor_zh_hans": "新泾镇人民政府"})
    with zipfile.ZipFile(archive) as source:
        fixture = json.loads(source.read("review.json"))
    fixture.append({"model": "highlights.siteidentity", "pk": 1, "fields": {"sponsor": "冒名者"}})
    crafted = rewritten(archive, {"review.json": json.dumps(fixture).encode()})
    with pytest.raises(CommandError, match="only review content"):
        call_command("import_review", str(crafted), stdout=StringIO())
    assert SiteIdentity.objects.get().sponsor_zh_hans == "新泾镇人民政府"


def test_a_full_disk_during_an_import_leaves_no_rows_and_no_files(archive, settings, monkeypatch):
    """The disk fills while the images are written: no row kept, no file (whole or partial)
    left behind."""
    shutil.rmtree(settings.MEDIA_ROOT)
    Keyword.objects.filter(position=1).update(title_en="Before the import")
    fill_after_first_file(monkeypatch)
    with pytest.raises(CommandError, match="No space left"):
        call_command("import_review", str(archive), stdout=StringIO())
    assert Keyword.objects.get(position=1).title_en == "Before the import"
    assert not any(path.is_file() for path in Path(settings.MEDIA_ROOT).rglob("*"))


def test_history_moves_with_the_review_and_restores_on_the_new_site(
    publisher_client, review_2023, tmp_path, settings
):
    """Revisions travel with their authors' usernames (matched where the user exists, empty
    where not) and this site's ids; an initiative deleted before the export comes back on the
    new site when its older revision is restored, without touching any other row."""
    settings.IMAGE_RENDITION_WIDTHS = (480,)
    keyword = review_2023.keywords.get(position=2)
    deleted = keyword.initiatives.order_by("position").first()
    url = keyword_form_url(keyword.pk)
    data = change_form_data(publisher_client, url) | {
        "summary_en": "Edited before the move",
        "initiatives-0-DELETE": "on",
        "_publish": "1",
    }
    assert publisher_client.post(url, data).status_code == 302
    kinds = list(Revision.objects.of(keyword).order_by("pk").values_list("kind", flat=True))
    path = tmp_path / "history.zip"
    call_command("export_review", "2023", output=path, stdout=StringIO())

    Review.objects.all().delete()
    Revision.objects.all().delete()
    User.objects.exclude(username="publisher").delete()
    call_command("import_review", str(path), stdout=StringIO())
    moved = Keyword.objects.get(position=2)
    history = list(Revision.objects.of(moved).order_by("pk"))
    assert [revision.kind for revision in history] == [*kinds, "imported"]
    assert history[1].user.username == "publisher"
    assert not Initiative.objects.filter(slug=deleted.slug, keyword=moved).exists()

    first = history[0]
    assert (
        publisher_client.post(admin_url("keyword_restore", moved.pk, first.pk)).status_code == 302
    )
    publish_pending(publisher_client, moved)
    restored = Initiative.objects.get(slug=deleted.slug, keyword=moved)
    assert restored.name_zh_hans == deleted.name_zh_hans
    assert Keyword.objects.get(pk=moved.pk).summary_en != "Edited before the move"

    count = Revision.objects.count()
    call_command("import_review", str(path), stdout=StringIO())
    assert Revision.objects.count() == count + 1  # the archive's content, now older than the site's


@pytest.mark.parametrize(
    "planted_row",
    [
        {"model": "auth.user", "pk": 99, "fields": {"username": "intruder", "is_superuser": True}},
        {"model": "highlights.siteidentity", "pk": 1, "fields": {"sponsor": "冒名者"}},
        {"model": "highlights.keyword", "pk": 1, "fields": {"no_such_field": 1}},
    ],
)
def test_a_crafted_revision_is_refused(archive, planted_row):
    """A revision whose rows are not review content (a user, the site identity) or have fields
    this site lacks would be written by a later restore: the whole import is refused."""
    with zipfile.ZipFile(archive) as source:
        history = json.loads(source.read("revisions.json"))
    history["revisions"].append(
        {
            "unit": history["revisions"][0]["unit"] if history["revisions"] else "x:1",
            "id": 10_000,
            "kind": "saved",
            "created_at": "2024-01-01T00:00:00+00:00",
            "author": None,
            "based_on": None,
            "restored_from": None,
            "data": [planted_row],
        }
    )
    crafted = rewritten(archive, {"revisions.json": json.dumps(history).encode()})
    count = Revision.objects.count()
    with pytest.raises(CommandError, match="Could not import"):
        call_command("import_review", str(crafted), stdout=StringIO())
    assert Revision.objects.count() == count
    assert not User.objects.filter(username="intruder").exists()
