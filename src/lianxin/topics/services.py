"""The topics app's changes: the periodic hot-issue refresh (its own table), the office taking a month's hot issue up
as a supervised topic (每月一题), and the reply check the case loop calls (registered in apps.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin import validation
from lianxin.accounts.scopes import scope_of
from lianxin.audit.services import log_action
from lianxin.cases.models import Case
from lianxin.errors import NotAllowed, NotFound
from lianxin.organisation.models import Division
from lianxin.topics import conf, hot, replies
from lianxin.topics.models import HotTopic, MonthlyTopic, Period


def check_case_reply(case: Case, message: str) -> list[str]:
    """The reasons a unit's reply to `case` looks weak (lianxin.topics.replies), late against the handling limit."""
    return replies.check(
        title=case.title,
        details=case.details,
        reply=message,
        replied_at=case.replied_at,
        due_at=case.handle_due_at,
        limits=conf.reply_limits(),
    )


def _scopes(path: str) -> list[tuple[int, int]]:
    """(scope, place) pairs of a case: in a district's list the place is its street, in a street's its community
    (a case filed at the scope itself has the scope as its place)."""
    parts = [int(p) for p in (path or "").strip("/").split("/") if p]
    return [(scope, (parts[level + 1 : level + 2] or [scope])[0]) for level, scope in enumerate(parts[:2])]


def _matters(start: dt.datetime, end: dt.datetime) -> dict[int, list[hot.Matter]]:
    names = dict(Division.objects.values_list("pk", "name"))
    rows = (
        Case.objects.filter(created_at__gte=start, created_at__lt=end, spam=False, merged_into__isnull=True)
        .order_by("-created_at")
        .values_list("pk", "title", "details", "created_at", "contact_phone_hash", "supporters", "division__path")
    )
    by_scope: dict[int, list[hot.Matter]] = {}
    for pk, title, details, created_at, phone_hash, supporters, path in rows.iterator(chunk_size=2000):
        for scope, place in _scopes(path):
            matters = by_scope.setdefault(scope, [])
            if len(matters) < conf.hot_max_matters():
                matters.append(hot.Matter(pk, title, details, created_at, phone_hash, supporters, names.get(place, "")))
    return by_scope


def _rows(groups: list[hot.Group], *, scope: int, period: str, month, now) -> list[HotTopic]:
    return [
        HotTopic(
            computed_at=now,
            scope_id=scope,
            period=period,
            month=month,
            rank=rank,
            place=group.place[:100],
            what=group.what[:60],
            cases=len(group.members),
            citizens=group.citizens,
            supporters=group.supporters,
            heat=round(group.heat, 3),
            first_at=group.first_at,
            last_at=group.last_at,
            case_ids=[m.key for m in group.members][:500],
            titles=group.titles,
        )
        for rank, group in enumerate(groups, start=1)
    ]


def refresh_hot_topics(now: dt.datetime | None = None) -> int:
    """Periodic (django-q schedule `topics.refresh_hot_topics`): recompute the hot issues of the last
    TOPICS_HOT_DAYS and of the last full month (每月一题) for every district and street, replacing the previous
    rows in one transaction. Returns the number of rows."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    this_month = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    rows: list[HotTopic] = []
    for period, start, end, as_of, month in (
        (Period.RECENT, now - dt.timedelta(days=conf.hot_days()), now, now, None),
        (Period.MONTH, last_month, this_month, this_month, last_month.date()),
    ):
        for scope, matters in _matters(start, end).items():
            groups = hot.hot_issues(
                matters,
                now=as_of,
                half_life_days=conf.hot_half_life_days(),
                similarity=conf.hot_similarity(),
                limit=conf.hot_size(),
            )
            rows += _rows(groups, scope=scope, period=period, month=month, now=now)
    with transaction.atomic():
        HotTopic.objects.all().delete()
        HotTopic.objects.bulk_create(rows, batch_size=500)
    return len(rows)


@transaction.atomic
def monthly_topic_take_up(*, actor, topic_id: Any, note: Any = "") -> MonthlyTopic:
    """The office turns a month's hot issue into a supervised topic (每月一题)."""
    number = validation.integer(topic_id, field="topic", label=_("议题"), minimum=1)
    note = validation.text(note, field="note", label=_("督办说明"), required=False, max_length=2000, multiline=True)
    topic = HotTopic.objects.filter(pk=number, period=Period.MONTH).first()
    division = Division.objects.filter(pk=topic.scope_id).first() if topic else None
    if division is None or not scope_of(actor, "office").covers(division):
        raise NotFound(_("没有找到这个议题。"))
    try:
        with transaction.atomic():
            taken = MonthlyTopic.objects.create(
                scope_id=topic.scope_id,
                month=topic.month,
                label=topic.label[:200],
                case_ids=topic.case_ids,
                heat=topic.heat,
                note=note,
                created_by=actor,
            )
    except IntegrityError as error:
        raise NotAllowed(_("这个议题已列为每月一题。")) from error
    log_action(
        actor=actor,
        actor_role="office",
        action="topics.monthly_taken_up",
        subject_type="monthly_topic",
        subject_id=taken.pk,
        message=taken.label,
        data={"month": f"{taken.month:%Y-%m}", "cases": len(taken.case_ids), "heat": taken.heat},
    )
    return taken
