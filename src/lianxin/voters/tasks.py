"""Thin tasks of the voters area: ids in, re-fetch, call the domain. Sync in tests (django-q2).

Schedules (migration 0002_schedules): the monthly call-back sample on the 1st, the report results hourly.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone

from lianxin import privacy
from lianxin.errors import NotAllowed
from lianxin.notifications.services import send_now, to_citizen
from lianxin.voters import conf
from lianxin.voters.enums import ReportStatus
from lianxin.voters.models import RatingCode, ReportRating, SampleDraw, VoterReport
from lianxin.voters.report_services import report_result_publish
from lianxin.voters.services import contact_sample_draw, month_start

logger = logging.getLogger("lianxin.voters")


def monthly_seed(month: dt.date) -> int:
    """The seed of the scheduled draw is the month itself (e.g. 202603), so anyone can re-run the draw."""
    return month.year * 100 + month.month


def draw_monthly_sample(today=None) -> int | None:
    """Draw last month's call-back sample, once. Returns the draw id, or None if there was nothing to do."""
    today = today or timezone.localdate()
    month = month_start(month_start(today) - dt.timedelta(days=1))
    if SampleDraw.objects.filter(month=month, drawn_by__isnull=True).exists():
        return None
    try:
        return contact_sample_draw(actor=None, month=month, seed=monthly_seed(month)).pk
    except NotAllowed:
        return None


def publish_due_results(now=None) -> list[int]:
    """Publish the result of every report whose rating deadline has passed."""
    now = now or timezone.now()
    done = []
    for report_id in VoterReport.objects.filter(status=ReportStatus.PUBLISHED, rating_closes_at__lte=now).values_list(
        "pk", flat=True
    ):
        try:
            report_result_publish(actor=None, report_id=report_id, now=now)
        except NotAllowed:
            continue
        done.append(report_id)
    return done


def send_rating_code(record_id: int) -> bool:
    """Hand the code to the citizen channel (SMS gateway, or the log in development); then forget it."""
    record = RatingCode.objects.filter(pk=record_id, used_at__isnull=True).exclude(code_enc="").first()
    if record is None:
        return False
    code = privacy.decrypt(record.code_enc)
    body = f"【连心】您的述职评议验证码为 {code}，{_minutes(record)} 分钟内有效。请勿告诉他人。"
    try:
        # sent at once, never stored in the outbox: the code is a secret
        send_now(to_citizen(record.phone_enc), event="voters.rating_code", body=body)
    except Exception:  # the voter asks for a new code; the failure is logged
        logger.exception("rating code %s not sent", record_id)
        return False
    RatingCode.objects.filter(pk=record.pk).update(code_enc="")
    return True


def _minutes(record: RatingCode) -> int:
    return max(1, round((record.expires_at - record.created_at).total_seconds() / 60))


def purge_personal_data(now=None) -> int:
    """Retention: a year (setting) after a result is published, drop the voters' encrypted phone and name
    (the keyed hash stays so the one-per-phone rule still holds); codes older than a day go entirely."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=conf.rating_retention_days())
    cleared = (
        ReportRating.objects.filter(report__result_published_at__lt=cutoff)
        .exclude(phone_enc="", name_enc="")
        .update(phone_enc="", name_enc="")
    )
    RatingCode.objects.filter(created_at__lt=now - dt.timedelta(days=1)).delete()
    return cleared
