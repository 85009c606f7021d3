"""`seed_demo` builds a realistic, consistent demo district once, and gives every persona work to do."""

from collections import Counter

import pytest
from django.contrib.auth import authenticate as django_authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from shapely.geometry import Point, shape

from lianxin.accounts.enums import Role
from lianxin.accounts.models import Membership, User
from lianxin.cases.enums import Status
from lianxin.cases.rules import allowed_actions, visible_cases
from lianxin.organisation.enums import DeputyLevel, DivisionKind, StationKind
from lianxin.organisation.models import Category, Deputy, Division, HandlingUnit, RoutingRuleSet, Station
from tests.demo.conftest import DEMO_CASES, DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def authenticate(*, username, password):
    return django_authenticate(RequestFactory().post("/accounts/login/"), username=username, password=password)


# --- idempotency and the printed summary --------------------------------------------------------------


def test_running_twice_leaves_the_same_data(demo):
    first, second = demo["counts"]
    assert first == second
    assert first["Case"] == DEMO_CASES
    assert "已创建演示区" in demo["first"]
    assert "未重复创建" in demo["second"]


def test_both_runs_print_the_logins_and_qr_links(demo):
    for output in (demo["first"], demo["second"]):
        for username in ("office", "station", "deputy", "unit", "leader", "auditor", "admin"):
            assert f"\n{username}" in output
        assert DEMO_PASSWORD in output
        assert "http://127.0.0.1:8000/s/jianshe" in output
        assert "http://127.0.0.1:8000/s/chunhui" in output
        deputy = Deputy.objects.get(user__username="deputy")
        assert f"http://127.0.0.1:8000/d/{deputy.code}" in output


def test_a_too_small_case_count_is_refused(demo):
    with pytest.raises(CommandError, match="--cases"):
        call_command("seed_demo", cases=0)


# --- the registry ---------------------------------------------------------------------------------------


def test_district_has_streets_communities_and_grids_with_paths(demo):
    district = Division.objects.get(code="330402")
    kinds = Counter(Division.objects.filter(path__startswith=district.path).values_list("kind", flat=True))
    assert kinds == {
        DivisionKind.DISTRICT: 1,
        DivisionKind.STREET: 6,
        DivisionKind.COMMUNITY: 40,
        DivisionKind.GRID: 120,
    }
    grid = Division.objects.filter(kind=DivisionKind.GRID).first()
    assert grid.path == f"{grid.parent.parent.parent.path}{grid.parent.parent_id}/{grid.parent_id}/{grid.pk}/"
    assert all(Division.objects.filter(kind=DivisionKind.GRID).values_list("grid_worker", flat=True))


def test_grid_polygons_are_valid_nested_disjoint_and_contain_their_centre(demo):
    grids = list(Division.objects.filter(kind=DivisionKind.GRID).select_related("parent"))
    shapes = {}
    for grid in grids:
        polygon = shape(grid.polygon)
        assert grid.polygon["type"] == "Polygon"
        assert polygon.is_valid
        assert polygon.contains(Point(grid.lng, grid.lat))
        assert shape(grid.parent.polygon).buffer(1e-9).contains(polygon)
        shapes[grid.pk] = polygon
    ordered = list(shapes.values())
    overlaps = [(a, b) for i, a in enumerate(ordered) for b in ordered[i + 1 :] if a.intersection(b).area > 1e-12]
    assert overlaps == []
    district = Division.objects.get(code="330402")
    assert shape(district.polygon).contains(Point(120.76, 30.75))  # GeoJSON is (lng, lat)


def test_every_grid_has_a_deputy_and_deputies_hold_five_levels(demo):
    assert not Division.objects.filter(kind=DivisionKind.GRID, deputies__isnull=True).exists()
    assert Deputy.objects.count() == 80
    levels = Counter(Deputy.objects.values_list("mandates__level", flat=True))
    assert set(levels) == set(DeputyLevel.values)
    two_levels = [d for d in Deputy.objects.prefetch_related("mandates") if d.mandates.count() == 2]
    assert len(two_levels) >= 5
    assert not Deputy.objects.filter(stations__isnull=True).exists()
    assert Deputy.objects.filter(public=True).count() > 60
    assert all(d.sector and d.bio and d.constituency for d in Deputy.objects.all())


def test_stations_cover_every_kind_with_address_location_and_reception_rule(demo):
    stations = list(Station.objects.all())
    assert {s.kind for s in stations} == set(StationKind.values)
    assert len([s for s in stations if s.kind == StationKind.STATION]) == 6
    for station in stations:
        assert station.address and station.opening_hours and station.lat and station.lng
    monthly = Station.objects.get(code="nanhu-hub")
    assert (monthly.reception_rule, monthly.reception_monthday) == ("monthly", 20)


def test_units_and_the_active_routing_rules_cover_every_first_level_category(demo):
    assert HandlingUnit.objects.count() >= 30
    assert HandlingUnit.objects.filter(level="street").count() == 6
    ruleset = RoutingRuleSet.objects.get(active=True)
    district = Division.objects.get(code="330402")
    routed = set(ruleset.rules.filter(division=district).values_list("category__name", flat=True))
    assert routed == set(Category.objects.filter(level=1).values_list("name", flat=True))


# --- the logins -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "role", "scope"),
    [
        ("office", Role.OFFICE, "division"),
        ("station", Role.STATION, "station"),
        ("unit", Role.UNIT, "unit"),
        ("leader", Role.LEADER, "division"),
        ("auditor", Role.AUDITOR, None),
    ],
)
def test_each_login_authenticates_with_its_role_and_scope(demo, username, role, scope):
    user = authenticate(username=username, password=DEMO_PASSWORD)
    assert user is not None
    membership = Membership.objects.get(user=user)
    assert membership.role == role
    expected = {
        "division": ("330402", None, None),
        "station": (None, "jianshe", None),
        "unit": (None, None, "zjj"),
        None: (None, None, None),
    }[scope]
    actual = (
        membership.division.code if membership.division else None,
        membership.station.code if membership.station else None,
        membership.unit.code if membership.unit else None,
    )
    assert actual == expected
    assert authenticate(username=username, password="wrong-password") is None


def test_office_may_use_the_admin_and_admin_is_superuser(demo):
    assert authenticate(username="office", password=DEMO_PASSWORD).is_staff
    admin = authenticate(username="admin", password=DEMO_PASSWORD)
    assert admin.is_superuser and admin.is_staff


def test_deputy_login_is_a_deputy_of_the_station_personas_station(demo):
    user = authenticate(username="deputy", password=DEMO_PASSWORD)
    deputy = Deputy.objects.get(user=user)
    station = Membership.objects.get(user__username="station").station
    assert station in deputy.stations.all()
    grids = list(deputy.grids.all())
    assert grids and all(g.path.startswith(station.division.path) for g in grids)


# --- each persona has work on first login --------------------------------------------------------------


def _with_action(user, statuses, action):
    return [c for c in visible_cases(user).filter(status__in=statuses) if action in allowed_actions(user, c)]


def test_deputy_has_cases_waiting_for_acknowledgement(demo):
    deputy = User.objects.get(username="deputy")
    assert len(_with_action(deputy, [Status.REGISTERED], "acknowledge")) >= 4


def test_station_has_cases_to_dispatch_and_to_feed_back(demo):
    staff = User.objects.get(username="station")
    assert len(_with_action(staff, [Status.ACKNOWLEDGED], "dispatch")) >= 3
    assert len(_with_action(staff, [Status.RETURNED], "dispatch")) >= 2
    assert len(_with_action(staff, [Status.REPLIED], "feedback")) >= 3


def test_unit_has_cases_of_that_station_to_claim(demo):
    unit_user = User.objects.get(username="unit")
    claimable = _with_action(unit_user, [Status.DISPATCHED], "claim")
    from_station = [c for c in claimable if c.station and c.station.code == "jianshe"]
    assert len(from_station) >= 4


def test_every_unit_and_deputy_has_a_working_login_and_is_printed(demo, client):
    for unit in HandlingUnit.objects.filter(division__code__startswith="330402"):
        holders = User.objects.filter(memberships__unit=unit, memberships__role=Role.UNIT)
        assert any(authenticate(username=u.username, password=DEMO_PASSWORD) for u in holders), unit.code
    deputies = Deputy.objects.filter(code__startswith="nh-d")
    assert deputies.filter(user__isnull=True).count() == 0
    other = deputies.exclude(user__username="deputy").order_by("code").first()
    assert authenticate(username=other.user.username, password=DEMO_PASSWORD).deputy == other
    handler = User.objects.filter(username__startswith="handler-").order_by("username").first()
    for output in (demo["first"], demo["second"]):
        assert f"  {handler.username}" in output and f"{other.code} {other.name}" in output
        assert "承办单位账号" in output and "代表账号" in output
    # a unit's handler can log in on the web and reach its queue
    assert client.post("/login/", {"username": handler.username, "password": DEMO_PASSWORD}).status_code == 302
    assert client.get("/work/cases/").status_code == 200
