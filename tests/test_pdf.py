"""The review as a PDF: valid, its fonts embedded, every keyword in it, in either language, and
rebuilt once something is published."""

import shutil
import subprocess

import pytest
from django.utils import translation

from highlights.models import Status
from tests.outside_tools import unavailable

pytestmark = pytest.mark.long

PDF = "/2023/review.pdf"


@pytest.fixture
def poppler():
    """pdftotext and pdffonts (Debian's poppler-utils) read the PDF as a reader would."""
    if not shutil.which("pdffonts"):
        unavailable("poppler-utils not found (apt-get install poppler-utils)", "REQUIRE_POPPLER")


def poppler_says(tool: str, pdf: bytes, tmp_path, *arguments: str) -> str:
    """What a poppler tool prints about the PDF (given as the first argument)."""
    path = tmp_path / "review.pdf"
    path.write_bytes(pdf)
    command = [shutil.which(tool), str(path), *arguments]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def text_of(pdf: bytes, tmp_path) -> str:
    return poppler_says("pdftotext", pdf, tmp_path, "-")  # "-": the text to stdout


def test_the_pdf_holds_every_keyword_with_its_fonts_embedded(
    client, review_2023, poppler, tmp_path
):
    response = client.get(PDF)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="xinjing-2023-zh-hans.pdf"'
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    text = text_of(pdf, tmp_path)
    for keyword in review_2023.keywords.all():
        assert keyword.title_zh_hans in text
    assert "7000余" in text
    assert "1 / " in text  # page numbers
    # name, type, encoding, then the columns "emb", "sub", "uni", object number and generation
    fonts = poppler_says("pdffonts", pdf, tmp_path).splitlines()[2:]
    assert fonts
    assert all(line.split()[-5] == "yes" for line in fonts), fonts


def test_the_english_pdf_is_english(client, review_2023, poppler, tmp_path):
    response = client.get(f"/en{PDF}")
    text = text_of(response.content, tmp_path)
    with translation.override("en"):
        for keyword in review_2023.keywords.all():
            assert keyword.title in text
    assert "7,000+" in text  # the figure's tile
    assert "more than 7,000" in text  # the keyword's own text


def test_a_publication_is_in_the_next_pdf(
    transactional_db, client, review_2023, page_cache_on, poppler, tmp_path
):
    """Built once and kept until content changes; the next build has the change."""
    first = client.get(PDF).content
    assert client.get(PDF).content == first
    keyword = review_2023.keywords.get(position=1)
    keyword.title_zh_hans = "主题教育新标题"
    keyword.save()
    assert "主题教育新标题" in text_of(client.get(PDF).content, tmp_path)


def test_a_draft_review_has_no_pdf(client, review_2023):
    review_2023.status = Status.UNPUBLISHED
    review_2023.save()
    assert client.get(PDF).status_code == 404


def test_the_review_page_links_to_its_pdf(client, review_2023):
    assert 'href="/en/2023/review.pdf"' in client.get("/en/2023/").text


def test_the_pdf_costs_few_queries(
    client, review_2023, warm_content_version, django_assert_num_queries, version_reads
):
    # The review, its keywords, and their initiatives, figures and awards; and the content
    # version it is kept under.
    with django_assert_num_queries(5):
        client.get(PDF)
    assert version_reads == ["default"]


def test_a_pdf_built_for_staff_is_kept_for_no_one(admin_client, review_2023):
    """Staff may see unpublished keywords: their PDF is built for them and never cached, so
    a visitor cannot be handed it."""
    from django.core.cache import cache

    review_2023.keywords.filter(position=1).update(status="draft")
    assert admin_client.get(PDF).status_code == 200
    assert not any("review-pdf" in key for key in cache._cache)


def test_a_missing_cover_file_still_gives_a_pdf(client, review_2023, settings):
    """A cover whose file is gone (a disk restored without media) is left out, not a 500."""
    (settings.MEDIA_ROOT / review_2023.cover.name).unlink()
    response = client.get(PDF)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")


def test_building_pdfs_leaves_uploads_strict():
    """WeasyPrint's import turns on Pillow's truncated-image tolerance for the whole process;
    ours turns it off again, so broken uploads are still refused (tests/test_images.py)."""
    from PIL import ImageFile

    import highlights.pdf  # noqa: F401

    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_with_the_cache_down_the_pdf_is_built_all_the_same(client, review_2023, monkeypatch):
    """During a cache outage the PDF is built for the request, without waiting on the cache."""
    from highlights import cache

    monkeypatch.setattr(cache.Outage, "until", float("inf"))
    monkeypatch.setattr(cache, "guarded", lambda *args: pytest.fail("the cache was asked"))
    response = client.get(PDF)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")


def test_a_hostile_host_never_reaches_the_pdf(
    transactional_db, client, review_2023, page_cache_on, poppler, tmp_path
):
    """The PDF prints the site's address (SITE_URL): a request naming another Host after a
    change gets the same PDF as everyone, and the next visitor's names no other host."""
    keyword = review_2023.keywords.get(position=1)
    keyword.title_zh_hans = "主题教育换了标题"
    keyword.save()  # a new content version: the next request builds the PDF
    hostile = client.get(PDF, HTTP_HOST="127.0.0.1:31337")
    assert hostile.status_code == 200
    after = client.get(PDF)
    for pdf in (hostile.content, after.content):
        text = text_of(pdf, tmp_path)
        assert "31337" not in text
        assert "http://testserver/2023/" in text
