"""Builders for the voters tests: real rows through the services (no mocks)."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from lianxin.voters import report_services, services
from lianxin.voters.models import VoterContact


def pair(district, n: int = 1, *, deputy=None, actor=None, start: int = 0):
    deputy = deputy or district.deputy
    actor = actor or district.deputy_user
    return [
        services.household_pair(
            actor=actor,
            deputy_id=deputy.pk,
            grid_id=district.grid.pk,
            address=f"东湖街道春晖路{i + 1}号3栋301",
            head_name=f"张{'三四五六七八九十'[i % 8]}",
            head_phone=f"1381234{i:04d}",
        )
        for i in range(start, start + n)
    ]


def add_contacts(deputy, days: list[dt.date], household=None) -> list[VoterContact]:
    """Many contact rows quickly (bulk): the sampling tests need volume, not the recording service."""
    return VoterContact.objects.bulk_create(
        [
            VoterContact(deputy=deputy, household=household, contacted_on=day, way="visit", summary="入户走访")
            for day in days
        ]
    )


def last_month() -> dt.date:
    first = timezone.localdate().replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


def days_in(month: dt.date, n: int) -> list[dt.date]:
    return [month + dt.timedelta(days=i % 28) for i in range(n)]


def open_report(district, *, closes_in=dt.timedelta(days=7), text="本人一年来履职情况如下……"):
    report = report_services.report_schedule(
        actor=district.office,
        deputy_id=district.deputy.pk,
        title="王代表年度述职",
        held_on=timezone.localdate(),
        place="东湖街道代表联络站",
        rating_closes_at=timezone.now() + closes_in,
    )
    return report_services.report_publish(actor=district.office, report_id=report.pk, text=text)


CODE_RE = re.compile(r"验证码为 (\d{6})")


def sent_code(caplog) -> str:
    """The code as the voter reads it: from the message the (console) SMS channel delivered."""
    codes = [m.group(1) for r in caplog.records if (m := CODE_RE.search(r.getMessage()))]
    assert codes, "no rating code was sent"
    return codes[-1]


def send_code(report, phone, caplog, capture) -> str:
    """Ask for a code like the voter does and read it from the delivered SMS (console channel)."""
    import logging

    caplog.clear()
    with caplog.at_level(logging.INFO, logger="lianxin.notifications"), capture(execute=True):
        report_services.rating_code_send(report_id=report.pk, phone=phone)
    return sent_code(caplog)


def rate(report, phone, caplog, capture, *, rating="satisfied", comment="", name=""):
    code = send_code(report, phone, caplog, capture)
    return report_services.rating_submit(
        report_id=report.pk, phone=phone, code=code, rating=rating, comment=comment, name=name, consent=True
    )
