"""A4 posters: the Chinese text is in the PDF (pdftotext) and drawn (pdftoppm → pixels); consent and scope."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from lianxin.finder import posters
from lianxin.finder.models import DeputyPublication
from lianxin.organisation.enums import DeputyLevel
from lianxin.organisation.models import DeputyMandate
from tests.factories import jpeg_bytes

pytestmark = pytest.mark.django_db

POPPLER = all(shutil.which(tool) for tool in ("pdftotext", "pdftoppm", "pdfimages", "pdfinfo"))
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdftoppm) is not installed")


def run(*args, data: bytes) -> bytes:
    return subprocess.run(args, input=data, capture_output=True, check=True, timeout=60).stdout


def text_of(pdf: bytes) -> str:
    return run("pdftotext", "-layout", "-", "-", data=pdf).decode()


def pages_of(pdf: bytes) -> int:
    info = run("pdfinfo", "-", data=pdf).decode()
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def images_in(pdf: bytes) -> int:
    listing = run("pdfimages", "-list", "-", data=pdf).decode().splitlines()
    return len(listing) - 2  # two header lines


def first_page_png(pdf: bytes) -> Image.Image:
    png = run("pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", "-", data=pdf)
    return Image.open(io.BytesIO(png)).convert("RGB")


@needs_poppler
def test_a_station_poster_has_its_chinese_text_drawn_and_extractable(mapped):
    pdf = posters.posters_pdf([mapped.station])
    assert pdf.startswith(b"%PDF")
    text = text_of(pdf)
    for expected in ("东湖街道代表联络站", "有事找代表", "每周周三为代表接待日", "东湖路1号", "http://", "/s/donghu"):
        assert expected in text
    image = first_page_png(pdf)
    width, height = image.size
    # The title is white on the red band: the band must hold both red background and white glyph pixels.
    band = [image.getpixel((x, y)) for x in range(width) for y in range(int(height * 0.05), int(height * 0.11))]
    white = sum(1 for r, g, b in band if r > 220 and g > 220 and b > 220)
    red = sum(1 for r, g, b in band if r > 140 and g < 80 and b < 80)
    assert red > len(band) * 0.5
    assert white > 30, "the station name was not drawn (missing CJK glyphs?)"
    # The QR code in the middle: many dark pixels.
    middle = [
        image.getpixel((x, y)) for x in range(width // 4, 3 * width // 4) for y in range(height // 3, height // 2)
    ]
    assert sum(1 for p in middle if sum(p) < 150) > len(middle) * 0.2


@needs_poppler
def test_a_deputy_poster_shows_only_what_the_deputy_agreed_to(mapped):
    deputy = mapped.deputy
    DeputyMandate.objects.create(deputy=deputy, level=DeputyLevel.CITY)
    deputy.sector = "教育"
    deputy.photo.save("wang.jpg", ContentFile(jpeg_bytes((120, 160))), save=True)
    pdf = posters.posters_pdf([deputy])
    text = text_of(pdf)
    for expected in ("王代表", "市人大代表", "有事找TA", "教育", "东湖街道代表联络站", "每周周三", "/d/d-wang"):
        assert expected in text
    assert images_in(pdf) == 1
    DeputyPublication.objects.create(deputy=deputy, show_photo=False, show_levels=False, show_sector=False)
    deputy.refresh_from_db()
    pdf = posters.posters_pdf([deputy])
    text = text_of(pdf)
    assert "王代表" in text
    assert "市人大代表" not in text and "教育" not in text
    assert images_in(pdf) == 0


@needs_poppler
def test_a_deputy_poster_reads_the_photo_through_a_storage_without_paths(mapped, object_storage):
    test_a_deputy_poster_shows_only_what_the_deputy_agreed_to(mapped)
    assert object_storage.names() == [mapped.deputy.photo.name]


@needs_poppler
def test_a_street_pdf_has_every_station_then_every_public_deputy(mapped):
    from lianxin.organisation.models import Deputy, Station

    Station.objects.create(code="chunhui", name="春晖社区联络点", kind="point", division=mapped.community)
    hidden = Deputy.objects.create(code="d-hidden", name="隐代表", public=False)
    hidden.stations.add(mapped.station)
    items = posters.street_items(mapped.street)
    assert [i.code for i in items] == ["chunhui", "donghu", "d-wang"]
    pdf = posters.posters_pdf(items)
    assert pages_of(pdf) == 3
    text = text_of(pdf)
    assert "春晖社区联络点" in text and "王代表" in text and "隐代表" not in text


def test_a_missing_font_is_a_clear_error(mapped, settings):
    from lianxin.errors import NotAllowed

    settings.FINDER_POSTER_FONT = "/nonexistent/font.ttc"
    with pytest.raises(NotAllowed, match="中文字体"):
        posters.posters_pdf([mapped.station])


def test_a_missing_font_on_the_screen_is_a_message_not_an_error_page(mapped, client, settings):
    settings.FINDER_POSTER_FONT = "/nonexistent/font.ttc"
    client.force_login(mapped.station_staff)
    response = client.get("/work/finder/posters/s/donghu.pdf", follow=True)
    assert response.redirect_chain[-1][0] == "/work/finder/posters/"
    assert "fonts-wqy-zenhei" in response.content.decode()


def test_poster_downloads_are_for_staff_of_the_area_only(mapped, client):
    urls = ["/work/finder/posters/s/donghu.pdf", "/work/finder/posters/d/d-wang.pdf"]
    urls.append(f"/work/finder/posters/street/{mapped.street.pk}.pdf")
    for url in urls:
        assert client.get(url).status_code == 302  # to the login page
    for persona in ("outsider", "deputy_user", "unit_user", "auditor"):
        client.force_login(mapped.persona(persona))
        for url in urls:
            assert client.get(url).status_code == 404, (persona, url)
    client.force_login(mapped.station_staff)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
    assert client.get(f"/work/finder/posters/street/{mapped.other_street.pk}.pdf").status_code == 404
    assert client.get("/work/finder/posters/s/xishan.pdf").status_code == 404


@needs_poppler
def test_a_station_poster_says_the_reception_rule_not_a_date_that_goes_stale(mapped):
    from lianxin.organisation.enums import ReceptionRule

    station = mapped.station
    type(station).objects.filter(pk=station.pk).update(reception_rule=ReceptionRule.MONTHLY, reception_monthday=20)
    station.refresh_from_db()
    text = text_of(posters.posters_pdf([station]))
    assert "每月20日" in text
    assert "下次接待日" not in text and "年" not in text.split("每月20日")[1].split("\n")[0]
