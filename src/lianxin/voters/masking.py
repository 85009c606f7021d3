"""Address masking for households: keep the road (or the text before the house number), hide the rest.

domain.md section 9: addresses are shown "down to the street" in every list and export.
"""

from __future__ import annotations

import re

# Markers that end a road or village name; the longest match wins at each position.
_ROAD_MARKERS = ("大道", "胡同", "街道", "路", "街", "巷", "弄", "道", "村", "镇", "乡")
_DIGIT = re.compile(r"[0-9０-９一二三四五六七八九十]+[号弄栋幢楼室单元]")
MASK = "****"


def mask_address(value: str) -> str:
    """ "东湖街道春晖路12号3栋301" → "东湖街道春晖路****"; without a road marker keep at most 4 characters."""
    value = (value or "").strip()
    if not value:
        return ""
    cut = re.search(r"[0-9０-９]", value)
    number = _DIGIT.search(value)
    end = min(m.start() for m in (cut, number) if m) if (cut or number) else len(value)
    prefix = value[:end]
    last = -1
    for marker in _ROAD_MARKERS:
        position = prefix.rfind(marker)
        if position >= 0:
            last = max(last, position + len(marker))
    kept = prefix[:last] if last > 0 else prefix[:4]
    if kept == value:
        kept = value[: max(len(value) // 2, 1)]
    return kept + MASK
