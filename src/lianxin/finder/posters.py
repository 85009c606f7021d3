"""A4 posters (PDF) of stations and deputies: name, photo, QR code, reception days, a one-line invitation.

reportlab embeds a TrueType CJK font (Debian fonts-wqy-zenhei; OTF/CFF fonts such as Noto CJK cannot be
embedded by reportlab). The QR code is drawn as vector squares from segno's matrix, crisp at any size.
"""

from __future__ import annotations

import hashlib
import io
import os

import segno
from django.utils.translation import gettext as _
from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from lianxin.errors import NotAllowed
from lianxin.finder import conf
from lianxin.finder.qr import public_url
from lianxin.finder.selectors import publication_of, reception_text
from lianxin.organisation.models import Deputy, Station

FONT = "LianxinCJK"
RED = HexColor("#b71c1c")
GREY = HexColor("#555555")
WIDTH, HEIGHT = A4
MARGIN = 18 * mm


def _font() -> str:
    """Register the configured font once (under a name of its path) and make it the posters' font."""
    global FONT
    path = conf.poster_font_path()
    name = "LianxinCJK-" + hashlib.sha256(path.encode()).hexdigest()[:10]
    if name in pdfmetrics.getRegisteredFontNames():
        FONT = name
        return FONT
    if not os.path.exists(path):
        raise NotAllowed(
            _("服务器未安装海报所需的中文字体（%(path)s），请联系管理员安装 fonts-wqy-zenhei。") % {"path": path},
            code="font_missing",
        )
    kwargs = {"subfontIndex": 0} if path.lower().endswith(".ttc") else {}
    pdfmetrics.registerFont(TTFont(name, path, **kwargs))
    FONT = name
    return FONT


def _wrap(text: str, size: float, width: float) -> list[str]:
    """Break Chinese text by width (characters, no spaces needed)."""
    lines, line = [], ""
    for char in text:
        if char == "\n":
            lines.append(line)
            line = ""
            continue
        if pdfmetrics.stringWidth(line + char, FONT, size) > width and line:
            lines.append(line)
            line = char
        else:
            line += char
    if line:
        lines.append(line)
    return lines


def _centred(canvas: Canvas, text: str, y: float, size: float, color=None, max_lines: int = 2) -> float:
    """Draw centred, wrapped text from baseline y downwards; returns the y below it."""
    canvas.setFont(FONT, size)
    canvas.setFillColor(color or HexColor("#000000"))
    for line in _wrap(text, size, WIDTH - 2 * MARGIN)[:max_lines]:
        canvas.drawCentredString(WIDTH / 2, y, line)
        y -= size * 1.35
    return y


def _qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    """The QR code of `url` as black squares in a size × size box whose lower-left corner is (x, y)."""
    code = segno.make(url, error="m", micro=False)
    matrix = code.matrix
    border = 2
    count = len(matrix) + 2 * border
    cell = size / count
    canvas.setFillColor(white)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColor(HexColor("#000000"))
    for row_index, row in enumerate(matrix):
        top = y + size - (row_index + border + 1) * cell
        for col_index, dark in enumerate(row):
            if dark:
                canvas.rect(x + (col_index + border) * cell, top, cell + 0.05, cell + 0.05, stroke=0, fill=1)


def _header(canvas: Canvas, title: str, subtitle: str) -> None:
    canvas.setFillColor(RED)
    canvas.rect(0, HEIGHT - 58 * mm, WIDTH, 58 * mm, stroke=0, fill=1)
    _centred(canvas, title, HEIGHT - 28 * mm, 30, white, max_lines=1)
    if subtitle:
        _centred(canvas, subtitle, HEIGHT - 44 * mm, 15, white, max_lines=1)


def _footer(canvas: Canvas, url: str) -> None:
    canvas.setFont(FONT, 10)
    canvas.setFillColor(GREY)
    canvas.drawCentredString(WIDTH / 2, 14 * mm, url)
    canvas.drawCentredString(WIDTH / 2, 20 * mm, _("连心 · 人大代表联络站"))


def station_page(canvas: Canvas, station: Station) -> None:
    url = public_url("s", station.code)
    _header(canvas, station.name, station.get_kind_display())
    qr_size = 95 * mm
    qr_top = HEIGHT - 68 * mm
    _qr(canvas, url, (WIDTH - qr_size) / 2, qr_top - qr_size, qr_size)
    y = qr_top - qr_size - 14 * mm
    y = _centred(canvas, _("有事找代表，扫一扫说给代表听，24 小时内回应"), y, 18, RED)
    y -= 4 * mm
    # The rule ("每月20日…"), never the next date: a poster stays on the wall for months.
    if reception := reception_text(station):
        y = _centred(canvas, reception, y, 16)
    for text in (station.address, station.opening_hours and _("开放时间：") + station.opening_hours):
        if text:
            y = _centred(canvas, text, y, 13, GREY)
    if station.phone:
        _centred(canvas, _("联系电话：") + station.phone, y, 13, GREY)
    _footer(canvas, url)


def deputy_page(canvas: Canvas, deputy: Deputy) -> None:
    """A deputy's poster; only what the deputy agreed to publish (photo, levels, stations' reception days)."""
    shown = publication_of(deputy)
    url = public_url("d", deputy.code)
    levels = "、".join(m.get_level_display() for m in deputy.mandates.all()) if shown["show_levels"] else ""
    _header(canvas, _("%(name)s 代表") % {"name": deputy.name}, levels or _("人大代表"))
    top = HEIGHT - 68 * mm
    qr_size = 80 * mm
    if shown["show_photo"] and deputy.photo:
        photo_w, photo_h = 45 * mm, 60 * mm
        try:
            with deputy.photo.open("rb") as handle:
                image = ImageReader(io.BytesIO(handle.read()))
            canvas.drawImage(image, MARGIN + 5 * mm, top - photo_h, photo_w, photo_h, preserveAspectRatio=True)
            qr_x = WIDTH - MARGIN - 5 * mm - qr_size
        except (OSError, ValueError):
            qr_x = (WIDTH - qr_size) / 2
    else:
        qr_x = (WIDTH - qr_size) / 2
    _qr(canvas, url, qr_x, top - qr_size, qr_size)
    y = top - qr_size - 14 * mm
    y = _centred(canvas, _("有事找TA，扫一扫直接告诉代表，24 小时内回应"), y, 18, RED)
    y -= 4 * mm
    if shown["show_sector"] and deputy.sector:
        y = _centred(canvas, _("界别/行业：") + deputy.sector, y, 14, GREY)
    if shown["show_stations"] or shown["show_duty_days"]:
        for station in deputy.stations.filter(active=True).order_by("code")[:4]:
            text = station.name if shown["show_stations"] else _("所在联络站")
            if shown["show_duty_days"] and reception_text(station):
                text += "：" + reception_text(station)
            y = _centred(canvas, text, y, 13, GREY, max_lines=1)
    _footer(canvas, url)


def posters_pdf(items: list[Station | Deputy], *, title: str = "") -> bytes:
    """One A4 page per station or deputy, in the order given."""
    _font()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
    canvas.setTitle(title or _("联络站和代表海报"))
    canvas.setAuthor(_("连心"))
    for item in items:
        if isinstance(item, Station):
            station_page(canvas, item)
        else:
            deputy_page(canvas, item)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def street_items(street) -> list[Station | Deputy]:
    """The posters of a street: its active stations, then the public deputies of those stations (up to the
    limit `FINDER_POSTERS_MAX`)."""
    stations = list(Station.objects.filter(active=True, division__path__startswith=street.path).order_by("code"))
    deputies = list(
        Deputy.objects.filter(active=True, public=True, stations__in=stations)
        .distinct()
        .select_related("publication")
        .prefetch_related("mandates")
        .order_by("code")
    )
    return [*stations, *deputies][: conf.posters_max()]
