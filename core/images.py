"""Images of partners, events, societies and news: validation, EXIF stripping, renditions.

One concept in one place. An upload is refused unless Pillow reads it as a real image
of an allowed format within the size and pixel limits (decompression bombs included);
when saved, it is re-encoded without its metadata (EXIF: camera, place, time) and
resized into ``WIDTHS``-wide WebP renditions, which the ``responsive_image`` template
tag serves as a ``srcset`` with the image's translated alt text.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from core.registry import Content, content_connect, content_for, on_content_registered

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
WIDTHS = (320, 640, 1024, 1600)


def _open(data: bytes) -> Image.Image:
    """Open ``data`` with Pillow, treating its decompression-bomb warning as the refusal it is."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return Image.open(io.BytesIO(data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise ValidationError(
                _("The image has too many pixels to be opened safely (a decompression bomb?)."), code="bomb"
            ) from error
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise ValidationError(_("The file is not an image."), code="not_image") from error


def validate_image(file) -> None:
    """Refuse anything but a real, whole JPEG, PNG, WebP or GIF within the limits, with a clear message."""
    if file.size > MAX_BYTES:
        raise ValidationError(
            _("The image is larger than %(limit)d MB.") % {"limit": MAX_BYTES // 1024 // 1024}, code="too_large"
        )
    file.seek(0)
    data = file.read()
    file.seek(0)
    image = _open(data)
    if image.format not in ALLOWED_FORMATS:
        raise ValidationError(
            _("%(format)s images are not accepted; use JPEG, PNG, WebP or GIF.") % {"format": image.format},
            code="format",
        )
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise ValidationError(
            _("The image has %(pixels)d megapixels; the limit is %(limit)d.")
            % {"pixels": width * height // 1_000_000, "limit": MAX_PIXELS // 1_000_000},
            code="pixels",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            _open(data).load()
    except ValidationError:
        raise
    except Exception as error:
        raise ValidationError(_("The image is damaged or incomplete."), code="damaged") from error


def strip_metadata(data: bytes) -> tuple[bytes, int, int]:
    """The image re-encoded without EXIF or other metadata, turned upright; and its size."""
    image = _open(data)
    image_format = image.format
    image = ImageOps.exif_transpose(image)
    out = io.BytesIO()
    if image_format == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=90, optimize=True)
    elif image_format == "GIF":
        image.save(out, "GIF")
    else:
        image.save(out, image_format)
    return out.getvalue(), image.width, image.height


def rendition_name(name: str, width: int) -> str:
    path = PurePosixPath(name)
    return str(PurePosixPath("renditions") / path.parent / f"{path.stem}-{width}w.webp")


def make_renditions(name: str, data: bytes) -> None:
    image = _open(data)
    image = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
    for width in WIDTHS:
        if width >= image.width:
            break
        height = round(image.height * width / image.width)
        out = io.BytesIO()
        image.resize((width, height), Image.Resampling.LANCZOS).save(out, "WEBP", quality=82)
        default_storage.save(rendition_name(name, width), ContentFile(out.getvalue()))


@dataclass(frozen=True)
class Rendition:
    url: str
    width: int


def renditions(field_file, width: int | None) -> list[Rendition]:
    """The sizes of an image, smallest first, ending with the original; no storage calls."""
    if not field_file or not width:
        return []
    smaller = [Rendition(default_storage.url(rendition_name(field_file.name, w)), w) for w in WIDTHS if w < width]
    return [*smaller, Rendition(field_file.url, width)]


def _process_upload(sender, instance, raw=False, **kwargs) -> None:
    """A new upload is stored without metadata, with its renditions and its size recorded."""
    name = image_field_name(sender)
    field_file = getattr(instance, name)
    if raw or not field_file or getattr(field_file, "_committed", True):
        return
    field_file.seek(0)
    data, width, height = strip_metadata(field_file.read())
    field_file.save(field_file.name, ContentFile(data), save=False)
    setattr(instance, f"{name}_width", width)
    setattr(instance, f"{name}_height", height)
    make_renditions(field_file.name, data)


def image_field_name(model) -> str:
    """The registered image field of a content model (``image``, or a society's ``logo``)."""
    return content_for(model).image


@on_content_registered
def _connect(entry: Content) -> None:
    if entry.image:
        content_connect(pre_save, _process_upload, entry, "images")


def image_upload_to(instance: models.Model, filename: str) -> str:
    return f"{instance.image_folder}/{filename}"


class ImageModel(models.Model):
    """An illustration with its pixel size and its translated alt text (validated, EXIF-free, with renditions)."""

    image_folder = "images"

    image = models.ImageField(
        _("image"),
        upload_to=image_upload_to,
        blank=True,
        width_field="image_width",
        height_field="image_height",
        validators=[validate_image],
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_alt = models.CharField(
        _("image description (alt text)"),
        max_length=300,
        blank=True,
        help_text=_("What the image shows, for screen readers."),
    )

    class Meta:
        abstract = True
