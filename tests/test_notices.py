"""Notices: documents checked for what they really are, downloaded and never opened, and
expiry at the end of the last valid day, in the town's time."""

import io
import zipfile
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from highlights import revisions
from highlights.attachments import document_type
from highlights.cache import next_scheduled_change
from highlights.models import Attachment, Notice
from highlights.publishing import Status
from tests.admin_forms import admin_url

SHANGHAI = ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def package(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = package({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = package(
    {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"},
    zipfile.ZIP_STORED,
)


def upload(content: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("content", "name", "extension"),
    [(PDF, "通知.pdf", "pdf"), (DOCX, "报名表.docx", "docx"), (ODT, "a.odt", "odt")],
)
def test_documents_are_known_by_their_bytes(content, name, extension):
    assert document_type(upload(content, name)).extension == extension


def bomb() -> bytes:
    """A Word file whose one part unpacks from a few kilobytes to 50 MB."""
    return package({"[Content_Types].xml": b"<Types/>", "word/document.xml": bytes(50_000_000)})


@pytest.mark.parametrize(
    ("content", "name", "says"),
    [
        (b"MZ\x90\x00" + bytes(200), "通知.pdf", "看起来是Windows 程序"),
        (b"\x7fELF" + bytes(200), "form.docx", "看起来是可执行程序"),
        (b"<!DOCTYPE html><script>alert(1)</script>", "notice.pdf", "看起来是网页"),
        (b"  <svg onload=alert(1)>", "notice.doc", "看起来是网页"),
        (package({"a.txt": b"hello"}), "files.zip", "这是 ZIP 压缩包"),
        (b"PK\x03\x04broken", "form.docx", "文件已损坏"),
        (bomb(), "form.docx", "解压后远大于"),
    ],
    ids=["renamed-exe", "elf", "html", "svg", "zip", "broken", "bomb"],
)
def test_what_is_not_a_document_is_refused_with_a_reason(content, name, says):
    with pytest.raises(ValidationError) as error:
        document_type(upload(content, name))
    assert says in error.value.messages[0]


def test_an_oversized_document_is_refused(settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as error:
        document_type(upload(PDF + bytes(2000), "big.pdf"))
    assert error.value.code == "too_big"


@pytest.fixture
def notice(review_2023) -> Notice:
    notice = Notice.objects.create(
        title="关于征询周家浜滨水空间意见的通知",
        issuer="新泾镇人民政府",
        document_number="长新府〔2024〕7号",
        status=Status.PUBLISHED,
        publish_at=timezone.now() - timedelta(days=1),
    )
    Attachment.objects.create(notice=notice, file=upload(PDF, "意见表.pdf"))
    revisions.record_missing()
    return notice


def test_a_bad_document_is_a_form_error_in_the_admin(publisher_client, notice):
    """A renamed program added to a notice: the form says why, nothing is stored."""
    url = admin_url("notice_change", notice.pk)
    page = publisher_client.get(url)
    data = {
        key: value
        for key, value in page.context["adminform"].form.initial.items()
        if value is not None
    }
    response = publisher_client.post(
        url,
        {
            **{k: v for k, v in data.items() if k.endswith(("zh_hans", "_en"))},
            "slug": notice.slug,
            "status": notice.status,
            "publish_at_0": timezone.localtime(notice.publish_at).strftime("%Y-%m-%d"),
            "publish_at_1": timezone.localtime(notice.publish_at).strftime("%H:%M:%S"),
            "unit_revision": page.context["unit_revision"],
            "attachments-TOTAL_FORMS": "2",
            "attachments-INITIAL_FORMS": "1",
            "attachments-0-id": str(notice.attachments.get().pk),
            "attachments-0-notice": str(notice.pk),
            "attachments-1-notice": str(notice.pk),
            "attachments-1-file": upload(b"MZ" + bytes(100), "通知.pdf"),
        },
    )
    assert response.status_code == 200
    assert "Windows program" in response.text
    assert notice.attachments.count() == 1


def test_a_document_downloads_under_its_name_and_never_opens(client, notice):
    attachment = notice.attachments.get()
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E6%84%8F%E8%A7%81%E8%A1%A8.pdf" in response["Content-Disposition"]
    assert response["Content-Security-Policy"] == "sandbox"
    assert b"".join(response.streaming_content) == PDF
    # Stored under a name of our own, and not served from the media folder.
    assert attachment.file.name.startswith("attachments/")
    assert "意见表" not in attachment.file.name
    assert client.get(f"/media/{attachment.file.name}").status_code == 404


def test_an_unpublished_notice_keeps_its_documents(client, notice):
    attachment = notice.attachments.get()
    notice.status = Status.UNPUBLISHED
    notice.save()
    assert client.get(attachment.get_absolute_url()).status_code == 404
    assert client.get(f"/notices/other/files/{attachment.pk}/").status_code == 404


def test_a_notice_is_found_by_its_document_number(client, notice):
    found = client.get("/search/", {"q": "长新府〔2024〕7号"}).text
    assert notice.get_absolute_url() in found


def test_a_notice_expires_after_its_last_day(client, notice):
    """Current on its last day until midnight, Beijing time; expired and off the home page
    after, but still on its own page for the record."""
    notice.valid_until = date(2024, 6, 30)
    notice.publish_at = datetime(2024, 6, 1, 9, tzinfo=SHANGHAI)
    notice.save()
    with time_machine.travel(datetime(2024, 6, 30, 23, 59, 59, tzinfo=SHANGHAI), tick=False):
        assert notice.get_absolute_url() in client.get("/").text
        assert next_scheduled_change() == datetime(2024, 7, 1, tzinfo=SHANGHAI)
    with time_machine.travel(datetime(2024, 7, 1, tzinfo=SHANGHAI), tick=False):
        assert notice.get_absolute_url() not in client.get("/").text
        assert "2024年6月30日" in client.get(notice.get_absolute_url()).text
        assert "已过期" in client.get("/notices/").text


def test_notice_page_query_budget(client, django_assert_max_num_queries, notice, settings):
    """The notice and its documents (2), the content version and the site identity."""
    client.get("/")
    with django_assert_max_num_queries(2 + 1 + 1):
        assert client.get(notice.get_absolute_url()).status_code == 200
