"""Uploads: bad files refused with clear reasons; good ones upright, stripped and rendered once."""

from io import BytesIO, StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.forms import ValidationError
from django.utils import translation
from PIL import Image

from highlights.images import SafeImageFormField, stored_files
from highlights.models import Keyword, Photo
from tests.admin_forms import admin_url, change_form_data
from tests.images import fill_after, image_bytes, png_claiming, sideways_jpeg_with_gps, upload


def add_photo(
    keyword: Keyword, content: bytes, position: int = 1, name: str = "photo.jpg"
) -> Photo:
    return Photo.objects.create(
        keyword=keyword, position=position, image=upload(content, name), alt_text_zh_hans="照片"
    )


def stored(name: str) -> Image.Image:
    with default_storage.open(name) as file:
        image = Image.open(BytesIO(file.read()))
        image.load()
        return image


def half(content: bytes) -> bytes:
    return content[: len(content) // 2]


BAD_UPLOADS = [
    ("text-named-jpg", lambda: upload(b"just some words, no pixels", "photo.jpg"), "not an image"),
    (
        "truncated-jpeg",
        lambda: upload(half(image_bytes((400, 300))), "cut.jpg"),
        "truncated or corrupt",
    ),
    (
        "png-bomb-header",
        lambda: upload(png_claiming(100_000, 100_000), "bomb.png", "image/png"),
        "40 megapixels",
    ),
    (
        "too-many-pixels",
        lambda: upload(png_claiming(7000, 7000), "big.png", "image/png"),
        "7000 × 7000 pixels",
    ),
    (
        "eleven-megabytes",
        lambda: upload(b"\xff\xd8" + b"0" * (11 * 1024 * 1024), "huge.jpg"),
        "images may be at most 10.0",
    ),
    (
        "gif",
        lambda: upload(image_bytes(image_format="GIF"), "anim.gif", "image/gif"),
        "GIF images are not accepted",
    ),
    (
        "svg-with-script",
        lambda: upload(
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "x.svg",
            "image/svg+xml",
        ),
        "SVG and other markup files are not accepted",
    ),
]


@pytest.mark.parametrize(
    ("make", "message"), [row[1:] for row in BAD_UPLOADS], ids=[row[0] for row in BAD_UPLOADS]
)
def test_bad_uploads_are_refused_with_their_own_message(make, message):
    """Each kind of bad file gets its own, clear reason."""
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            SafeImageFormField().clean(make())
        assert message in " ".join(error.value.messages)


def test_size_limit_is_exactly_ten_megabytes():
    """A whole image of exactly 10 MB passes the size check; one byte more is refused."""
    photo = image_bytes((64, 64))
    at_limit = photo + b"\0" * (10 * 1024 * 1024 - len(photo))
    assert SafeImageFormField().clean(upload(at_limit, name="limit.jpg"))
    with pytest.raises(ValidationError) as error:
        SafeImageFormField().clean(upload(at_limit + b"\0", name="over.jpg"))
    assert error.value.code == "file_too_large"


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_good_formats_are_accepted(image_format):
    """JPEG, PNG and WebP pass."""
    name = f"ok.{image_format.lower()}"
    file = SafeImageFormField().clean(upload(image_bytes(image_format=image_format), name))
    assert file.image.format == image_format


def test_bad_upload_in_the_admin_is_a_form_error(publisher_client, review_2023):
    """Uploading a fake image through the admin shows the reason, not a 500."""
    keyword = review_2023.keywords.get(position=1)
    url = admin_url("keyword_change", keyword.pk)
    data = change_form_data(publisher_client, url)
    data["cover"] = upload(b"<svg onload=alert(1)>", "cover.jpg")
    response = publisher_client.post(url, data)
    assert response.status_code == 200
    assert "SVG and other markup files are not accepted" in response.text


def keyword_form_adding_a_photo(client, keyword, name: str, alt_text: str) -> tuple[str, dict]:
    """The keyword's change form as loaded, with one new gallery photo."""
    url = admin_url("keyword_change", keyword.pk)
    return url, change_form_data(client, url) | {
        "photos-TOTAL_FORMS": "1",
        "photos-0-image": upload(image_bytes(), name),
        "photos-0-alt_text_zh_hans": alt_text,
    }


def test_photo_alt_text_is_required_in_chinese(publisher_client, review_2023):
    """A gallery photo without Chinese alt text is refused."""
    keyword = review_2023.keywords.get(position=1)
    url, data = keyword_form_adding_a_photo(publisher_client, keyword, "p.jpg", "")
    response = publisher_client.post(url, data)
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert not Photo.objects.exists()
    data["photos-0-image"] = upload(image_bytes(), "p.jpg")
    data["photos-0-alt_text_zh_hans"] = "居民在生境花园"
    data["_publish"] = "Save and publish"
    assert publisher_client.post(url, data).status_code == 302
    assert Photo.objects.get().alt_text_zh_hans == "居民在生境花园"


def test_upload_is_turned_upright_and_stripped_of_metadata(review_2023):
    """A sideways JPEG with GPS comes out upright with no EXIF at all, renditions included."""
    photo = add_photo(review_2023.keywords.first(), sideways_jpeg_with_gps())
    image = stored(photo.image.name)
    assert image.size == (20, 40)
    assert (photo.image_width, photo.image_height) == (20, 40)
    assert not image.getexif()
    assert "exif" not in image.info
    for rendition in photo.image_renditions:
        assert not stored(rendition["name"]).getexif()


def test_renditions_sizes_and_formats(review_2023):
    """Three widths in WebP and JPEG, heights in proportion, content-hashed names."""
    photo = add_photo(review_2023.keywords.first(), image_bytes((2000, 1000)))
    found = {(r["width"], r["height"], r["format"]) for r in photo.image_renditions}
    assert found == {(w, w // 2, f) for w in (480, 960, 1600) for f in ("webp", "jpg")}
    for rendition in photo.image_renditions:
        image = stored(rendition["name"])
        assert image.size == (rendition["width"], rendition["height"])
        assert image.format == {"webp": "WEBP", "jpg": "JPEG"}[rendition["format"]]
        assert rendition["name"].startswith("renditions/photo-")
    assert Photo.objects.get(pk=photo.pk).image_renditions == photo.image_renditions


def test_small_images_are_never_upscaled(review_2023):
    """A 300 px image gets renditions at 300 px only."""
    photo = add_photo(
        review_2023.keywords.first(), image_bytes((300, 200), image_format="PNG"), name="small.png"
    )
    assert {r["width"] for r in photo.image_renditions} == {300}


def test_renditions_are_not_regenerated_by_requests(client, review_2023):
    """Pages only point at renditions; viewing twice writes nothing."""
    keyword = review_2023.keywords.first()
    photo = add_photo(keyword, image_bytes((1200, 800)))
    before = {
        r["name"]: default_storage.get_modified_time(r["name"]) for r in photo.image_renditions
    }
    for _ in range(2):
        html = client.get(keyword.get_absolute_url()).text
        assert 'type="image/webp"' in html
        assert 'sizes="' in html
        assert 'loading="lazy"' in html
        assert 'width="1200" height="800"' in html
    after = {
        r["name"]: default_storage.get_modified_time(r["name"]) for r in photo.image_renditions
    }
    assert before == after
    _dirs, files = default_storage.listdir("renditions")
    assert len(files) == len(photo.image_renditions)


def test_replacing_and_deleting_keep_files_that_history_refers_to(
    django_capture_on_commit_callbacks, review_2023
):
    """A replaced or deleted image stays in storage while a version refers to it; clean_media
    removes it once none does, and lists it first with --dry-run."""
    keyword = review_2023.keywords.first()
    with django_capture_on_commit_callbacks(execute=True):
        photo = add_photo(keyword, image_bytes((800, 600)))
    old = [photo.image.name, *(r["name"] for r in photo.image_renditions)]
    with django_capture_on_commit_callbacks(execute=True):
        photo = Photo.objects.get(pk=photo.pk)
        photo.image = upload(image_bytes((800, 600), colour="orange"), "new.jpg")
        photo.save()
        Photo.objects.get(pk=photo.pk).delete()
    current = [photo.image.name, *(r["name"] for r in photo.image_renditions)]
    assert all(default_storage.exists(name) for name in old + current)
    assert clean_media() == []
    Photo.history.filter(id=photo.pk).delete()
    assert set(clean_media("--dry-run")) == set(old + current)
    assert all(default_storage.exists(name) for name in old + current)
    assert set(clean_media()) == set(old + current)
    assert not any(default_storage.exists(name) for name in old + current)
    assert default_storage.exists(keyword.cover.name)


def test_files_of_a_pending_draft_are_kept(publisher_client, review_2023):
    """An image only a pending draft refers to survives clean_media."""
    keyword = review_2023.keywords.get(position=1)
    url, data = keyword_form_adding_a_photo(
        publisher_client, keyword, "draft.jpg", "居民在生境花园"
    )
    assert publisher_client.post(url, data).status_code == 302
    assert not Photo.objects.exists()
    drafted = [name for name in stored_files() if "draft" in name]
    assert drafted
    assert not set(drafted) & set(clean_media())
    assert all(default_storage.exists(name) for name in drafted)


def clean_media(*args: str) -> list[str]:
    """The files clean_media names (deleted, or with --dry-run only listed)."""
    output = StringIO()
    call_command("clean_media", *args, stdout=output)
    return output.getvalue().splitlines()[:-1]


def test_ten_photos_cost_no_extra_queries(
    client, django_assert_max_num_queries, review_2023, warm_content_version
):
    """A keyword page with ten photos stays within its query budget."""
    from tests.pages import QUERY_BUDGETS

    keyword = review_2023.keywords.first()
    for position in range(1, 11):
        add_photo(keyword, image_bytes((600, 400)), position=position)
    url = keyword.get_absolute_url()
    with django_assert_max_num_queries(QUERY_BUDGETS["keyword"]):
        html = client.get(url).text
    assert html.count("<picture>") == 11  # ten photos and the cover
    assert html.count('alt="照片"') == 10


def test_renditions_command_rebuilds_for_a_new_size_set(settings, review_2023):
    """Changing the widths and running the command replaces the renditions."""
    photo = add_photo(review_2023.keywords.first(), image_bytes((1000, 500)))
    settings.IMAGE_RENDITION_WIDTHS = (320, 640)
    output = BytesIO()
    from io import TextIOWrapper

    stream = TextIOWrapper(output, encoding="utf-8")
    call_command("renditions", stdout=stream)
    stream.flush()
    assert "Regenerated renditions for" in output.getvalue().decode()
    photo.refresh_from_db()
    assert {r["width"] for r in photo.image_renditions} == {320, 640}


def test_renditions_already_written_are_not_made_again(settings, review_2023, monkeypatch):
    """With a size added, only that size is drawn: the sizes already written are not resized."""
    photo = add_photo(review_2023.keywords.first(), image_bytes((1000, 500)))
    settings.IMAGE_RENDITION_WIDTHS = (*settings.IMAGE_RENDITION_WIDTHS, 300)
    drawn = []
    resize = Image.Image.resize
    monkeypatch.setattr(
        Image.Image,
        "resize",
        lambda image, size, *args: drawn.append(size[0]) or resize(image, size, *args),
    )
    photo.regenerate_renditions()
    assert drawn == [300]
    assert 300 in {r["width"] for r in photo.image_renditions}


def test_demo_media_installs_covers_with_renditions(review_2023):
    """The demo copies its drawn covers and renders them."""
    from highlights.demo import install_demo_media

    assert install_demo_media() == 8
    keyword = Keyword.objects.get(slug="thematic-education")
    assert default_storage.exists(keyword.cover.name)
    assert {r["width"] for r in keyword.cover_renditions} == {480, 960, 1600}
    assert install_demo_media() == 0


def test_writing_renditions_tells_the_page_cache(review_2023):
    """Renditions are stored after the row is saved; that second write is announced too."""
    from highlights.signals import content_changed

    announced = []

    def listen(sender, instance, **kwargs):
        announced.append((sender, instance.image_renditions))

    content_changed.connect(listen)
    try:
        photo = add_photo(review_2023.keywords.first(), image_bytes((600, 400)))
    finally:
        content_changed.disconnect(listen)
    assert announced == [(Photo, photo.image_renditions)]
    assert photo.image_renditions


def test_unwritable_media_keeps_the_edit_and_says_why(publisher_client, review_2023, monkeypatch):
    """With MEDIA_ROOT read-only, an upload is a form error: nothing saved, nothing typed lost."""
    keyword = review_2023.keywords.get(position=1)
    url = admin_url("keyword_change", keyword.pk)
    data = change_form_data(publisher_client, url) | {"tagline_en": "Typed before the upload"}
    data["cover"] = upload(image_bytes((320, 180)), "cover.jpg")

    def read_only(name, content):
        raise PermissionError(13, "Permission denied", name)

    monkeypatch.setattr(default_storage, "_save", read_only)
    response = publisher_client.post(url, data)
    assert response.status_code == 200
    assert "the server&#x27;s media folder is not writable" in response.text
    assert 'value="Typed before the upload"' in response.text
    keyword.refresh_from_db()
    assert keyword.tagline_en != "Typed before the upload"


def test_a_disk_that_fills_during_an_upload_leaves_nothing(
    publisher_client, review_2023, monkeypatch, settings
):
    """The disk fills after the upload check and the cover are written, while its renditions
    are: a message, not a 500; no row changed, no file (whole or partial) left behind."""
    keyword = review_2023.keywords.get(position=1)
    Keyword.objects.filter(pk=keyword.pk).update(status="draft")
    url = admin_url("keyword_change", keyword.pk)
    data = change_form_data(publisher_client, url) | {"tagline_en": "With a new cover"}
    data["cover"] = upload(image_bytes((1600, 900)), "noise.jpg")
    before = stored_files()
    fill_after(monkeypatch, files=3)  # the writability probe, the cover, one rendition
    response = publisher_client.post(url, data, follow=True)
    assert response.status_code == 200
    assert (
        "media folder (it may be full, read-only or missing a file). Nothing was saved."
        in response.text
    )
    keyword.refresh_from_db()
    assert keyword.tagline_en != "With a new cover"
    assert stored_files() == before
