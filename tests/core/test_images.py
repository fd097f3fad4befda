"""Images: bad files refused with a clear message, EXIF stripped, renditions served with srcset."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core import images
from core.images import rendition_name, validate_image
from tests.factories import make_partner

pytestmark = pytest.mark.django_db


def image_bytes(size=(1200, 800), image_format="JPEG", **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, image_format, **save)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` × ``height`` pixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


def upload(data: bytes, name="photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


BAD = {
    "not an image": (b"%PDF-1.4 definitely not a picture", "not_image"),
    "html renamed to jpg": (b"<html><script>alert(1)</script></html>", "not_image"),
    "BMP format": (image_bytes(image_format="BMP"), "format"),
    "TIFF format": (image_bytes(image_format="TIFF"), "format"),
    "truncated": (image_bytes(image_format="PNG")[:-40], "damaged"),
    "too many pixels": (png_claiming(8000, 6000), "pixels"),
    "decompression bomb": (png_claiming(60000, 60000), "bomb"),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_images_are_refused_with_a_clear_message(case):
    data, code = BAD[case]
    with pytest.raises(ValidationError) as error:
        validate_image(upload(data))
    assert error.value.code == code
    assert error.value.messages[0]


def test_too_large_a_file_is_refused(monkeypatch):
    monkeypatch.setattr(images, "MAX_BYTES", 1000)
    with pytest.raises(ValidationError) as error:
        validate_image(upload(image_bytes()))
    assert error.value.code == "too_large"


def test_a_good_image_passes():
    for image_format in ("JPEG", "PNG", "WEBP", "GIF"):
        validate_image(upload(image_bytes(image_format=image_format)))


def test_the_admin_refuses_a_bad_image(staff_client, partner):
    from django.urls import reverse

    response = staff_client.post(reverse("admin:partners_partner_add"), {"image": upload(b"not an image")})
    assert response.status_code == 200
    assert "image" in response.context["adminform"].form.errors


def test_exif_is_stripped_and_renditions_are_made(client):
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x8825] = {2: (59.0, 57.0, 0.0)}  # GPS
    partner = make_partner(
        image=upload(image_bytes(exif=exif.tobytes())), image_alt_ru="Набережная", image_alt_en="Embankment"
    )
    partner.refresh_from_db()
    with default_storage.open(partner.image.name) as stored:
        stored_image = Image.open(stored)
        assert not stored_image.getexif()
    assert (partner.image_width, partner.image_height) == (1200, 800)
    for width in (320, 640, 1024):
        assert default_storage.exists(rendition_name(partner.image.name, width))
    assert not default_storage.exists(rendition_name(partner.image.name, 1600))
    page = client.get(partner.get_absolute_url().replace("/ru/", "/en/")).text
    assert 'alt="Embankment"' in page
    assert "320w" in page and "1024w" in page and "1200w" in page
    # the lead image is the page's largest paint on a phone: fetched at once, not lazily
    assert 'fetchpriority="high"' in page and 'loading="lazy"' not in page
