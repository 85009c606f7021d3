"""Find a TrueType CJK font that reportlab can embed (it cannot embed CFF/OpenType fonts such as Noto CJK).

Debian: `apt-get install fonts-wqy-zenhei` (or fonts-wqy-microhei, fonts-arphic-uming). The setting
LIANXIN_CJK_FONT (Django setting CJK_FONT_PATH) names a .ttf/.ttc to use instead.
"""

from __future__ import annotations

import os
from functools import lru_cache

from django.conf import settings
from django.utils.translation import gettext as _

CANDIDATES = [
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/arphic/ukai.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "C:/Windows/Fonts/simhei.ttf",
]
FONT_NAME = "LianxinCJK"


class FontMissing(RuntimeError):
    pass


def font_path() -> str | None:
    configured = settings.CJK_FONT_PATH
    for path in [configured, *CANDIDATES]:
        if path and os.path.isfile(path):
            return path
    return None


@lru_cache(maxsize=1)
def register_cjk_font() -> str:
    """Register the font with reportlab once and return its name; FontMissing names the package to install."""
    from reportlab.pdfbase import pdfmetrics  # noqa: PLC0415 — reportlab is heavy and only the PDF report needs it
    from reportlab.pdfbase.ttfonts import TTFont  # noqa: PLC0415 — reportlab is heavy and only the PDF report needs it

    path = font_path()
    if path is None:
        raise FontMissing(
            _("找不到可嵌入的中文 TrueType 字体：请安装 fonts-wqy-zenhei（Debian/Ubuntu）或设置 LIANXIN_CJK_FONT。")
        )
    kwargs = {"subfontIndex": 0} if path.lower().endswith(".ttc") else {}
    pdfmetrics.registerFont(TTFont(FONT_NAME, path, **kwargs))
    return FONT_NAME


# Characters a CJK TrueType font often lacks, and what stands in for them (wqy-zenhei has no U+2212 minus sign:
# reportlab would draw nothing, and "受理件数 − 未回应件数" would lose its operator).
SUBSTITUTES = {"\u2212": "-", "\u2009": " ", "\u202f": " "}


@lru_cache(maxsize=1)
def _missing() -> dict[str, str]:
    from reportlab.pdfbase import pdfmetrics  # noqa: PLC0415 — reportlab is heavy and only the PDF report needs it

    glyphs = pdfmetrics.getFont(register_cjk_font()).face.charToGlyph
    return {char: stand_in for char, stand_in in SUBSTITUTES.items() if ord(char) not in glyphs}


def pdf_text(text) -> str:
    """`text` with every character the embedded font cannot draw replaced by one it can."""
    text = str(text)
    for char, stand_in in _missing().items():
        text = text.replace(char, stand_in)
    return text
