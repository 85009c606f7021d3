"""The overview's figures that used to be plain numbers: today's, this week's and this year's intake, the near-due
cases (临期), a street's overdue cases and the duty figures each link to the list behind them, and that list holds
exactly that many; a figure the viewer may not open says why on hover."""

import html
import re

import pytest
from django.urls import reverse

from lianxin.cases.enums import Light
from lianxin.cases.models import Case
from lianxin.cockpit import rollups
from lianxin.cockpit.periods import preset_period

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("cockpit:overview")


def _page(client, user, **params):
    client.force_login(user)
    response = client.get(OVERVIEW, params)
    assert response.status_code == 200
    return response.content.decode()


def _figure(page, figure_id):
    """(href, number) of the link with this id."""
    found = re.search(r'<a class="[^"]*" href="([^"]+)" id="%s"[^>]*>(\d+)</a>' % figure_id, page)
    assert found, figure_id
    return html.unescape(found.group(1)), int(found.group(2))


def _count(client, url, marker="case-count"):
    response = client.get(url)
    assert response.status_code == 200, url
    return int(re.search(r'id="%s">(\d+)<' % marker, response.content.decode()).group(1))


def test_intake_of_today_week_and_year_and_near_due_link_to_lists_of_that_many(client, world):
    d = world.district
    Case.objects.filter(pk=world.cases["claimed"].pk).update(light=Light.YELLOW)
    rollups.rebuild_all()
    page = _page(client, d.office, period="month")
    expected = {"today": 0, "week": 0, "year": 0}
    for key in expected:
        url, number = _figure(page, f"fig-{key}")
        assert f"period={key}" in url and "measure=total" in url
        assert _count(client, url) == number
        expected[key] = number
    assert expected["today"] >= 1 and expected["year"] >= expected["week"] >= expected["today"]
    # the year's figure is the year preset's total, whatever the chosen period
    year = preset_period("year")
    assert expected["year"] == Case.objects.filter(created_at__date__gte=year.start).count()
    url, near_due = _figure(page, "fig-near-due")
    assert "measure=near_due" in url
    assert near_due == 1 == _count(client, url)


def test_a_streets_overdue_figure_links_to_its_overdue_cases(client, world):
    d = world.district
    page = _page(client, d.office, period="year")
    found = re.findall(r'href="([^"]+)" data-figure="child-overdue-(\w+)">(\d+)</a>', page)
    assert found and sum(int(n) for _u, _k, n in found) >= 1
    for url, _key, number in found:
        assert _count(client, html.unescape(url)) == int(number)


def test_the_satisfied_incl_numerator_has_its_list(client, world):
    page = _page(client, world.district.office, period="year")
    url, number = (
        html.unescape(re.search(r'href="([^"]*measure=satisfied_incl[^"]*)">(\d+)<', page).group(1)),
        int(re.search(r'measure=satisfied_incl[^"]*">(\d+)<', page).group(1)),
    )
    assert number == 2  # satisfied + basically satisfied
    assert _count(client, url) == number


def test_duty_figures_link_to_the_shift_list_and_register_narrowed_to_the_division_and_dates(client, activity):
    d = activity.district
    page = _page(client, d.office, period="year")
    shifts = re.search(r'data-extra="duty_shifts_attended".*?<a class="fig" href="([^"]+)"[^>]*>(\d+)</a>', page, re.S)
    receptions = re.search(r'data-extra="duty_receptions".*?<a class="fig" href="([^"]+)"[^>]*>(\d+)</a>', page, re.S)
    shifts_url, receptions_url = html.unescape(shifts.group(1)), html.unescape(receptions.group(1))
    assert f"division={d.district.pk}" in shifts_url and "attended=1" in shifts_url and "from=" in shifts_url
    assert int(shifts.group(2)) == 3 == _count(client, shifts_url, "shift-count")
    assert int(receptions.group(2)) == 2 == _count(client, receptions_url, "reception-count")


def test_a_figure_the_viewer_may_not_open_says_why(client, activity):
    """The leader reads the cockpit but not the duty lists (they belong to the office and the stations)."""
    page = _page(client, activity.district.leader, period="year")
    block = re.search(r'data-extra="duty_shifts_attended".*?</div></div>', page, re.S).group(0)
    assert "<a " not in block
    assert (
        'title="这份清单只对管理这些联络站或记录的工作人员开放，您的账号打不开，所以这里不链接" data-no-link' in block
    )
    assert "visually-hidden" in block  # read out by a screen reader too


def test_a_period_longer_than_the_duty_lists_show_says_so(client, activity):
    page = _page(client, activity.district.office, period="custom", **{"from": "2020-01-01", "to": "2026-12-31"})
    block = re.search(r'data-extra="duty_receptions".*?</div></div>', page, re.S).group(0)
    assert "<a " not in block and "值班和接待清单一次最多显示" in block


def test_the_overview_has_one_h1(client, world):
    page = _page(client, world.district.leader)
    assert page.count("<h1") == 1


def test_the_wall_screens_intake_figures_link_to_their_lists(client, world):
    client.force_login(world.district.leader)
    page = client.get(reverse("cockpit:wall"), {"period": "year"}).content.decode()
    for key in ("today", "week", "year"):
        url = html.unescape(re.search(r'<a class="wall-kpi" href="([^"]*period=%s[^"]*)">' % key, page).group(1))
        assert "measure=total" in url and client.get(url).status_code == 200
    assert 'class="wall-kpi alert" href="' in page


def test_the_four_lists_page_has_one_h1(client, world):
    client.force_login(world.district.leader)
    page = client.get(reverse("cockpit:lists"), {"period": "year"}).content.decode()
    assert page.count("<h1") == 1
