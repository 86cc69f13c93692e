"""Documents attached to notices: PDF and office files, checked by what they are, not by what
their name says, and never opened by the site.

A file is taken for the type its first bytes show: a PDF, an Office Open XML or OpenDocument
package (a ZIP holding the parts those formats require), or an old Office file (an OLE2
compound file). Anything else is refused with a message saying what it looks like: a program, a
web page, a plain archive. ZIP-based documents are also checked for archive bombs (too many
members, too much unpacked data, or a member that unpacks to far more than it takes), since the
reader who opens them would pay for it. Python's `zipfile` only reads the central directory
here; no member is ever unpacked.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# Where documents are stored in the media folder: served only through the notices' pages.
ATTACHMENTS_DIR = "attachments"
PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# ZIP-based documents: the member that names the format, and what each format's name ends in.
OOXML_PARTS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
ODF_TYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
OLE2_EXTENSIONS = {"doc", "xls", "ppt"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
}
# What refused files usually are, by their first bytes, to say so in the message.
LOOKS_LIKE = [
    (b"MZ", _("a Windows program")),
    (b"\x7fELF", _("a program")),
    (b"#!", _("a script")),
]
MAX_MEMBERS = 2000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100


@dataclass(frozen=True)
class DocumentType:
    extension: str

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.extension]


def document_content_type(name: str) -> str:
    """The content type of a stored document, from the extension it was stored under."""
    return CONTENT_TYPES.get(PurePath(name).suffix.lower().lstrip("."), "application/octet-stream")


def refuse(message, code: str, **params) -> ValidationError:
    return ValidationError(message, code=code, params=params)


def document_type(upload) -> DocumentType:
    """What the uploaded file really is, or a ValidationError saying why it cannot be attached."""
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise refuse(
            _("The file is %(size)s; attachments may be at most %(limit)s."),
            "too_big",
            size=filesizeformat(upload.size),
            limit=filesizeformat(settings.ATTACHMENT_MAX_BYTES),
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(PDF_MAGIC):
        return DocumentType("pdf")
    if head.startswith(ZIP_MAGIC):
        return packaged_document(upload)
    if head.startswith(OLE2_MAGIC):
        extension = PurePath(upload.name).suffix.lower().lstrip(".")
        if extension in OLE2_EXTENSIONS:
            return DocumentType(extension)
        raise refuse(
            _("This is an old Office file, but its name does not end in .doc, .xls or .ppt."),
            "unnamed_office",
        )
    raise refuse(
        _(
            "Only PDF and office documents (Word, Excel, PowerPoint, OpenDocument) can be "
            "attached; this file looks like %(kind)s."
        ),
        "not_a_document",
        kind=looks_like(head, upload),
    )


def looks_like(head: bytes, upload) -> str:
    for magic, kind in LOOKS_LIKE:
        if head.startswith(magic):
            return str(kind)
    upload.seek(0)
    start = upload.read(512).lstrip().lower()
    upload.seek(0)
    if start.startswith((b"<!doctype html", b"<html", b"<script", b"<svg", b"<?xml")):
        return str(_("a web page"))
    return str(_("something else"))


def packaged_document(upload) -> DocumentType:
    """An Office Open XML or OpenDocument file, whose ZIP is not a bomb."""
    try:
        with zipfile.ZipFile(upload) as package:
            members = package.infolist()
            check_not_a_bomb(members)
            names = {member.filename for member in members}
            if "mimetype" in names:
                kind = package.read("mimetype")[:100].decode("ascii", "replace").strip()
                if kind in ODF_TYPES:
                    return DocumentType(ODF_TYPES[kind])
            if "[Content_Types].xml" in names:
                for prefix, extension in OOXML_PARTS.items():
                    if any(name.startswith(prefix) for name in names):
                        return DocumentType(extension)
    except zipfile.BadZipFile as error:
        raise refuse(_("The file is damaged and cannot be read."), "damaged") from error
    finally:
        upload.seek(0)
    raise refuse(
        _("This is a ZIP archive, not a document: attach the documents themselves."),
        "archive",
    )


def check_not_a_bomb(members: list[zipfile.ZipInfo]) -> None:
    unpacked = sum(member.file_size for member in members)
    worst = max((member.file_size / max(member.compress_size, 1) for member in members), default=0)
    if len(members) > MAX_MEMBERS or unpacked > MAX_UNPACKED_BYTES or worst > MAX_RATIO:
        raise refuse(
            _("The file unpacks to far more than its size (%(size)s): it is refused as unsafe."),
            "bomb",
            size=filesizeformat(unpacked),
        )


def validate_document(upload) -> None:
    """The model field's validator: runs in the admin's form, before anything is stored."""
    if getattr(upload, "_committed", False):
        return  # a file already stored and checked, e.g. a row saved again
    document_type(upload)
