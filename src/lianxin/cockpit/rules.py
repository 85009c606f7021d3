"""Who sees which part of the cockpit. The office and leaders see the division of their membership (a district,
or a street), station staff the street of their station. Everything else fails closed (a 404)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lianxin.accounts.enums import Role
from lianxin.accounts.scopes import scope_of
from lianxin.cases.models import Case
from lianxin.cases.rules import visible_cases
from lianxin.errors import NotFound
from lianxin.organisation.models import Division, Station

# Divisions the rollups are keyed by: depth 0 (district) and depth 1 (street).
ROLLUP_DEPTHS = (0, 1)


def depth(division: Division) -> int:
    """0 for a district (a root), 1 for a street; the materialised path holds the division's own id too."""
    return len(division.ancestor_ids()) - 1


def cockpit_roots(user) -> list[Division]:
    """The divisions whose cockpit the user may open (the top of what they see)."""
    roots = scope_of(user, Role.OFFICE, Role.LEADER, Role.STATION).roots()
    return [d for d in roots if depth(d) in ROLLUP_DEPTHS]


def can_open(user) -> bool:
    return bool(cockpit_roots(user))


@dataclass(frozen=True)
class Scope:
    """What one cockpit page shows: a division (district or street) and optionally one station in it."""

    division: Division
    station: Station | None = None

    @property
    def level(self) -> int:
        return depth(self.division)

    @cached_property
    def division_ids(self) -> list[int]:
        """The ids of the division's subtree, asked once per page (one query): the live count and the deputies'
        query select by these ids, not by the path, which SQLite matches only by reading every division (and then
        may walk a link table whole) and PostgreSQL, for a district, by walking every case."""
        return list(Division.objects.filter(path__startswith=self.division.path).values_list("pk", flat=True))

    def rows_q(self) -> Q:
        """Rollup rows of the scope."""
        q = Q(district_id=self.division.pk) if self.level == 0 else Q(street_id=self.division.pk)
        if self.station is not None:
            q &= Q(station_id=self.station.pk)
        return q

    def cases_q(self) -> Q:
        """The same cases over Case (the place of a case is Case.division)."""
        q = Q(division__path__startswith=self.division.path)
        if self.station is not None:
            q &= Q(station_id=self.station.pk)
        return q

    def query(self) -> dict[str, str]:
        params = {"division": str(self.division.pk)}
        if self.station is not None:
            params["station"] = str(self.station.pk)
        return params


def _int(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise NotFound(_("找不到该区划或联络站。")) from None
    if number <= 0 or number > 2**62:
        raise NotFound(_("找不到该区划或联络站。"))
    return number


def scope_for_actor(user, division_id=None, station_id=None) -> Scope:
    """The scope asked for, if the user may see it; the user's first root when nothing is asked.

    A division or station outside what the user sees, or deeper than a street, is NotFound (a 404)."""
    roots = cockpit_roots(user)
    if not roots:
        raise NotFound(_("没有可查看的驾驶舱。"))
    wanted = _int(division_id)
    station_pk = None if station_id == "none" else _int(station_id)  # "none" is a list filter, not a scope
    division = roots[0]
    if wanted is not None:
        division = Division.objects.filter(pk=wanted).first()
        if division is None or depth(division) not in ROLLUP_DEPTHS:
            raise NotFound(_("找不到该区划。"))
        if not any(division.path.startswith(root.path) for root in roots):
            raise NotFound(_("找不到该区划。"))
    station = None
    if station_pk is not None:
        station = Station.objects.select_related("division").filter(pk=station_pk).first()
        if station is None or not station.division.path.startswith(division.path):
            raise NotFound(_("找不到该联络站。"))
    return Scope(division, station)


def scoped_cases(user, scope: Scope) -> QuerySet[Case]:
    """The cases behind the scope's figures that the user may see (visible_cases semantics, fails closed)."""
    return visible_cases(user).filter(scope.cases_q())
