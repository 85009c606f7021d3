"""The suggestions area's cockpit hooks: rates against direct counts, street scoping, the overview page."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html

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
    assert all(f["url"].startswith(reverse("suggestions:list")) and f["formula"] for f in figures)
    assert {(f["numerator"], f["denominator"]) for f in figures} == {(0, 0)}


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


# --- each figure links to the suggestion list of exactly what it counts ------------------------------------------


def _listed(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


def _figures(client, user, **params) -> list[dict]:
    client.force_login(user)
    response = client.get(reverse("cockpit:overview"), {"period": "year", **params})
    assert response.status_code == 200
    return [f for f in response.context["data"].extra if f["source"] == "suggestions"]


@pytest.mark.parametrize("division", ["district", "street", "other_street"])
def test_every_figure_links_to_a_list_of_its_numerator_and_denominator(client, district, world, division):
    figures = _figures(client, district.office, division=getattr(district, division).pk)
    assert len(figures) == 5
    for figure in figures:
        assert figure["url"] == figure["denominator_url"]
        assert _listed(client, figure["denominator_url"]) == figure["denominator"], figure["key"]
        assert _listed(client, figure["numerator_url"]) == figure["numerator"], figure["key"]
        d, n = figure["denominator"], figure["numerator"]
        assert figure["value"] == (f"{n * 100 / d:.1f}%" if d else "—")
    answered = next(f for f in figures if f["key"] == "suggestion_answered_rate")
    expected = {"district": (3, 4), "street": (2, 3), "other_street": (1, 1)}[division]
    assert (answered["numerator"], answered["denominator"]) == expected


def test_the_overview_page_shows_the_links(client, district, world):
    client.force_login(district.office)
    page = client.get(reverse("cockpit:overview"), {"period": "year"}).content.decode()
    figure = next(f for f in _figures(client, district.office) if f["key"] == "suggestion_satisfied_rate")
    assert f'href="{html.escape(figure["numerator_url"])}" data-part="numerator">{figure["numerator"]}<' in page
    assert f'href="{html.escape(figure["denominator_url"])}" data-part="denominator">{figure["denominator"]}<' in page


def test_a_street_office_reads_and_lists_only_its_street(client, district, world):
    street_office = make_user("street_office", "office", division=district.street)
    figures = _figures(client, street_office)
    assert figures and all(f["numerator_url"] for f in figures)
    listed = client.get(next(f for f in figures if f["key"] == "suggestion_answered_rate")["url"])
    titles = {s.title for s in listed.context["page"]}
    assert titles and not any("西山" in t for t in titles)
    assert listed.context["page"].paginator.count == 3
    # What it reads it may not act on: the district's office takes the steps.
    from lianxin.suggestions.rules import allowed_actions, suggestion_for_actor

    own = Suggestion.objects.get(title="关于春晖路口增设红绿灯的建议")
    assert allowed_actions(street_office, suggestion_for_actor(street_office, own.pk)) == []
    other = Suggestion.objects.get(title="关于西山村道路硬化的建议")
    assert client.get(reverse("suggestions:detail", args=[other.pk])).status_code == 404
    # Asking for the other street through the filter narrows, it does not widen.
    assert _listed(client, reverse("suggestions:list") + f"?tab=all&division={district.other_street.pk}") == 0


def test_station_staff_get_no_suggestion_links_and_leaders_do(client, district, world):
    assert all("url" not in f and "numerator_url" not in f for f in _figures(client, district.station_staff))
    leader = _figures(client, district.leader)
    assert all(f["numerator_url"] for f in leader)
    for figure in leader:
        assert _listed(client, figure["denominator_url"]) == figure["denominator"]


def test_the_period_of_submission_is_kept(client, district, world):
    moved = Suggestion.objects.get(title="关于东湖公园增设座椅的建议")
    Suggestion.objects.filter(pk=moved.pk).update(submitted_at=timezone.now().replace(year=timezone.now().year - 1))
    answered = next(f for f in _figures(client, district.office) if f["key"] == "suggestion_answered_rate")
    assert (answered["numerator"], answered["denominator"]) == (2, 3)
    listed = client.get(answered["url"])
    assert moved.pk not in {s.pk for s in listed.context["page"]}
    assert listed.context["page"].paginator.count == 3


def test_outcomes_count_what_the_metrics_page_counts(district, world):
    """metrics.outcome_q (the cockpit and the list) and metrics._count (the metrics page) agree on every suggestion."""
    from lianxin.suggestions import metrics

    Suggestion.objects.filter(title="关于东湖公园增设座椅的建议").update(rating="", first_rating="basically_satisfied")
    assigned = Suggestion.objects.filter(metrics.outcome_q("assigned"))
    row = metrics.Row("all", "")
    solved, wide = metrics.resolution_codes()
    for s in assigned.values("answered_at", "answered_on_time", "answer_category", "rating", "first_rating"):
        metrics._count(row, s, solved, wide)
    counted = {name: assigned.filter(metrics.outcome_q(name)).count() for name in metrics.OUTCOME_LABELS}
    assert counted["assigned"] == row.assigned == 4
    assert (counted["answered"], counted["solved"], counted["solved_wide"]) == (
        row.answered,
        row.solved,
        row.solved_wide,
    )
    assert (counted["rated"], counted["satisfied"]) == (row.rated, row.satisfied) == (3, 2)
    assert counted["satisfied_wide"] == row.satisfied + row.basically == 3
