"""Points (履职积分): the scan that derives entries from evidence, recomputation, manual entries, approvals,
contests, the publication switch and rule versions. One function per state change, keyword-only arguments,
the actor passed explicitly, one transaction and one audit entry each."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.selectors import user_deputy
from lianxin.audit.services import log_action
from lianxin.errors import NotAllowed, NotFound
from lianxin.points import conf, rules, validation
from lianxin.points.enums import AUTOMATIC_ACTIVITIES, Activity, ContestState, EntryState, Period
from lianxin.points.models import PointsContest, PointsEntry, PointsPublication, PointsRule
from lianxin.points.sources import FINDERS
from lianxin.points.validation import Errors


def _log(actor, action: str, subject_type: str, subject_id, **data) -> None:
    log_action(
        actor=actor,
        actor_role="office" if actor is not None and rules.is_office(actor) else ("deputy" if actor else "system"),
        action=f"points.{action}",
        subject_type=subject_type,
        subject_id=subject_id,
        data={k: str(v) if not isinstance(v, (int, bool, type(None), dict, list)) else v for k, v in data.items()},
    )


def active_rules() -> dict[str, PointsRule]:
    return {rule.activity: rule for rule in PointsRule.objects.filter(active=True)}


# --- the scan: evidence -> entries --------------------------------------------------------------------------


def _scan(since: dt.date | None) -> Counter:
    added: Counter = Counter()
    for activity, rule in active_rules().items():
        finder = FINDERS.get(activity)
        if finder is None:
            continue
        evidence = list(finder(since))
        if not evidence:
            continue
        earliest = min(item.occurred_on for item in evidence)
        existing = PointsEntry.objects.filter(activity=activity, occurred_on__gte=earliest)
        seen = set(existing.values_list("deputy_id", "evidence_type", "evidence_id"))
        state = EntryState.PENDING if rule.needs_approval else EntryState.COUNTED
        new = []
        for item in evidence:
            key = (item.deputy_id, item.evidence_type, item.evidence_id)
            if key in seen:
                continue
            seen.add(key)
            new.append(
                PointsEntry(
                    deputy_id=item.deputy_id,
                    rule=rule,
                    activity=activity,
                    points=rule.points,
                    occurred_on=item.occurred_on,
                    evidence_type=item.evidence_type,
                    evidence_id=item.evidence_id,
                    evidence_label=item.label[:200],
                    state=state,
                )
            )
        # An entry written meanwhile by a concurrent scan is skipped by the unique constraint.
        PointsEntry.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
        if new:
            added[activity] = len(new)
    return added


@transaction.atomic
def points_scan(*, actor=None, since: dt.date | None = None) -> dict[str, int]:
    """Add an entry for every piece of evidence that has none yet (the hourly job). Idempotent."""
    if since is None:
        since = timezone.localdate() - dt.timedelta(days=conf.scan_days())
    added = _scan(since)
    if added:
        _log(actor, "scanned", "points", None, since=since.isoformat(), added=dict(added))
    return dict(added)


def _decided(entries):
    """Entries a person has decided on (approved, rejected, contested): recomputation keeps them."""
    return entries.filter(decided_by__isnull=False) | entries.filter(contests__isnull=False)


@transaction.atomic
def points_recompute(*, actor=None) -> dict[str, int]:
    """Rebuild the automatic ledger from scratch: drop every automatic entry nobody has decided on, scan all history.

    Entries a person decided on (approved, rejected or contested) stay as they are, so the result equals the
    ledger built up hour by hour."""
    automatic = PointsEntry.objects.filter(activity__in=AUTOMATIC_ACTIVITIES)
    earliest = automatic.aggregate(first=Min("occurred_on"))["first"]
    window = timezone.localdate() - dt.timedelta(days=conf.scan_days())
    since = min(earliest, window) if earliest else window
    keep = set(_decided(automatic).values_list("pk", flat=True))
    removed, _detail = automatic.exclude(pk__in=keep).delete()
    added = _scan(since)
    _log(actor, "recomputed", "points", None, removed=removed, added=dict(added), since=since.isoformat())
    return dict(added)


# --- manual entries and approvals ---------------------------------------------------------------------------


@transaction.atomic
def entry_add_manual(*, actor, deputy_id, points, occurred_on, reason) -> PointsEntry:
    """The office adds or deducts points by hand, with a reason (counted at once, listed with the reason)."""
    deputy = rules.office_deputies(actor).filter(pk=_int(deputy_id)).first()
    if deputy is None:
        raise NotFound(_("找不到该代表。"))
    errors = Errors()
    limit = conf.manual_points_max()
    value = validation.number(points, errors, "points", _("分值"), low=-limit, high=limit)
    if value is not None and value == 0:
        errors.add("points", _("分值不能为 0。"))
    day = validation.date(occurred_on, errors, "occurred_on", _("日期"))
    if day is not None and day > timezone.localdate():
        errors.add("occurred_on", _("日期不能晚于今天。"))
    text = validation.text(reason, errors, "reason", _("理由"), limit=conf.reason_max())
    errors.raise_any()
    entry = PointsEntry.objects.create(
        deputy=deputy,
        activity=Activity.MANUAL,
        points=value,
        occurred_on=day,
        evidence_type="manual",
        evidence_label="人大办录入",
        reason=text,
        created_by=actor,
        decided_by=actor,
        decided_at=timezone.now(),
    )
    _log(actor, "manual_added", "points_entry", entry.pk, deputy=deputy.pk, points=str(value), reason=text)
    return entry


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _office_entry(actor, entry_id) -> PointsEntry:
    entry = (
        PointsEntry.objects.select_for_update()
        .filter(pk=_int(entry_id), deputy__in=rules.office_deputies(actor))
        .first()
    )
    if entry is None:
        raise NotFound(_("找不到该积分记录。"))
    return entry


@transaction.atomic
def entry_decide(*, actor, entry_id, approve: bool, note: str = "") -> PointsEntry:
    """The office approves or rejects an entry whose rule needs approval."""
    entry = _office_entry(actor, entry_id)
    if entry.state != EntryState.PENDING:
        raise NotAllowed(_("该记录不在待审核状态。"))
    errors = Errors()
    note = validation.text(note, errors, "note", _("审核意见"), limit=conf.reason_max(), required=not approve)
    errors.raise_any()
    entry.state = EntryState.COUNTED if approve else EntryState.REJECTED
    entry.decided_by, entry.decided_at, entry.decision_note = actor, timezone.now(), note
    entry.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    _log(actor, "approved" if approve else "rejected", "points_entry", entry.pk, note=note)
    return entry


# --- contests (异议) ------------------------------------------------------------------------------------------


@transaction.atomic
def entry_contest(*, actor, entry_id, reason) -> PointsContest:
    """A deputy objects to one of their own entries, with a reason. One open objection per entry."""

    own = user_deputy(actor)
    entry = None
    if own is not None:
        entry = PointsEntry.objects.select_for_update().filter(pk=_int(entry_id), deputy=own).first()
    if entry is None:
        raise NotFound(_("找不到该积分记录。"))
    if entry.state in (EntryState.VOIDED, EntryState.REJECTED):
        raise NotAllowed(_("该记录已不计分，无需提出异议。"))
    if entry.contests.filter(state=ContestState.PENDING).exists():
        raise NotAllowed(_("该记录已有待处理的异议。"))
    errors = Errors()
    text = validation.text(reason, errors, "reason", _("异议理由"), limit=conf.reason_max())
    errors.raise_any()
    try:
        with transaction.atomic():
            contest = PointsContest.objects.create(entry=entry, reason=text, raised_by=actor)
    except IntegrityError:
        raise NotAllowed(_("该记录已有待处理的异议。")) from None
    _log(actor, "contested", "points_entry", entry.pk, contest=contest.pk, reason=text)
    return contest


@transaction.atomic
def contest_decide(*, actor, contest_id, uphold: bool, note) -> PointsContest:
    """The office decides an objection: upheld voids the entry (it no longer counts), dismissed keeps it."""
    contest = (
        PointsContest.objects.select_for_update()
        .select_related("entry")
        .filter(pk=_int(contest_id), entry__deputy__in=rules.office_deputies(actor))
        .first()
    )
    if contest is None:
        raise NotFound(_("找不到该异议。"))
    if contest.state != ContestState.PENDING:
        raise NotAllowed(_("该异议已处理。"))
    errors = Errors()
    note = validation.text(note, errors, "note", _("处理意见"), limit=conf.reason_max())
    errors.raise_any()
    now = timezone.now()
    contest.state = ContestState.UPHELD if uphold else ContestState.DISMISSED
    contest.decided_by, contest.decided_at, contest.decision_note = actor, now, note
    contest.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    entry = contest.entry
    if uphold:
        entry.state = EntryState.VOIDED
        entry.decided_by, entry.decided_at, entry.decision_note = actor, now, note
        entry.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    _log(actor, "contest_upheld" if uphold else "contest_dismissed", "points_entry", entry.pk, contest=contest.pk)
    return contest


# --- publication and rules ----------------------------------------------------------------------------------


@transaction.atomic
def period_publish(*, actor, year, quarter, published: bool) -> PointsPublication:
    """Switch the publication of a quarter's (1–4) or the year's (0) table on or off (office only)."""
    if not rules.is_office(actor):
        raise NotAllowed(_("只有人大办可以公布积分。"))
    errors = Errors()
    year = validation.year(year, errors)
    quarter = validation.quarter(quarter, errors)
    errors.raise_any()
    if not isinstance(published, bool):
        raise validation.InvalidInput(_("公布状态须为是或否。"), fields={"published": [_("须为 true 或 false。")]})
    row, _created = PointsPublication.objects.select_for_update().get_or_create(year=year, quarter=quarter)
    row.published = published
    row.published_at = timezone.now() if published else None
    row.published_by = actor if published else None
    row.save()
    _log(actor, "published" if published else "unpublished", "points_period", None, year=year, quarter=quarter)
    return row


@transaction.atomic
def rule_change(
    *, actor, activity, points, cap=None, cap_period=Period.YEAR, needs_approval=False, note=""
) -> PointsRule:
    """A new version of an activity's rule; the old version stays on the entries scored with it."""
    if not rules.is_office(actor):
        raise NotAllowed(_("只有人大办可以修改积分规则。"))
    errors = Errors()
    if activity not in AUTOMATIC_ACTIVITIES:
        errors.add("activity", _("没有这种履职活动。"))
    value = validation.number(points, errors, "points", _("分值"), low=-100, high=100)
    limit = None
    if cap not in (None, ""):
        limit = validation.number(cap, errors, "cap", _("上限"), low=0, high=10000)
    if cap_period not in Period.values:
        errors.add("cap_period", _("上限周期须为季度或年度。"))
    if not isinstance(needs_approval, bool):
        errors.add("needs_approval", _("须为是或否。"))
    note = validation.text(note, errors, "note", _("说明"), limit=200, required=False)
    errors.raise_any()
    current = PointsRule.objects.select_for_update().filter(activity=activity).order_by("-version").first()
    PointsRule.objects.filter(activity=activity, active=True).update(active=False)
    rule = PointsRule.objects.create(
        activity=activity,
        version=(current.version + 1) if current else 1,
        points=value,
        cap=limit,
        cap_period=cap_period,
        needs_approval=needs_approval,
        note=note,
        created_by=actor,
    )
    _log(actor, "rule_changed", "points_rule", rule.pk, activity=activity, version=rule.version, points=str(value))
    return rule
