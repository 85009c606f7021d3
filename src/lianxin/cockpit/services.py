"""Changes the cockpit makes: asking for a monthly report (the files are made by a background task)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django_q.tasks import async_task

from lianxin.audit.services import log_action
from lianxin.cockpit.models import Report, ReportState
from lianxin.cockpit.periods import today
from lianxin.cockpit.rules import scope_for_actor
from lianxin.errors import InvalidInput, NotAllowed


def parse_month(value) -> dt.date:
    text = str(value or "").strip()
    try:
        year, month = text.split("-")
        if len(year) != 4 or len(month) != 2:
            raise ValueError
        day = dt.date(int(year), int(month), 1)
    except ValueError:
        raise InvalidInput(_("月份格式不正确，应为 YYYY-MM。"), fields={"month": [_("格式应为 YYYY-MM")]}) from None
    if day > today() or day.year < 2000:
        raise InvalidInput(_("只能生成 2000 年以来、本月及以前的报告。"), fields={"month": [_("月份超出范围")]})
    return day


@transaction.atomic
def report_request(*, actor, division_id, month, language: str | None = None) -> Report:
    """Queue the monthly report of a division the actor may see, written in `language` (the active language, the
    requester's, by default); a second request while one is pending for the same division, month and language
    returns that one."""
    scope = scope_for_actor(actor, division_id)
    first = parse_month(month)
    language = report_language(language)
    pending = Report.objects.filter(
        division=scope.division,
        month=first,
        language=language,
        state__in=[ReportState.PENDING, ReportState.RUNNING],
    ).first()
    if pending is not None:
        return pending
    if Report.objects.filter(requested_by=actor, state=ReportState.PENDING).count() >= 5:
        raise NotAllowed(_("排队中的报告过多，请稍后再试。"))
    report = Report.objects.create(division=scope.division, month=first, requested_by=actor, language=language)
    log_action(
        actor=actor,
        action="cockpit.report_requested",
        subject_type="cockpit_report",
        subject_id=report.pk,
        data={"division": scope.division.pk, "month": first.strftime("%Y-%m"), "language": language},
    )
    report_id = report.pk
    transaction.on_commit(lambda: _enqueue(report_id))
    return report


def report_language(language: str | None) -> str:
    """The language code a report is written in: one of settings.LANGUAGES ("en-us" is "en"); none given is the
    active language; another is refused."""
    try:
        return translation.get_supported_language_variant(
            language or translation.get_language() or settings.LANGUAGE_CODE
        )
    except LookupError:
        raise InvalidInput(_("不支持这种语言。"), fields={"language": [_("不支持这种语言")]}) from None


def _enqueue(report_id: int) -> None:

    async_task("lianxin.cockpit.tasks.generate_report", report_id)
