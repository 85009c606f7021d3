"""iCalendar (RFC 5545) feeds of duty shifts, written by hand: a few VEVENTs need no extra package.

Lines end in CRLF and are folded at 75 octets (never inside a UTF-8 character); times are in UTC ("Z").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone

from lianxin.duty.models import DutyShift
from lianxin.duty.selectors import public_name


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets, continuation lines starting with a space."""
    out: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(*, name: str, shifts: Iterable[DutyShift], with_names: bool = True) -> str:
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "lianxin"
    stamp = _utc(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Lianxin//Duty roster//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
        "X-WR-TIMEZONE:Asia/Shanghai",
    ]
    for shift in shifts:
        who = public_name(shift.deputy) if with_names else ""
        summary = f"{shift.station.name} 代表值班接待" + (f"（{who}）" if who else "")
        lines += [
            "BEGIN:VEVENT",
            f"UID:duty-{shift.pk}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(shift.starts_at)}",
            f"DTEND:{_utc(shift.ends_at)}",
            f"SUMMARY:{escape(summary)}",
            f"LOCATION:{escape(shift.station.address or shift.station.name)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
