"""The same text from the same source to the same place within a short window is one case, not two.

The key is a hash of the source (the phone number given, else the client address), the station, deputy
and grid codes, the title and the details. The intake looks it up in the shared cache (one lookup) and
stores it with the new case's tracking code in the intake's own write (lianxin/cases/intake.py).
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

from lianxin import privacy


def duplicate_key(
    *, phone: str, address: str, station_code: str, deputy_code: str, grid_code: str, title: str, details: str
) -> str | None:
    if not settings.INTAKE_DUPLICATE_SECONDS:
        return None
    source = privacy.normalise_phone(phone or "") or f"addr:{address}"
    body = "\x1f".join(
        [source, station_code or "", deputy_code or "", grid_code or "", (title or "").strip(), (details or "").strip()]
    )
    return "dup:" + hmac.new(settings.SECRET_KEY.encode(), body.encode(), hashlib.sha256).hexdigest()[:40]
