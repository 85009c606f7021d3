"""Who may manage grids and print posters, and over which part of the district. Fails closed.

The office manages the subtree of its membership's division (the district); station staff manage the
subtree of their station's division (its street or community). Everyone else manages nothing.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lianxin.accounts.enums import Role
from lianxin.accounts.scopes import Scope, scope_of
from lianxin.errors import NotFound
from lianxin.organisation.enums import DivisionKind
from lianxin.organisation.models import Deputy, Division, Station


def managed_roots(user) -> list[Division]:
    """The divisions whose subtrees the user manages (empty: none)."""
    if not getattr(user, "is_authenticated", False):
        return []
    if user.is_superuser:
        return list(Division.objects.filter(parent__isnull=True))
    # An office membership without a division manages nothing here (the rule this page has always had).
    scope = scope_of(user, Role.OFFICE, Role.STATION)
    return [*scope.divisions, *(station.division for station in scope.stations)]


def can_manage(user) -> bool:
    return bool(managed_roots(user))


def _scope(user) -> Scope:
    return Scope(divisions=tuple(managed_roots(user)))


def visible_divisions(user) -> QuerySet[Division]:
    query = _scope(user).q(division="")
    return Division.objects.filter(query) if query is not None else Division.objects.none()


def visible_grids(user) -> QuerySet[Division]:
    return visible_divisions(user).filter(kind=DivisionKind.GRID)


def visible_stations(user) -> QuerySet[Station]:
    query = _scope(user).q(division="division")
    return Station.objects.filter(query) if query is not None else Station.objects.none()


def visible_deputies(user) -> QuerySet[Deputy]:
    """Deputies of the stations or grids the user manages."""
    query = _scope(user).q(division=("stations__division", "grids"))
    if query is None:
        return Deputy.objects.none()
    return Deputy.objects.filter(pk__in=Deputy.objects.filter(query).values("pk"))


def division_for(user, division_id, *, kinds: set[str] | None = None) -> Division:
    """A division the user manages, or NotFound (a foreign one looks the same as a missing one)."""
    if not isinstance(division_id, int) and not (isinstance(division_id, str) and division_id.isdigit()):
        raise NotFound(_("找不到该区划。"))
    queryset = visible_divisions(user)
    if kinds:
        queryset = queryset.filter(kind__in=kinds)
    division = queryset.filter(pk=int(division_id)).first()
    if division is None:
        raise NotFound(_("找不到该区划。"))
    return division
