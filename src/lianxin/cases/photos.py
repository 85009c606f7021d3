"""Photos are checked by their content (never by the file name), resized, and re-encoded without EXIF.

Decoding is bounded before it starts: Pillow reads only the header first; an image whose header declares
more than PHOTO_MAX_PIXELS is refused; a JPEG is decoded at a reduced scale (Image.draft: 1/2, 1/4 or 1/8,
done by the decoder, so a 40-megapixel photo costs what a 2.5-megapixel one does); any image whose
decoded size would still be over PHOTO_DECODE_MAX_PIXELS (a PNG, WebP or GIF cannot be reduced while
decoding) is refused. Truncated files, decompression bombs and non-images are the same clear 422.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from lianxin.errors import InvalidInput

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}
# Formats whose decoder can produce a reduced image directly (Image.draft).
DRAFT_FORMATS = {"JPEG", "MPO"}


@dataclass
class PreparedPhoto:
    content: ContentFile
    width: int
    height: int
    size: int
    sha256: str


def _invalid(message: str, field: str) -> InvalidInput:
    return InvalidInput(message, fields={field: [message]})


def _format_message() -> str:
    return _("只能上传 JPEG、PNG、WebP 或 GIF 格式的图片。")


def _too_big_message() -> str:
    return _("图片尺寸过大（像素太多），请缩小或截图后再上传。")


def _decoded(data: bytes, field: str) -> Image.Image:
    """The image decoded within the pixel caps (reduced for JPEG), or InvalidInput before decoding."""
    image = Image.open(io.BytesIO(data))  # reads the header only
    if image.format not in ALLOWED_FORMATS:
        raise _invalid(_format_message(), field)
    width, height = image.size
    if width * height > settings.PHOTO_MAX_PIXELS:
        raise _invalid(_too_big_message(), field)
    if image.format in DRAFT_FORMATS:
        target = settings.PHOTO_RESIZE_TO
        image.draft("RGB" if image.mode not in ("L", "RGB") else image.mode, (target, target))
    width, height = image.size
    if width * height > settings.PHOTO_DECODE_MAX_PIXELS:
        raise _invalid(_too_big_message(), field)
    image.load()
    return image


def prepare_photo(data: bytes, *, field: str = "photos") -> PreparedPhoto:
    if len(data) == 0:
        raise _invalid(_("照片文件是空的。"), field)
    if len(data) > settings.PHOTO_MAX_BYTES:
        raise _invalid(_("照片不能超过 %(n)s MB。") % {"n": settings.PHOTO_MAX_BYTES // (1024 * 1024)}, field)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = _decoded(data, field)
        image = ImageOps.exif_transpose(image)
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.thumbnail((settings.PHOTO_RESIZE_TO, settings.PHOTO_RESIZE_TO))
        out = io.BytesIO()
        # Re-encoding writes no EXIF: GPS position and camera data are gone.
        image.save(out, format="JPEG", quality=82, optimize=True)
    except InvalidInput:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _invalid(_too_big_message(), field) from None
    except UnidentifiedImageError:
        raise _invalid(_format_message(), field) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise _invalid(_("图片文件不完整或已损坏，请重新选择。"), field) from None
    payload = out.getvalue()
    digest = hashlib.sha256(payload).hexdigest()
    return PreparedPhoto(
        content=ContentFile(payload, name=f"{digest[:16]}.jpg"),
        width=image.width,
        height=image.height,
        size=len(payload),
        sha256=digest,
    )


def check_photo_count(count: int) -> None:
    if count > settings.PHOTO_MAX_COUNT:
        message = _("最多上传 %(n)s 张照片。") % {"n": settings.PHOTO_MAX_COUNT}
        raise _invalid(message, "photos")


def read_photo_uploads(files) -> list[bytes]:
    """Count and size of uploaded files are checked before any of them is read into memory."""
    check_photo_count(len(files))
    for upload in files:
        if upload.size > settings.PHOTO_MAX_BYTES:
            raise _invalid(_("照片不能超过 %(n)s MB。") % {"n": settings.PHOTO_MAX_BYTES // (1024 * 1024)}, "photos")
    return [upload.read() for upload in files]


def prepare_photos(files: list[bytes]) -> list[PreparedPhoto]:
    check_photo_count(len(files))
    return [prepare_photo(data) for data in files]
