"""Uploads go through Django's storage API only: any storage (a folder, a bucket behind a CDN) is a setting."""

import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from association.settings import media_storage
from core.images import rendition_name
from tests.factories import make_partner

CDN = "https://media.spbaic.example.org/"


def photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (1100, 700), (30, 120, 200)).save(out, "JPEG")
    return SimpleUploadedFile("harbour.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture(params=["memory", "folder"])
def storage_behind_a_cdn(request, settings, tmp_path):
    """The media storage elsewhere than the tests' default, its files served from a CDN's address."""
    backend = {
        "memory": {"BACKEND": "django.core.files.storage.InMemoryStorage", "OPTIONS": {"base_url": CDN}},
        "folder": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "bucket"), "base_url": CDN},
        },
    }[request.param]
    settings.STORAGES = {**settings.STORAGES, "default": backend}
    return default_storage


@pytest.mark.django_db
def test_an_image_and_its_renditions_live_in_the_configured_storage_and_are_served_from_its_address(
    client, storage_behind_a_cdn
):
    partner = make_partner(image=photo(), image_alt_en="Harbour")
    names = [partner.image.name] + [rendition_name(partner.image.name, width) for width in (320, 640, 1024)]
    assert all(storage_behind_a_cdn.exists(name) for name in names)
    page = client.get(partner.get_absolute_url().replace("/ru/", "/en/")).text
    assert f'src="{CDN}{partner.image.name}"' in page or f"{CDN}{partner.image.name} 1100w" in page
    assert f"{CDN}{rendition_name(partner.image.name, 320)} 320w" in page


def test_the_media_storage_is_named_by_a_url():
    assert media_storage("") == {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {}}
    assert media_storage("file:///srv/spbaic/media")["OPTIONS"] == {"location": "/srv/spbaic/media"}
    assert media_storage("memory://") == {"BACKEND": "django.core.files.storage.InMemoryStorage"}
    with pytest.raises(ImproperlyConfigured, match="unknown scheme"):
        media_storage("ftp://example.org/media")


def test_a_bucket_takes_its_options_from_the_url(monkeypatch):
    monkeypatch.setattr("importlib.util.find_spec", lambda name: object() if name == "storages" else None)
    url = "s3://spbaic-media/uploads?region_name=eu-central-1&custom_domain=media.spbaic.example.org&querystring_auth=false"
    assert media_storage(url) == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "spbaic-media",
            "location": "uploads",
            "region_name": "eu-central-1",
            "custom_domain": "media.spbaic.example.org",
            "querystring_auth": False,
        },
    }


def test_a_bucket_without_django_storages_installed_is_refused(monkeypatch):
    monkeypatch.setattr("importlib.util.find_spec", lambda name: None)
    with pytest.raises(ImproperlyConfigured, match="django-storages"):
        media_storage("s3://spbaic-media/uploads")
