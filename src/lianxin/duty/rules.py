"""Who may see and run which station's duty work. One place; everything fails closed."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lianxin.accounts.enums import Role
from lianxin.accounts.scopes import scope_of
from lianxin.accounts.selectors import user_deputy
from lianxin.duty.models import DutyShift, Reception
from lianxin.errors import NotFound
from lianxin.organisation.models import Deputy, Station


def managed_stations(user) -> QuerySet[Station]:
    """Stations whose rosters and reception register the user runs: their own station (staff) or every
    station under their division (office)."""
    scope = scope_of(user, Role.OFFICE, Role.STATION).q(division="division", station="pk")
    return Station.objects.filter(scope) if scope is not None else Station.objects.none()


def visible_stations(user) -> QuerySet[Station]:
    """Stations whose roster the user may read: the managed ones plus a deputy's own stations."""
    managed = managed_stations(user)
    deputy = user_deputy(user)
    if deputy is None:
        return managed
    return Station.objects.filter(Q(pk__in=managed.values("pk")) | Q(deputies=deputy)).distinct()


def station_for_actor(user, station_id, *, manage: bool) -> Station:
    try:
        station_id = int(station_id)
    except (TypeError, ValueError):
        raise NotFound(_("找不到该联络站。")) from None
    scope = managed_stations(user) if manage else visible_stations(user)
    station = scope.filter(pk=station_id).select_related("division").first()
    if station is None:
        raise NotFound(_("找不到该联络站。"))
    return station


def visible_shifts(user) -> QuerySet[DutyShift]:
    """Shifts the user may read: of managed stations, and a deputy's stations (their colleagues' too)."""
    return DutyShift.objects.filter(station__in=visible_stations(user).values("pk"))


def shift_for_actor(user, shift_id, *, manage: bool) -> DutyShift:
    try:
        shift_id = int(shift_id)
    except (TypeError, ValueError):
        raise NotFound(_("找不到该值班。")) from None
    scope = (
        DutyShift.objects.filter(station__in=managed_stations(user).values("pk")) if manage else visible_shifts(user)
    )
    shift = scope.filter(pk=shift_id).select_related("station", "deputy").first()
    if shift is None:
        raise NotFound(_("找不到该值班。"))
    return shift


def can_manage_station(user, station: Station) -> bool:
    return managed_stations(user).filter(pk=station.pk).exists()


def deputies_for_actor(user, deputy_id) -> Deputy:
    """A deputy whose unavailability the user may declare: themselves, or a deputy of a managed station."""
    try:
        deputy_id = int(deputy_id)
    except (TypeError, ValueError):
        raise NotFound(_("找不到该代表。")) from None
    own = user_deputy(user)
    if own is not None and own.pk == deputy_id:
        return own
    deputy = (
        Deputy.objects.filter(pk=deputy_id, active=True, stations__in=managed_stations(user).values("pk"))
        .distinct()
        .first()
    )
    if deputy is None:
        raise NotFound(_("找不到该代表。"))
    return deputy


def visible_receptions(user) -> QuerySet[Reception]:
    return Reception.objects.filter(station__in=managed_stations(user).values("pk"))


def reception_for_actor(user, reception_id) -> Reception:
    try:
        reception_id = int(reception_id)
    except (TypeError, ValueError):
        raise NotFound(_("找不到该接待登记。")) from None
    reception = visible_receptions(user).filter(pk=reception_id).select_related("station").first()
    if reception is None:
        raise NotFound(_("找不到该接待登记。"))
    return reception
