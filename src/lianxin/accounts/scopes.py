"""What a user's memberships reach: the one rule every app's `rules.py` composes.

A membership reaches part of the division tree, never "the district" as such:

- an office or leader membership with a division reaches that division's subtree (its materialised `path` is a
  prefix of every division below it), whatever level the division is at — a street, a district, or a city or
  province congress above the districts, whose office then sees through to every district below it;
- an office or leader membership without a division reaches everything;
- a station membership reaches its station; rules that need the station's surroundings use the subtree of the
  station's division (`station_paths`);
- a unit membership reaches its handling unit;
- anything else (deputies are reached through their `Deputy` record, auditors, outsiders, anonymous users)
  reaches nothing: every Q built here is None when the scope is empty, and callers answer `.none()` (fails closed).

`Scope.q()` turns a scope into a filter over any model, given the lookups that lead from that model to a division,
a station or a unit, so the same rule serves cases, stations, deputies, consultations and suggestions alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Exists, OuterRef, Q

from lianxin.accounts.enums import Role
from lianxin.accounts.selectors import user_memberships
from lianxin.organisation.models import Deputy, Division

# Roles whose membership reaches a division's subtree (the whole tree without a division).
DIVISION_ROLES = frozenset({Role.OFFICE, Role.LEADER})

Lookups = str | tuple[str, ...] | None


def _lookups(value: Lookups) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _prefix(lookup: str) -> str:
    # The empty lookup is the Division model itself; "division" becomes "division__".
    return f"{lookup}__" if lookup else ""


@dataclass(frozen=True)
class Scope:
    """The divisions, stations and units one user reaches through memberships of some roles."""

    everything: bool = False
    divisions: tuple = ()  # subtree roots (Division) of office/leader memberships
    stations: tuple = ()  # Station of station memberships
    unit_ids: tuple[int, ...] = ()

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(division.path for division in self.divisions)

    @property
    def station_ids(self) -> tuple[int, ...]:
        return tuple(station.pk for station in self.stations)

    @property
    def station_paths(self) -> tuple[str, ...]:
        """The subtrees of the stations' own divisions."""
        return tuple(station.division.path for station in self.stations)

    def __bool__(self) -> bool:
        return self.everything or bool(self.divisions or self.stations or self.unit_ids)

    def covers(self, division) -> bool:
        """Whether the office/leader part of the scope reaches the whole of `division`."""
        return self.everything or any(division.path.startswith(path) for path in self.paths)

    def roots(self) -> list:
        """The divisions at the top of the scope: its office/leader subtrees and its stations' divisions, without one
        that lies inside another (the whole tree's top divisions when the scope reaches everything)."""
        if self.everything:
            return list(Division.objects.filter(parent__isnull=True))
        found = {d.pk: d for d in [*self.divisions, *(station.division for station in self.stations)]}.values()
        tops = [d for d in found if not any(o.pk != d.pk and d.path.startswith(o.path) for o in found)]
        return sorted(tops, key=lambda d: d.path)

    def q(
        self,
        *,
        division: Lookups = None,
        station: Lookups = None,
        station_division: Lookups = None,
        unit: Lookups = None,
    ) -> Q | None:
        """A filter over a model, or None when the scope reaches none of it (fails closed).

        `division`: lookups from the model to a Division ("" for Division itself, "division", "grids",
        "stations__division"), matched by the subtrees of `paths`; `station`: lookups to a station's id ("pk" on
        Station, "station_id"); `station_division`: lookups to a Division matched by the subtrees of the stations'
        divisions; `unit`: lookups to a handling unit's id. A part without lookups adds nothing."""
        if self.everything:
            return Q(pk__isnull=False)
        parts: list[Q] = []
        for lookup in _lookups(division):
            parts += [Q(**{f"{_prefix(lookup)}path__startswith": path}) for path in self.paths]
        for lookup in _lookups(station):
            parts += [Q(**{lookup: pk}) for pk in self.station_ids]
        for lookup in _lookups(station_division):
            parts += [Q(**{f"{_prefix(lookup)}path__startswith": path}) for path in self.station_paths]
        for lookup in _lookups(unit):
            parts += [Q(**{lookup: pk}) for pk in self.unit_ids]
        return reduce(or_, parts) if parts else None

    def deputies_q(self) -> Q | None:
        """Over Deputy: the deputies stationed at a station, or holding a grid, in the office/leader subtrees (all
        deputies when the scope reaches everything); None when it reaches none. The same deputies as
        `q(division=("stations__division", "grids"))`, asked per deputy through the two link tables (an EXISTS each,
        by the deputy's key): no join of the deputies with their stations and grids, so no duplicate rows to remove,
        and a check of a few deputies reads only their links, whatever the number of deputies."""
        if self.everything:
            return Q(pk__isnull=False)
        parts: list[Q] = []
        for path in self.paths:
            stationed = Deputy.stations.through.objects.filter(
                deputy_id=OuterRef("pk"), station__division__path__startswith=path
            )
            gridded = Deputy.grids.through.objects.filter(deputy_id=OuterRef("pk"), division__path__startswith=path)
            parts += [Q(Exists(stationed)), Q(Exists(gridded))]
        return reduce(or_, parts) if parts else None


NOTHING = Scope()


def scope_of(user, *roles: str) -> Scope:
    """What the user's active memberships of `roles` reach; an empty Scope for anyone else."""
    if not getattr(user, "is_authenticated", False):
        return NOTHING
    divisions: dict[int, object] = {}
    stations: dict[int, object] = {}
    units: dict[int, None] = {}
    everything = False
    for membership in user_memberships(user):
        if membership.role not in roles:
            continue
        if membership.role in DIVISION_ROLES:
            if membership.division_id:
                divisions[membership.division_id] = membership.division
            else:
                everything = True
        elif membership.role == Role.STATION and membership.station_id:
            stations[membership.station_id] = membership.station
        elif membership.role == Role.UNIT and membership.unit_id:
            units[membership.unit_id] = None
    return Scope(
        everything=everything,
        divisions=tuple(divisions.values()),
        stations=tuple(stations.values()),
        unit_ids=tuple(units),
    )
