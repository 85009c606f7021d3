"""The optional ?from= and ?to= dates of a work list (either may be empty), read the same way everywhere."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _


def date_range(params, *, otherwise: str) -> tuple[dt.date | None, dt.date | None, str]:
    """(start, end, message): bad or reversed dates give (None, None) and a sentence ending with `otherwise`
    (what the page shows instead)."""
    try:
        start = dt.date.fromisoformat(params["from"].strip()) if params.get("from") else None
        end = dt.date.fromisoformat(params["to"].strip()) if params.get("to") else None
    except ValueError:
        return None, None, _("日期格式不正确（应为 2026-01-01 这样的格式），%(otherwise)s。") % {"otherwise": otherwise}
    if start and end and start > end:
        return None, None, _("开始日期不能晚于结束日期，%(otherwise)s。") % {"otherwise": otherwise}
    return start, end, ""
