"""The one scope rule (accounts/scopes.py): a membership reaches a subtree of the division tree at any level, a
station or a unit; everyone else reaches nothing (fails closed)."""

from __future__ import annotations

import pytest

from lianxin.accounts.enums import Role
from lianxin.accounts.models import Membership
from lianxin.accounts.scopes import Scope, scope_of
from lianxin.cases.rules import visible_cases
from lianxin.duty.rules import managed_stations
from lianxin.organisation.enums import DivisionKind
from lianxin.organisation.models import Deputy, Division, HandlingUnit, Station
from lianxin.organisation.services import division_create
from tests.factories import make_user, submit_case

pytestmark = pytest.mark.django_db

ALL_ROLES = tuple(Role.values)


def divisions(scope: Scope) -> set[str]:
    q = scope.q(division="")
    return set() if q is None else set(Division.objects.filter(q).values_list("name", flat=True))


def stations(scope: Scope, **lookups) -> set[str]:
    q = scope.q(**lookups)
    return set() if q is None else set(Station.objects.filter(q).values_list("code", flat=True))


def _under_city(district) -> Division:
    """A city congress above the district. The division kinds stop at the district today and the services refuse a
    parent for it; the scope rule reads only the materialised path, so the row is stored as a city level would be."""
    city = Division.objects.create(name="示范市", kind="city")
    city.path = f"/{city.pk}/"
    city.save(update_fields=["path"])
    for division in Division.objects.filter(path__startswith=district.path):
        division.path = city.path + division.path.lstrip("/")
        division.save(update_fields=["path"])
    district.refresh_from_db()
    Division.objects.filter(pk=district.pk).update(parent=city)
    return city


def test_office_at_the_district_reaches_its_whole_subtree(district):
    scope = scope_of(district.office, Role.OFFICE)
    assert divisions(scope) == {"示范区", "东湖街道", "春晖社区", "春晖一网格", "西山镇", "西山村", "西山一网格"}
    assert stations(scope, division="division") == {"donghu", "xishan"}
    deputies = Deputy.objects.filter(scope.q(division=("stations__division", "grids"))).distinct()
    assert set(deputies.values_list("code", flat=True)) == {"d-wang", "d-li"}
    assert scope.covers(district.street) and scope.covers(district.district)
    assert scope.roots() == [district.district]


def test_office_at_a_street_reaches_that_street_only(district):
    office = make_user("street_office", Role.OFFICE, division=district.street)
    scope = scope_of(office, Role.OFFICE)
    assert divisions(scope) == {"东湖街道", "春晖社区", "春晖一网格"}
    assert stations(scope, division="division") == {"donghu"}
    assert scope.covers(district.grid)
    assert not scope.covers(district.district)
    assert not scope.covers(district.other_street)


def test_a_city_office_sees_through_to_every_district_below_it(district):
    city = _under_city(district.district)
    second = division_create(name="第二区", kind=DivisionKind.DISTRICT, code="330200")
    second.path = city.path + second.path.lstrip("/")
    second.save(update_fields=["path"])
    Station.objects.create(code="second", name="第二区联络站", division=second)
    city_office = make_user("city_office", Role.OFFICE, division=city)
    district_office = district.office

    scope = scope_of(city_office, Role.OFFICE)
    assert {"示范市", "示范区", "西山一网格", "第二区"} <= divisions(scope)
    assert stations(scope, division="division") == {"donghu", "xishan", "second"}
    assert scope.covers(district.district) and scope.covers(second)
    # the district's office still stops at its own district
    district_scope = scope_of(district_office, Role.OFFICE)
    assert "第二区" not in divisions(district_scope)
    assert not district_scope.covers(city)
    # and the rules composed from it see through as well
    case = submit_case()
    assert visible_cases(city_office).filter(pk=case.pk).exists()
    assert set(managed_stations(city_office).values_list("code", flat=True)) == {"donghu", "xishan", "second"}
    second_office = make_user("second_office", Role.OFFICE, division=second)
    assert not visible_cases(second_office).filter(pk=case.pk).exists()


def test_station_staff_reach_their_station_and_their_station_s_subtree(district):
    scope = scope_of(district.station_staff, Role.STATION)
    assert scope.station_ids == (district.station.pk,)
    assert stations(scope, station="pk") == {"donghu"}
    assert divisions(scope) == set()  # no office subtree
    q = scope.q(station_division="")
    assert set(Division.objects.filter(q).values_list("name", flat=True)) == {"东湖街道", "春晖社区", "春晖一网格"}
    assert scope.roots() == [district.street]
    assert not scope.covers(district.street)  # covering a division is an office/leader matter


def test_a_unit_handler_reaches_only_their_unit(district):
    scope = scope_of(district.unit_user, *ALL_ROLES)
    assert scope.unit_ids == (district.unit.pk,)
    assert scope.q(division="", station="pk", station_division="") is None
    units = HandlingUnit.objects.filter(scope.q(unit="pk"))
    assert list(units) == [district.unit]


def test_a_deputy_reaches_nothing_through_memberships(district):
    """Deputies are reached through their Deputy record (each rule says how), never through the scope."""
    scope = scope_of(district.deputy_user, *ALL_ROLES)
    assert not scope
    assert scope.q(division="", station="pk", station_division="", unit="pk") is None
    assert scope.roots() == []


@pytest.mark.parametrize("persona", ["outsider", "auditor", "other_unit_user"])
def test_others_reach_none_of_our_district(district, persona):
    scope = scope_of(district.persona(persona), Role.OFFICE, Role.LEADER)
    assert not scope
    assert scope.q(division="", station="pk") is None
    assert not scope.covers(district.street)


def test_anonymous_users_and_inactive_memberships_reach_nothing(district):
    from django.contrib.auth.models import AnonymousUser

    assert not scope_of(AnonymousUser(), *ALL_ROLES)
    Membership.objects.filter(user=district.office).update(active=False)
    district.office.refresh_from_db()
    assert not scope_of(district.office, *ALL_ROLES)


def test_only_the_roles_asked_for_count(district):
    assert not scope_of(district.station_staff, Role.OFFICE, Role.LEADER)
    assert not scope_of(district.office, Role.STATION, Role.UNIT)
    assert scope_of(district.leader, Role.LEADER).covers(district.street)


def test_an_office_without_a_division_reaches_everything(district):
    office = make_user("top_office", Role.OFFICE)
    scope = scope_of(office, Role.OFFICE)
    assert scope.everything
    assert Station.objects.filter(scope.q(division="division")).count() == Station.objects.count()
    assert scope.roots() == [district.district]
    assert scope.covers(district.grid)


def test_roots_drop_a_division_inside_another(district):
    user = make_user("both", Role.OFFICE, division=district.district)
    Membership.objects.create(user=user, role=Role.STATION, station=district.station)
    Membership.objects.create(user=user, role=Role.OFFICE, division=district.street)
    assert scope_of(user, Role.OFFICE, Role.STATION).roots() == [district.district]
