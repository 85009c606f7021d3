"""Who may manage which events: office staff over the stations of their division, station staff over their own
station. Everyone else manages none (fails closed); a foreign event is a 404."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lianxin.accounts.enums import Role
from lianxin.accounts.scopes import scope_of
from lianxin.accounts.selectors import user_roles
from lianxin.errors import NotFound
from lianxin.events.models import Event
from lianxin.organisation.models import Station


def station_scope(user) -> Q | None:
    """A Q over Station for the stations this user manages, or None for none."""
    return scope_of(user, Role.OFFICE, Role.STATION).q(division="division", station="pk")


def manageable_stations(user) -> QuerySet[Station]:
    scope = station_scope(user)
    if scope is None:
        return Station.objects.none()
    return Station.objects.filter(scope, active=True)


def can_manage(user) -> bool:
    return station_scope(user) is not None


def can_view_visits(user) -> bool:
    """Department-visit counts: office, station staff and leaders (they feed the department appraisal)."""

    return bool(user_roles(user) & {Role.OFFICE, Role.STATION, Role.LEADER})


def visible_events(user) -> QuerySet[Event]:
    scope = station_scope(user)
    if scope is None:
        return Event.objects.none()
    return Event.objects.filter(station__in=Station.objects.filter(scope).values("pk"))


def event_for_actor(user, event_id) -> Event:
    try:
        event_id = int(event_id)
    except (TypeError, ValueError):
        raise NotFound(_("找不到该活动。")) from None
    event = visible_events(user).filter(pk=event_id).select_related("station", "unit").first()
    if event is None:
        raise NotFound(_("找不到该活动。"))
    return event
