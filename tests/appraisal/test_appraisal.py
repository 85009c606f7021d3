"""Department appraisal: computed items against direct counts, weights, minimum samples, entered scores, the opinion
collection, publication and the frozen leaderboard."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from lianxin.appraisal import compute as appraisal_compute
from lianxin.appraisal import selectors as appraisal_selectors
from lianxin.appraisal import services as appraisal_services
from lianxin.appraisal.enums import ItemSource, RoundState
from lianxin.appraisal.models import AppraisalOpinion, AppraisalResult, AppraisalRound, AppraisalScore
from lianxin.cases import services as case_services
from lianxin.cases.models import Case
from lianxin.errors import InvalidInput, NotAllowed, NotFound
from lianxin.events.models import Event
from tests.appraisal.helpers import handled_case

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


@pytest.fixture
def round_(district):
    return appraisal_services.round_create(actor=district.office, year=YEAR)


def _item(round_, source):
    return round_.items.get(source=source)


def _row(computed, unit):
    return next(r for r in computed if r.unit == unit)


def _score(computed, unit, source):
    return next(s for s in _row(computed, unit).items if s.item.source == source)


def _only(round_, district, *sources):
    """Keep the weight of the given sources, zero the others (weights are data the office edits)."""
    for item in round_.items.all():
        weight = item.weight if item.source in sources else 0
        appraisal_services.item_update(actor=district.office, item_id=item.pk, weight=weight)


def test_a_round_starts_with_the_seven_default_items_and_every_unit(district, round_):
    items = list(round_.items.order_by("order").values_list("name", "weight", "source"))
    assert [name for name, _w, _s in items] == [
        "常委会组成人员评价",
        "政府工作报告落实",
        "人大决定决议落实",
        "民生实事办理",
        "议案建议办理",
        "进基层单元情况",
        "依法行政",
    ]
    assert sum(w for _n, w, _s in items) == Decimal(100)
    assert set(round_.units.all()) == {district.unit, district.other_unit}
    assert (round_.period_start, round_.period_end) == (dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))
    with pytest.raises(NotAllowed):
        appraisal_services.round_create(actor=district.office, year=YEAR)
    for actor in (district.leader, district.deputy_user, district.unit_user):
        with pytest.raises(NotFound):
            appraisal_services.round_create(actor=actor, year=YEAR + 1)
    with pytest.raises(InvalidInput):
        appraisal_services.round_create(actor=district.office, year="abc")


def test_case_handling_counts_answered_on_time_and_satisfaction(district, round_, settings):
    settings.PERFORMANCE_APPRAISAL_MIN_SAMPLE = 3
    handled_case(district, rating="satisfied")
    handled_case(district, rating="basically_satisfied")
    late = handled_case(district, rating="unsatisfied")
    late.dispatches.update(handle_due_at=late.dispatches.get().replied_at - dt.timedelta(hours=1))
    unrated = handled_case(district, rating=None)
    Case.objects.filter(pk=unrated.pk).update(rating_due_at=timezone.now() - dt.timedelta(minutes=1))
    case_services.case_close_unrated(case_id=unrated.pk)
    handled_case(district, reply=False)
    handled_case(district, unit=district.other_unit, rating="satisfied")

    computed = appraisal_compute.compute(round_)
    ours = _score(computed, district.unit, ItemSource.CASE_HANDLING)
    d = ours.details
    assert (d["assigned"], d["answered"], d["on_time"]) == (5, 4, 3)
    assert (d["satisfied"], d["basically_satisfied"], d["unsatisfied"], d["closed_unrated"], d["rated"]) == (
        1,
        1,
        1,
        1,
        3,
    )
    assert d["satisfaction_rate"] == "0.3333" and d["satisfaction_incl_basic"] == "0.6667"
    # (80 × 40 + 75 × 30 + (100 + 70 + 30) / 3 × 30) / 100
    assert ours.score == Decimal("74.50") and ours.enough
    theirs = _score(computed, district.other_unit, ItemSource.CASE_HANDLING)
    assert theirs.sample == 1 and not theirs.enough and theirs.score is None


def test_weights_decide_the_total_and_the_minimum_sample_decides_who_is_ranked(district, round_, settings):
    settings.PERFORMANCE_APPRAISAL_MIN_SAMPLE = 2
    _only(round_, district, ItemSource.CASE_HANDLING, ItemSource.STATION_VISITS)
    for _ in range(2):
        handled_case(district, rating="satisfied")
    handled_case(district, unit=district.other_unit, rating="satisfied")
    past = timezone.now() - dt.timedelta(days=1)
    Event.objects.create(
        station=district.station,
        unit=district.unit,
        kind="station_visit",
        status="published",
        title="局长·代表面对面",
        starts_at=past,
        ends_at=past + dt.timedelta(hours=2),
        capacity=30,
    )
    computed = appraisal_compute.compute(round_)
    ours, theirs = _row(computed, district.unit), _row(computed, district.other_unit)
    # cases 100 (weight 20), visits 1 of 4 = 25 (weight 10)
    assert ours.ranked and ours.rank == 1 and ours.total == Decimal("75.00")
    assert not theirs.ranked and theirs.rank is None and "民生实事办理" in theirs.note
    assert [r.unit for r in computed] == [district.unit, district.other_unit]

    visits = _item(round_, ItemSource.STATION_VISITS)
    appraisal_services.item_update(actor=district.office, item_id=visits.pk, weight=30)
    assert _row(appraisal_compute.compute(round_), district.unit).total == Decimal("55.00")  # (100×20 + 25×30) / 50

    settings.PERFORMANCE_APPRAISAL_MIN_SAMPLE = 1
    both = appraisal_compute.compute(round_)
    assert [(r.unit, r.rank, r.total) for r in both] == [
        (district.unit, 1, Decimal("55.00")),
        (district.other_unit, 2, Decimal("40.00")),  # (100×20 + 0×30) / 50: no visit
    ]

    for bad in ("", "abc", "-1", "101", "1.55", None):
        with pytest.raises(InvalidInput):
            appraisal_services.item_update(actor=district.office, item_id=visits.pk, weight=bad)
    with pytest.raises(NotFound):
        appraisal_services.item_update(actor=district.leader, item_id=visits.pk, weight=10)


def test_entered_scores_by_members_and_by_the_office(district, round_):
    members = _item(round_, ItemSource.MEMBER_SCORES)
    office_item = round_.items.filter(source=ItemSource.OFFICE_SCORE).first()
    appraisal_services.score_enter(actor=district.leader, item_id=members.pk, unit_id=district.unit.pk, score="90")
    appraisal_services.score_enter(actor=district.leader, item_id=members.pk, unit_id=district.unit.pk, score="85.5")
    with pytest.raises(NotAllowed):
        appraisal_services.score_enter(actor=district.office, item_id=members.pk, unit_id=district.unit.pk, score=80)
    with pytest.raises(NotAllowed):
        appraisal_services.score_enter(
            actor=district.leader, item_id=office_item.pk, unit_id=district.unit.pk, score=80
        )
    appraisal_services.score_enter(actor=district.office, item_id=office_item.pk, unit_id=district.unit.pk, score=70)
    for actor in (district.deputy_user, district.unit_user, district.outsider):
        with pytest.raises(NotFound):
            appraisal_services.score_enter(actor=actor, item_id=members.pk, unit_id=district.unit.pk, score=80)
    for bad in ("", "x", "-0.1", "100.1", "NaN", True):
        with pytest.raises(InvalidInput):
            appraisal_services.score_enter(
                actor=district.leader, item_id=members.pk, unit_id=district.unit.pk, score=bad
            )
    with pytest.raises(NotFound):
        appraisal_services.score_enter(actor=district.leader, item_id=members.pk, unit_id=999999, score=80)
    assert AppraisalScore.objects.count() == 2  # one per scorer: the second score replaced the first
    computed = appraisal_compute.compute(round_)
    assert _score(computed, district.unit, ItemSource.MEMBER_SCORES).score == Decimal("85.50")
    assert _score(computed, district.other_unit, ItemSource.MEMBER_SCORES).score is None


def test_opinion_collection_scores_100_70_30_and_ignores_dont_know(district, round_, settings):
    settings.PERFORMANCE_APPRAISAL_MIN_SAMPLE = 3
    with pytest.raises(NotAllowed):  # not collecting yet
        appraisal_services.opinion_submit_deputy(
            actor=district.deputy_user, year=YEAR, unit_id=district.unit.pk, rating="satisfied"
        )
    appraisal_services.round_set_state(actor=district.office, round_id=round_.pk, state=RoundState.COLLECTING)
    appraisal_services.opinion_submit_deputy(
        actor=district.deputy_user, year=YEAR, unit_id=district.unit.pk, rating="satisfied", comment="服务好"
    )
    with pytest.raises(NotAllowed):
        appraisal_services.opinion_submit_deputy(
            actor=district.deputy_user, year=YEAR, unit_id=district.unit.pk, rating="unsatisfied"
        )
    for phone, rating in (
        ("13800000001", "basically_satisfied"),
        ("13800000002", "unsatisfied"),
        ("13800000003", "unknown"),
    ):
        appraisal_services.opinion_submit_citizen(
            year=YEAR, unit_id=district.unit.pk, phone=phone, rating=rating, consent=True
        )
    with pytest.raises(NotAllowed):
        appraisal_services.opinion_submit_citizen(
            year=YEAR, unit_id=district.unit.pk, phone="138 0000 0001", rating="satisfied", consent=True
        )
    bad = [
        {"phone": "", "rating": "satisfied", "consent": True},
        {"phone": "12345", "rating": "satisfied", "consent": True},
        {"phone": "13800000009", "rating": "great", "consent": True},
        {"phone": "13800000009", "rating": "satisfied", "consent": False},
        {"phone": "13800000009", "rating": "satisfied", "consent": True, "comment": "长" * 1001},
    ]
    for values in bad:
        with pytest.raises(InvalidInput):
            appraisal_services.opinion_submit_citizen(year=YEAR, unit_id=district.unit.pk, **values)
    with pytest.raises(NotFound):
        appraisal_services.opinion_submit_citizen(
            year=YEAR, unit_id=999999, phone="13800000009", rating="satisfied", consent=True
        )
    with pytest.raises(NotFound):
        appraisal_services.opinion_submit_deputy(actor=district.office, year=YEAR, unit_id=district.unit.pk, rating="x")
    assert AppraisalOpinion.objects.count() == 4
    stored = AppraisalOpinion.objects.get(phone_masked="138****0001")
    assert "13800000001" not in stored.phone_hash and stored.deputy is None

    survey = _score(appraisal_compute.compute(round_), district.unit, ItemSource.SURVEY)
    assert (survey.sample, survey.details["unknown"], survey.score) == (3, 1, Decimal("66.67"))  # (100+70+30)/3


def test_publication_freezes_the_leaderboard(district, round_, settings):
    settings.PERFORMANCE_APPRAISAL_MIN_SAMPLE = 1
    _only(round_, district, ItemSource.CASE_HANDLING)
    handled_case(district, rating="satisfied")
    with pytest.raises(NotAllowed):
        appraisal_services.round_publish(actor=district.office, round_id=round_.pk)  # still a draft
    appraisal_services.round_set_state(actor=district.office, round_id=round_.pk, state=RoundState.COLLECTING)
    with pytest.raises(NotFound):
        appraisal_services.round_publish(actor=district.leader, round_id=round_.pk)
    assert appraisal_selectors.published_round(YEAR) is None
    appraisal_services.round_publish(actor=district.office, round_id=round_.pk)
    round_.refresh_from_db()
    assert round_.state == RoundState.PUBLISHED
    board = appraisal_selectors.leaderboard(round_)
    assert [(r.unit, r.rank, r.total) for r in board] == [
        (district.unit, 1, Decimal("100.00")),
        (district.other_unit, None, None),
    ]
    # new data after publication does not move the published board
    handled_case(district, unit=district.other_unit, rating="unsatisfied")
    assert AppraisalResult.objects.get(round=round_, unit=district.other_unit).total is None
    with pytest.raises(NotAllowed):
        appraisal_services.item_update(actor=district.office, item_id=round_.items.first().pk, weight=5)
    appraisal_services.round_set_state(actor=district.office, round_id=round_.pk, state=RoundState.SCORING)
    assert not AppraisalResult.objects.filter(round=round_).exists()
    assert AppraisalRound.objects.get(pk=round_.pk).published_at is None
