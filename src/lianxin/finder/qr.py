"""QR codes of stations, deputies and grids: the absolute public URL (/s/, /d/, /g/) as SVG or PNG."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.urls import reverse

KINDS = {"s": "cases:report_station", "d": "cases:report_deputy", "g": "finder:grid"}


def public_url(kind: str, code: str) -> str:
    """The URL a code stands for, e.g. https://lianxin.example.gov.cn/s/donghu (used for check-in too)."""
    return settings.SITE_URL + reverse(KINDS[kind], args=[code])


def qr_svg(url: str, *, scale: int = 4) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="svg", scale=scale, border=2, xmldecl=True)
    return out.getvalue()


def qr_png(url: str, *, scale: int = 8) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=scale, border=2)
    return out.getvalue()
