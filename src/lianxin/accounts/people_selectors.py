"""Reads of the office's people screen: the accounts it manages, searched and filtered."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from lianxin.accounts.enums import Role
from lianxin.accounts.models import Membership, User
from lianxin.accounts.rules import managed_users

STATES = ("active", "pending", "deactivated")
# A password that cannot be used (Django's set_unusable_password, or none at all): not activated yet.
PENDING = Q(password__startswith="!") | Q(password="")


@dataclass(frozen=True)
class PeopleFilters:
    q: str = ""
    role: str = ""
    station_id: int | None = None
    unit_id: int | None = None
    state: str = ""


def people_list(actor, filters: PeopleFilters) -> QuerySet[User]:
    users = managed_users(actor)
    if filters.q:
        users = users.filter(
            Q(username__icontains=filters.q)
            | Q(display_name__icontains=filters.q)
            | Q(deputy__name__icontains=filters.q)
        )
    if filters.role == Role.DEPUTY:
        users = users.filter(deputy__isnull=False)
    elif filters.role in (Role.STATION, Role.UNIT):
        users = users.filter(pk__in=Membership.objects.filter(role=filters.role, active=True).values("user_id"))
    if filters.station_id:
        users = users.filter(
            pk__in=Membership.objects.filter(station_id=filters.station_id, active=True).values("user_id")
        )
    if filters.unit_id:
        users = users.filter(pk__in=Membership.objects.filter(unit_id=filters.unit_id, active=True).values("user_id"))
    if filters.state == "active":
        users = users.filter(is_active=True).exclude(PENDING)
    elif filters.state == "pending":
        users = users.filter(PENDING, is_active=True)
    elif filters.state == "deactivated":
        users = users.filter(is_active=False)
    memberships = Membership.objects.filter(active=True).select_related("station", "unit", "division")
    return (
        users.select_related("deputy")
        .prefetch_related(Prefetch("memberships", queryset=memberships, to_attr="active_memberships"))
        .order_by("username")
    )


def person_memberships(user: User) -> list[Membership]:
    return list(user.memberships.select_related("station", "unit", "division").order_by("-active", "id"))
