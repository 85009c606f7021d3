"""Photos are checked by their content (never by the file name), resized, and re-encoded without EXIF."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from lianxin.errors import InvalidInput

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}


@dataclass
class PreparedPhoto:
    content: ContentFile
    width: int
    height: int
    size: int
    sha256: str


def prepare_photo(data: bytes, *, field: str = "photos") -> PreparedPhoto:
    if len(data) == 0:
        raise InvalidInput(_("照片文件是空的。"), fields={field: [_("照片文件是空的。")]})
    if len(data) > settings.PHOTO_MAX_BYTES:
        limit = settings.PHOTO_MAX_BYTES // (1024 * 1024)
        raise InvalidInput(
            _("照片不能超过 %(limit)s MB。") % {"limit": limit},
            fields={field: [_("照片不能超过 %(limit)s MB。") % {"limit": limit}]},
        )
    message = _("只能上传 JPEG、PNG、WebP 或 GIF 格式的图片。")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ALLOWED_FORMATS:
                raise InvalidInput(message, fields={field: [message]})
            if probe.width * probe.height > settings.PHOTO_MAX_PIXELS:
                raise InvalidInput(_("图片尺寸过大。"), fields={field: [_("图片尺寸过大。")]})
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            if image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            image.thumbnail((settings.PHOTO_RESIZE_TO, settings.PHOTO_RESIZE_TO))
            out = io.BytesIO()
            # Re-encoding writes no EXIF: GPS position and camera data are gone.
            image.save(out, format="JPEG", quality=82, optimize=True)
    except InvalidInput:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise InvalidInput(message, fields={field: [message]}) from None
    payload = out.getvalue()
    digest = hashlib.sha256(payload).hexdigest()
    return PreparedPhoto(
        content=ContentFile(payload, name=f"{digest[:16]}.jpg"),
        width=image.width,
        height=image.height,
        size=len(payload),
        sha256=digest,
    )


def prepare_photos(files: list[bytes]) -> list[PreparedPhoto]:
    if len(files) > settings.PHOTO_MAX_COUNT:
        message = _("最多上传 %(PHOTO_MAX_COUNT)s 张照片。") % {"PHOTO_MAX_COUNT": settings.PHOTO_MAX_COUNT}
        raise InvalidInput(message, fields={"photos": [message]})
    return [prepare_photo(data) for data in files]
