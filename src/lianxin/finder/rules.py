"""Who may manage grids and print posters, and over which part of the district. Fails closed.

The office manages the subtree of its membership's division (the district); station staff manage the
subtree of their station's division (its street or community). Everyone else manages nothing.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lianxin.accounts.enums import Role
from lianxin.accounts.selectors import user_memberships
from lianxin.errors import NotFound
from lianxin.organisation.enums import DivisionKind
from lianxin.organisation.models import Deputy, Division, Station


def managed_roots(user) -> list[Division]:
    """The divisions whose subtrees the user manages (empty: none)."""
    if not getattr(user, "is_authenticated", False):
        return []
    if user.is_superuser:
        return list(Division.objects.filter(parent__isnull=True))
    roots = []
    for membership in user_memberships(user):
        if membership.role == Role.OFFICE and membership.division_id:
            roots.append(membership.division)
        elif membership.role == Role.STATION and membership.station_id:
            roots.append(membership.station.division)
    return roots


def can_manage(user) -> bool:
    return bool(managed_roots(user))


def _under(roots: list[Division], prefix: str = "") -> Q | None:
    if not roots:
        return None
    query = Q()
    for root in roots:
        query |= Q(**{f"{prefix}path__startswith": root.path})
    return query


def visible_divisions(user) -> QuerySet[Division]:
    query = _under(managed_roots(user))
    return Division.objects.filter(query) if query is not None else Division.objects.none()


def visible_grids(user) -> QuerySet[Division]:
    return visible_divisions(user).filter(kind=DivisionKind.GRID)


def visible_stations(user) -> QuerySet[Station]:
    query = _under(managed_roots(user), "division__")
    return Station.objects.filter(query) if query is not None else Station.objects.none()


def visible_deputies(user) -> QuerySet[Deputy]:
    """Deputies of the stations or grids the user manages."""
    roots = managed_roots(user)
    if not roots:
        return Deputy.objects.none()
    stations = _under(roots, "stations__division__")
    grids = _under(roots, "grids__")
    ids = Deputy.objects.filter(stations | grids).values("pk")
    return Deputy.objects.filter(pk__in=ids)


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
