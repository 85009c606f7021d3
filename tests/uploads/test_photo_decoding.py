"""Photo decoding is bounded in pixels and CPU: header first, JPEG drafted, the rest refused when too big."""

import io
import time

import pytest
from PIL import Image

from lianxin.cases.photos import prepare_photo
from lianxin.errors import InvalidInput


def encoded(size, fmt="PNG", colour=(10, 20, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format=fmt)
    return out.getvalue()


@pytest.fixture(scope="module")
def png_6300() -> bytes:
    """128 KB on the wire, 40 million pixels decoded: what held both cores for 48 s."""
    return encoded((6300, 6300))


def test_a_6300_square_png_is_refused_from_its_header_fast(png_6300):
    assert len(png_6300) < 300_000
    started = time.process_time()
    with pytest.raises(InvalidInput) as caught:
        prepare_photo(png_6300)
    assert time.process_time() - started < 0.2  # decoding it costs about 2 s
    assert caught.value.fields["photos"] == ["图片尺寸过大（像素太多），请缩小或截图后再上传。"]


def test_a_png_over_the_header_cap_is_refused_too(settings):
    settings.PHOTO_MAX_PIXELS = 1_000_000
    settings.PHOTO_DECODE_MAX_PIXELS = 4_000_000
    with pytest.raises(InvalidInput):
        prepare_photo(encoded((1001, 1000)))


def test_a_large_jpeg_is_decoded_at_a_reduced_size(settings):
    """6000×4000 (24 Mpx) is over the decode cap: JPEG's draft mode decodes it at 1/2 or less."""
    settings.PHOTO_DECODE_MAX_PIXELS = 8_000_000
    data = encoded((6000, 4000), fmt="JPEG")
    started = time.process_time()
    photo = prepare_photo(data)
    assert time.process_time() - started < 1.0
    assert (photo.width, photo.height) == (1600, 1067)


def test_a_jpeg_that_cannot_be_reduced_enough_is_refused(settings):
    """Draft reduces at most 8 times per side; what is still over the decode cap is not decoded."""
    settings.PHOTO_MAX_PIXELS = 40_000_000
    settings.PHOTO_DECODE_MAX_PIXELS = 1_000_000
    settings.PHOTO_RESIZE_TO = 6000  # draft keeps at least this size
    with pytest.raises(InvalidInput) as caught:
        prepare_photo(encoded((6000, 4000), fmt="JPEG"))
    assert "图片尺寸过大" in caught.value.message


def test_a_png_within_the_caps_is_resized_and_re_encoded():
    photo = prepare_photo(encoded((3000, 2000)))
    assert (photo.width, photo.height) == (1600, 1067)
    assert Image.open(io.BytesIO(photo.content.read())).format == "JPEG"


def test_a_decompression_bomb_is_refused(monkeypatch):
    """Pillow's own bomb check (MAX_IMAGE_PIXELS) is an error here, never a warning followed by decoding."""
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 500_000)
    with pytest.raises(InvalidInput) as caught:
        prepare_photo(encoded((800, 800)))  # 640,000 pixels: over Pillow's limit, under ours
    assert "图片尺寸过大" in caught.value.message


def test_a_truncated_image_is_refused():
    data = encoded((800, 600), fmt="JPEG", colour=(200, 100, 50))
    with pytest.raises(InvalidInput) as caught:
        prepare_photo(data[: len(data) // 2])
    assert caught.value.fields["photos"] == ["图片文件不完整或已损坏，请重新选择。"]


def test_text_named_like_a_picture_is_refused():
    with pytest.raises(InvalidInput) as caught:
        prepare_photo(b"just some text saved as photo.jpg\n" * 10)
    assert caught.value.fields["photos"] == ["只能上传 JPEG、PNG、WebP 或 GIF 格式的图片。"]


def test_a_bmp_is_refused_by_its_content():
    with pytest.raises(InvalidInput) as caught:
        prepare_photo(encoded((10, 10), fmt="BMP"))
    assert caught.value.fields["photos"] == ["只能上传 JPEG、PNG、WebP 或 GIF 格式的图片。"]
