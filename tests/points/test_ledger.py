"""The ledger: caps per period, versioned rules, approvals, manual entries, contests, publication, recomputation."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from lianxin.audit.models import AuditEntry
from lianxin.errors import InvalidInput, NotAllowed, NotFound
from lianxin.points import rules
from lianxin.points import selectors as points_selectors
from lianxin.points import services as points_services
from lianxin.points.enums import Activity, ContestState, EntryState
from lianxin.points.models import PointsContest, PointsEntry, PointsRule
from lianxin.points.services import points_scan
from lianxin.suggestions.models import Suggestion
from tests.points.helpers import acknowledged_case, shift, verified_contact

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def _day(month: int, day: int = 10) -> dt.date:
    return dt.date(YEAR, month, day)


def _totals(deputy):
    return points_selectors.deputy_totals(deputy, year=YEAR)


def test_a_yearly_cap_spreads_over_quarters_and_the_quarters_add_up(district):
    rule = PointsRule.objects.get(activity=Activity.DUTY_ATTENDED, active=True)
    PointsRule.objects.filter(pk=rule.pk).update(cap=5)  # 2 points a shift, at most 5 a year
    for month in (1, 2, 4, 7):
        shift(district, _day(month), "present")
    points_scan(since=_day(1, 1))
    totals = _totals(district.deputy)
    assert totals["by_activity"][Activity.DUTY_ATTENDED] == Decimal(5)
    # Q1: 4 points, Q2: the 5th point (capped), Q3: nothing left
    duty = points_selectors._contributions([district.deputy.pk], YEAR)[district.deputy.pk][Activity.DUTY_ATTENDED]
    assert duty == [Decimal(4), Decimal(1), Decimal(0), Decimal(0)]
    table_q2 = points_selectors.table(rules.office_deputies(district.office), year=YEAR, quarter=2)
    assert next(r for r in table_q2 if r.deputy == district.deputy).activity(Activity.DUTY_ATTENDED) == Decimal(1)


def test_a_negative_rule_is_capped_at_its_largest_deduction(district):
    PointsRule.objects.filter(activity=Activity.DUTY_ABSENT, active=True).update(cap=2)
    for day in (3, 4, 5, 6):
        shift(district, _day(1, day), "absent")
    points_scan(since=_day(1, 1))
    assert _totals(district.deputy)["by_activity"][Activity.DUTY_ABSENT] == Decimal(-2)


def test_a_new_rule_version_leaves_old_entries_with_their_rule(district):
    shift(district, _day(1), "present")
    points_scan(since=_day(1, 1))
    old = PointsEntry.objects.get(activity=Activity.DUTY_ATTENDED)
    new_rule = points_services.rule_change(actor=district.office, activity=Activity.DUTY_ATTENDED, points=3, cap=None)
    assert (new_rule.version, new_rule.active) == (2, True)
    assert not PointsRule.objects.get(pk=old.rule_id).active
    shift(district, _day(2), "present")
    points_scan(since=_day(1, 1))
    entries = list(PointsEntry.objects.filter(activity=Activity.DUTY_ATTENDED).order_by("occurred_on"))
    assert [(e.rule.version, e.points) for e in entries] == [(1, Decimal(2)), (2, Decimal(3))]
    assert AuditEntry.objects.filter(action="points.rule_changed").count() == 1
    with pytest.raises(NotAllowed):
        points_services.rule_change(actor=district.deputy_user, activity=Activity.DUTY_ATTENDED, points=9)
    with pytest.raises(InvalidInput) as bad:
        points_services.rule_change(actor=district.office, activity="nonsense", points="abc", cap_period="week")
    assert set(bad.value.fields) == {"activity", "points", "cap_period"}
    assert PointsRule.objects.filter(activity=Activity.DUTY_ATTENDED).count() == 2


def test_an_entry_that_needs_approval_counts_only_once_approved(district):
    points_services.rule_change(actor=district.office, activity=Activity.SUGGESTION_LEAD, points=3, needs_approval=True)
    Suggestion.objects.create(
        title="加装电梯", lead_deputy=district.deputy, state="accepted", accepted_at=timezone.now()
    )
    points_scan()
    entry = PointsEntry.objects.get(activity=Activity.SUGGESTION_LEAD)
    assert entry.state == EntryState.PENDING
    assert Activity.SUGGESTION_LEAD not in _totals(district.deputy)["by_activity"]
    with pytest.raises(InvalidInput):
        points_services.entry_decide(actor=district.office, entry_id=entry.pk, approve=False, note="")
    with pytest.raises(NotFound):
        points_services.entry_decide(actor=district.deputy_user, entry_id=entry.pk, approve=True)
    points_services.entry_decide(actor=district.office, entry_id=entry.pk, approve=True)
    assert _totals(district.deputy)["by_activity"][Activity.SUGGESTION_LEAD] == Decimal(3)
    with pytest.raises(NotAllowed):
        points_services.entry_decide(actor=district.office, entry_id=entry.pk, approve=True)


def test_manual_entries_need_a_reason_and_sane_points(district):
    today = timezone.localdate()
    entry = points_services.entry_add_manual(
        actor=district.office, deputy_id=district.deputy.pk, points="-1.5", occurred_on=today, reason="无故缺席培训"
    )
    assert (entry.points, entry.activity, entry.reason) == (Decimal("-1.5"), Activity.MANUAL, "无故缺席培训")
    bad_inputs = [
        ({"points": "", "reason": "x"}, "points"),
        ({"points": "abc", "reason": "x"}, "points"),
        ({"points": "NaN", "reason": "x"}, "points"),
        ({"points": True, "reason": "x"}, "points"),
        ({"points": "0", "reason": "x"}, "points"),
        ({"points": "1.25", "reason": "x"}, "points"),
        ({"points": "999", "reason": "x"}, "points"),
        ({"points": "1", "reason": ""}, "reason"),
        ({"points": "1", "reason": "长" * 501}, "reason"),
        ({"points": "1", "reason": ["x"]}, "reason"),
        ({"points": "1", "reason": "x", "occurred_on": "2026-02-30"}, "occurred_on"),
        ({"points": "1", "reason": "x", "occurred_on": today + dt.timedelta(days=1)}, "occurred_on"),
    ]
    for values, field in bad_inputs:
        kwargs = {"occurred_on": today, **values}
        with pytest.raises(InvalidInput) as error:
            points_services.entry_add_manual(actor=district.office, deputy_id=district.deputy.pk, **kwargs)
        assert field in error.value.fields, values
    assert PointsEntry.objects.count() == 1
    for actor in (district.deputy_user, district.station_staff, district.leader, district.outsider):
        with pytest.raises(NotFound):
            points_services.entry_add_manual(
                actor=actor, deputy_id=district.deputy.pk, points=1, occurred_on=today, reason="x"
            )
    with pytest.raises(NotFound):
        points_services.entry_add_manual(
            actor=district.office, deputy_id=999999, points=1, occurred_on=today, reason="x"
        )


def test_a_deputy_contests_an_entry_and_the_office_decides(district):
    shift(district, _day(1), "absent")
    shift(district, _day(2), "absent")
    points_scan(since=_day(1, 1))
    first, second = PointsEntry.objects.filter(activity=Activity.DUTY_ABSENT).order_by("occurred_on")
    assert _totals(district.deputy)["by_activity"][Activity.DUTY_ABSENT] == Decimal(-2)

    # only the deputy themselves, only their own entries, with a reason, one open objection at a time
    for actor in (district.office, district.station_staff, district.outsider):
        with pytest.raises(NotFound):
            points_services.entry_contest(actor=actor, entry_id=first.pk, reason="当天已请假")
    with pytest.raises(InvalidInput):
        points_services.entry_contest(actor=district.deputy_user, entry_id=first.pk, reason="   ")
    contest = points_services.entry_contest(actor=district.deputy_user, entry_id=first.pk, reason="当天已请假")
    with pytest.raises(NotAllowed):
        points_services.entry_contest(actor=district.deputy_user, entry_id=first.pk, reason="再次")
    other = points_services.entry_contest(actor=district.deputy_user, entry_id=second.pk, reason="换班已批准")

    # the office decides: upheld voids the entry, dismissed keeps it
    with pytest.raises(NotFound):
        points_services.contest_decide(actor=district.deputy_user, contest_id=contest.pk, uphold=True, note="x")
    with pytest.raises(InvalidInput):
        points_services.contest_decide(actor=district.office, contest_id=contest.pk, uphold=True, note="")
    points_services.contest_decide(actor=district.office, contest_id=contest.pk, uphold=True, note="请假属实")
    points_services.contest_decide(actor=district.office, contest_id=other.pk, uphold=False, note="未见换班记录")
    with pytest.raises(NotAllowed):
        points_services.contest_decide(actor=district.office, contest_id=other.pk, uphold=True, note="x")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (EntryState.VOIDED, EntryState.COUNTED)
    assert list(PointsContest.objects.order_by("pk").values_list("state", flat=True)) == [
        ContestState.UPHELD,
        ContestState.DISMISSED,
    ]
    assert _totals(district.deputy)["by_activity"][Activity.DUTY_ABSENT] == Decimal(-1)
    with pytest.raises(NotAllowed):
        points_services.entry_contest(actor=district.deputy_user, entry_id=first.pk, reason="again")
    # a voided entry is not re-created by the next scan
    points_scan(since=_day(1, 1))
    assert PointsEntry.objects.filter(activity=Activity.DUTY_ABSENT).count() == 2
    actions = set(AuditEntry.objects.filter(action__startswith="points.").values_list("action", flat=True))
    assert {"points.contested", "points.contest_upheld", "points.contest_dismissed"} <= actions


def test_recomputation_from_scratch_gives_the_same_totals(district):
    for month, state in ((1, "present"), (2, "late"), (3, "absent"), (5, "present")):
        shift(district, _day(month), state)
        shift(district, _day(month), state, deputy=district.other_deputy, station=district.other_station)
    verified_contact(district, _day(4))
    acknowledged_case(district)
    acknowledged_case(district)
    points_scan(since=_day(1, 1))
    absent = PointsEntry.objects.get(activity=Activity.DUTY_ABSENT, deputy=district.deputy)
    contest = points_services.entry_contest(actor=district.deputy_user, entry_id=absent.pk, reason="已请假")
    points_services.contest_decide(actor=district.office, contest_id=contest.pk, uphold=True, note="属实")
    points_services.entry_add_manual(
        actor=district.office, deputy_id=district.deputy.pk, points=2, occurred_on=_day(1), reason="参加视察"
    )
    deputies = rules.office_deputies(district.office)

    def snapshot():
        return [
            [
                (row.deputy.code, row.total, dict(row.by_activity))
                for row in points_selectors.table(deputies, year=YEAR, quarter=q)
            ]
            for q in range(5)
        ]

    before = snapshot()
    ids_before = set(PointsEntry.objects.values_list("pk", flat=True))
    call_command("recompute_points", stdout=open("/dev/null", "w"))
    after_ids = set(PointsEntry.objects.values_list("pk", flat=True))
    assert after_ids != ids_before  # really rebuilt: the automatic entries are new rows
    assert absent.pk in after_ids  # the decided one stays, still voided
    assert snapshot() == before
    assert before[0][0][1] > 0


def test_recomputation_drops_entries_whose_evidence_no_longer_qualifies(district):
    row = shift(district, _day(1), "present")
    points_scan(since=_day(1, 1))
    row.state = "absent"
    row.save()
    points_services.points_recompute()
    assert list(PointsEntry.objects.filter(evidence_type="duty_shift").values_list("activity", flat=True)) == [
        Activity.DUTY_ABSENT
    ]


def test_publication_switch(district):
    assert not points_selectors.is_published(YEAR, 1)
    with pytest.raises(NotAllowed):
        points_services.period_publish(actor=district.deputy_user, year=YEAR, quarter=1, published=True)
    points_services.period_publish(actor=district.office, year=YEAR, quarter=1, published=True)
    assert points_selectors.is_published(YEAR, 1) and not points_selectors.is_published(YEAR, 0)
    for year, quarter in ((1999, 1), (YEAR, 5), ("x", 1), (YEAR, -1)):
        with pytest.raises(InvalidInput):
            points_services.period_publish(actor=district.office, year=year, quarter=quarter, published=True)
    points_services.period_publish(actor=district.office, year=YEAR, quarter=1, published=False)
    assert not points_selectors.is_published(YEAR, 1)


def test_assessment_lists_who_falls_short_with_the_numbers(district):
    points_scan(since=_day(1, 1))  # base points only: 60 < pass line 70
    for month in range(1, 7):
        shift(district, _day(month), "present")
    for day in range(1, 12):
        verified_contact(district, _day(3, day))
    points_scan(since=_day(1, 1))
    deputies = rules.office_deputies(district.office)
    result = {a.deputy.code: a for a in points_selectors.assessment(deputies, year=YEAR)}
    ours, theirs = result[district.deputy.code], result[district.other_deputy.code]
    assert ours.total == Decimal(60 + 12 + 11) and ours.grade == "pass" and ours.shortfalls == []
    assert theirs.grade == "fail" and theirs.below_points
    assert theirs.shortfalls == [("到站值班次数", 0, 2), ("联系选民次数", 0, 10)]
    short = points_selectors.assessment(deputies, year=YEAR, only_short=True)
    assert [a.deputy.code for a in short] == [district.other_deputy.code]
