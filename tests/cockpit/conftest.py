"""A small district with cases in every state, channel and rating, spread over today, earlier this month, last
month and last year, in both streets; then the rollups are built by the real job."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from lianxin.cases import services
from lianxin.cases.codes import follow_up_token
from lianxin.cases.enums import Light
from lianxin.cases.models import Case
from lianxin.cockpit import rollups
from lianxin.organisation.models import Category
from tests.factories import submit_case
from tests.work.helpers import case_at


@dataclass
class World:
    district: object
    cases: dict[str, Case]
    category: Category  # a level-3 category
    top_category: Category  # its level-1 ancestor


def _rate(case: Case, rating: str) -> None:
    services.case_rate(
        tracking_code=case.tracking_code, token=follow_up_token(case.tracking_code), rating=rating, comment="还行"
    )


def _move(case: Case, when: dt.datetime) -> None:
    """Pretend the case was registered at `when` (its deadlines move with it)."""
    shift = when - case.created_at
    fields = {"created_at": when}
    for name in ("ack_due_at", "acknowledged_at"):
        value = getattr(case, name)
        if value is not None:
            fields[name] = value + shift
    Case.objects.filter(pk=case.pk).update(**fields)


def build_world(district) -> World:
    leaf = Category.objects.filter(level=3).select_related("parent__parent").order_by("id").first()
    now = timezone.now()
    cases: dict[str, Case] = {}
    cases["registered"] = submit_case(title="春晖小区路灯不亮", category_id=leaf.pk)
    cases["acknowledged"] = case_at(district, "acknowledged", title="春晖小区路灯坏了")
    cases["claimed"] = case_at(district, "claimed", title="春晖小区路灯闪烁")
    for rating in ("satisfied", "basically_satisfied", "unsatisfied"):
        case = case_at(district, "fed_back", title=f"道路破损{rating}")
        _rate(case, rating)
        cases[rating] = case
    services.case_close(actor=district.station_staff, case_id=cases["satisfied"].pk, message="")
    unrated = case_at(district, "fed_back", title="噪音扰民")
    Case.objects.filter(pk=unrated.pk).update(rating_due_at=now - dt.timedelta(hours=1))
    services.case_close_unrated(case_id=unrated.pk)
    cases["closed_unrated"] = unrated
    on_spot = submit_case(station_code="xishan", title="西山村垃圾清运", channel="web")
    services.case_resolve_on_spot(actor=district.outsider, case_id=on_spot.pk, message="已清运。")
    cases["resolved"] = on_spot
    declined = submit_case(station_code="xishan", title="诉讼中的纠纷")
    services.case_decline(actor=district.outsider, case_id=declined.pk, reason="已进入诉讼程序。")
    cases["declined"] = declined
    overdue = case_at(district, "dispatched", title="井盖松动")
    Case.objects.filter(pk=overdue.pk).update(light=Light.RED)  # what cases.tasks.recompute_lights would set
    cases["overdue"] = overdue
    cases["walk_in"] = submit_case(title="来访反映停车难", channel="walk_in")
    cases["visit"] = submit_case(
        station_code="",
        deputy_code=district.deputy.code,
        title="走访：老旧小区加装电梯",
        channel="visit",
        grid_code=district.grid.code,
    )
    # History: earlier this month (when today is not the 1st), last month, last year.
    local = timezone.localtime(now)
    month_start = local.replace(day=1, hour=10, minute=0, second=0, microsecond=0)
    early = submit_case(title="上月反映的路灯问题")
    _move(early, month_start - dt.timedelta(days=3))
    cases["last_month"] = early
    old = case_at(district, "acknowledged", title="去年的噪音问题")
    _move(old, local.replace(year=local.year - 1, month=6, day=15, hour=9))
    cases["last_year"] = old
    if local.day > 2:
        this_month = submit_case(station_code="xishan", title="本月早些时候的问题")
        _move(this_month, month_start)
        cases["this_month"] = this_month
    for case in cases.values():
        case.refresh_from_db()
    return World(district, cases, leaf, leaf.parent.parent)


@pytest.fixture
def world(district) -> World:
    built = build_world(district)
    rollups.rebuild_all()
    return built


@pytest.fixture
def activity(world) -> World:
    """The world with deputies' activity of today and of last year (tests/cockpit/activity.py)."""
    from tests.cockpit.activity import add_activity

    return add_activity(world)
