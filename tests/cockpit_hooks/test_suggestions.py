"""The suggestions area's cockpit hooks: rates against direct counts, street scoping, the overview page."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lianxin.cockpit import extensions
from lianxin.suggestions import selectors
from lianxin.suggestions.models import Suggestion
from tests.factories import make_user
from tests.suggestions.factories import World, make_world, suggestion_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(district, settings):
    """东湖 (district.deputy): closed A + satisfied, answered B unrated, assigned, reviewing.
    西山 (other_deputy): one closed D + satisfied, which only the district counts."""
    settings.SUGGESTION_WINDOW_MONTHDAYS = list(range(1, 32))  # submit at once (no waiting for a window day)
    settings.SUGGESTION_SESSION_WINDOWS = []
    w = make_world(district)
    suggestion_at(w, "closed", category="A")
    suggestion_at(w, "answered", category="B", title="关于东湖公园增设座椅的建议")
    suggestion_at(w, "assigned", title="关于春晖路口增设红绿灯的建议")
    suggestion_at(w, "reviewing", title="关于社区食堂延长营业时间的建议")
    other_user = make_user("other_deputy")
    district.other_deputy.user = other_user
    district.other_deputy.save()
    other = World(
        dataclasses.replace(district, deputy_user=other_user, deputy=district.other_deputy),
        w.cosigner,
        w.cosigner_deputy,
        w.third_unit,
        w.third_unit_user,
        w.category,
    )
    suggestion_at(other, "closed", category="D", title="关于西山村道路硬化的建议")
    return w


def _values(division, start=None, end=None):
    today = timezone.localdate()
    rows = selectors.cockpit_figures(division=division, start=start or today, end=end or today)
    return {row["key"]: row["value"] for row in rows}


def _expected(qs) -> dict:
    def rate(num, den):
        return f"{num * 100 / den:.1f}%" if den else "—"

    assigned = qs.filter(round__gte=1)
    answered = assigned.filter(answered_at__isnull=False)
    rated = assigned.exclude(rating="", first_rating="")
    return {
        "suggestion_answered_rate": rate(answered.count(), assigned.count()),
        "suggestion_solved_rate": rate(answered.filter(answer_category="A").count(), answered.count()),
        "suggestion_solved_wide_rate": rate(answered.filter(answer_category__in=["A", "B"]).count(), answered.count()),
        "suggestion_satisfied_rate": rate(rated.filter(rating="satisfied").count(), rated.count()),
        "suggestion_satisfied_wide_rate": rate(
            rated.filter(rating__in=["satisfied", "basically_satisfied"]).count(), rated.count()
        ),
    }


def test_district_figures_match_direct_counts(district, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        values = _values(district.district)
    assert values == _expected(Suggestion.objects.exclude(submitted_at=None))
    # 4 assigned, 3 answered (A, B, D), 2 rated satisfied: the numbers behind the formulas.
    assert values["suggestion_answered_rate"] == "75.0%"
    assert values["suggestion_solved_rate"] == "33.3%"
    assert values["suggestion_solved_wide_rate"] == "66.7%"
    assert values["suggestion_satisfied_rate"] == "100.0%"


def test_a_street_counts_only_suggestions_led_by_its_deputies(district, world):
    street = _values(district.street)
    assert street == _expected(Suggestion.objects.exclude(submitted_at=None).filter(lead_deputy=district.deputy))
    assert street["suggestion_answered_rate"] == "66.7%"
    assert street["suggestion_solved_rate"] == "50.0%"
    assert _values(district.other_street)["suggestion_solved_rate"] == "0.0%"


def test_no_assigned_suggestion_gives_a_dash_not_zero(district, world):
    figures = selectors.cockpit_figures(
        division=district.district, start=dt.date(2000, 1, 1), end=dt.date(2000, 12, 31)
    )
    assert {f["value"] for f in figures} == {"—"}
    assert all(f["url"] == reverse("suggestions:metrics") and f["formula"] for f in figures)


def test_suggestion_items_are_scoped_and_name_the_lead_unit(district, world, django_assert_max_num_queries):
    today = timezone.localdate()
    with django_assert_max_num_queries(2):
        rows = selectors.cockpit_suggestion_items(division=district.street, start=today, end=today)
    assert len(rows) == Suggestion.objects.filter(lead_deputy=district.deputy).exclude(submitted_at=None).count() == 4
    assert {r["deputy"] for r in rows} == {district.deputy.name}
    assert not any("西山" in r["title"] for r in rows)
    closed = next(r for r in rows if r["title"] == "关于春晖小区周边路灯改造的建议")
    assert closed["unit"] == district.unit.name and closed["state"] == "已办结" and closed["number"]
    reviewing = next(r for r in rows if "食堂" in r["title"])
    assert reviewing["unit"] == ""
    everything = selectors.cockpit_suggestion_items(division=district.district, start=today, end=today)
    assert len(everything) == 5


def test_the_cockpit_collects_the_hooks_and_shows_the_figure(client, district, world):
    assert "lianxin.suggestions.selectors" in extensions.available("cockpit_figures")
    client.force_login(district.office)
    page = client.get("/work/cockpit/", {"period": "year"}).content.decode()
    assert "代表建议办复率" in page
    assert "75.0%" in page
