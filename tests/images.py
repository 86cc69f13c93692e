"""Image files made on the spot for upload tests."""

import errno
import struct
import zlib
from io import BytesIO
from pathlib import Path

from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image


def image_bytes(size=(64, 32), image_format="JPEG", colour="teal", exif=None) -> bytes:
    output = BytesIO()
    options = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, colour).save(output, format=image_format, **options)
    return output.getvalue()


def upload(content: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def sideways_jpeg_with_gps() -> bytes:
    """A 40×20 JPEG whose EXIF says “rotate 90°” (orientation 6) and carries a GPS position."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "Camera Co."
    exif[ExifTags.Base.BodySerialNumber] = "SN-123456"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (31.0, 12.0, 36.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (121.0, 22.0, 48.0)
    return image_bytes(size=(40, 20), exif=exif)


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge canvas: the shape of a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def fill_after(monkeypatch, files: int) -> None:
    """The media disk fills up after `files` more files: each later write stops partway with
    ENOSPC, leaving what it wrote, as a real full disk does."""
    real = FileSystemStorage._save
    calls = []

    def full(storage, name, content):
        calls.append(name)
        if len(calls) <= files:
            return real(storage, name, content)
        path = Path(storage.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.read()[:100])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", full)


def fill_after_first_file(monkeypatch) -> None:
    fill_after(monkeypatch, 1)
