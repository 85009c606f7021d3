"""Who may manage which accounts (the office's people screen and the registry's accounts sheet).

The office manages the accounts of station staff, handling units and deputies inside its own divisions
(`scopes.scope_of(actor, "office")`): a station account whose station lies in the office's subtree, a unit account
whose unit's jurisdiction does, a deputy's account whose deputy is stationed or has a grid there. Everyone else
manages nothing, and a foreign account is a 404 (`user_for_actor`). Accounts with a privileged role (office,
leader, auditor), staff flags or superuser rights are never managed here: those stay with the superuser
(separation of duties, 等保). Every rule answers an empty queryset when the scope is empty (fails closed).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lianxin.accounts.enums import Role
from lianxin.accounts.models import Membership, User
from lianxin.accounts.scopes import NOTHING, Scope, scope_of
from lianxin.errors import NotFound
from lianxin.organisation.models import Deputy, HandlingUnit, Station

# The roles whose accounts the office creates and manages.
MANAGED_ROLES = (Role.STATION, Role.UNIT, Role.DEPUTY)
PRIVILEGED_ROLES = (Role.OFFICE, Role.LEADER, Role.AUDITOR)


def office_scope(actor) -> Scope:
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return NOTHING
    return scope_of(actor, Role.OFFICE)


def can_manage_people(actor) -> bool:
    return bool(office_scope(actor))


def assignable_stations(actor) -> QuerySet[Station]:
    query = office_scope(actor).q(division="division")
    return Station.objects.filter(query).order_by("name") if query is not None else Station.objects.none()


def assignable_units(actor) -> QuerySet[HandlingUnit]:
    query = office_scope(actor).q(division="division")
    return HandlingUnit.objects.filter(query).order_by("name") if query is not None else HandlingUnit.objects.none()


def assignable_deputies(actor) -> QuerySet[Deputy]:
    """Deputies stationed, or with a grid, inside the office's divisions."""
    query = office_scope(actor).q(division=("stations__division", "grids"))
    if query is None:
        return Deputy.objects.none()
    return Deputy.objects.filter(pk__in=Deputy.objects.filter(query).values("pk")).order_by("name")


def managed_users(actor) -> QuerySet[User]:
    """The accounts the actor manages (see the module's docstring)."""
    scope = office_scope(actor)
    reach = scope.q(
        division=(
            "memberships__station__division",
            "memberships__unit__division",
            "deputy__stations__division",
            "deputy__grids",
        ),
    )
    if reach is None:
        return User.objects.none()
    roles = Q(memberships__role__in=[Role.STATION, Role.UNIT]) | Q(deputy__isnull=False)
    reached = User.objects.filter(reach & roles).values("pk")
    privileged = Membership.objects.filter(role__in=PRIVILEGED_ROLES).values("user_id")
    return (
        User.objects.filter(pk__in=reached, is_superuser=False, is_staff=False)
        .exclude(pk__in=privileged)
        .exclude(pk=actor.pk)
    )


def user_for_actor(actor, user_id) -> User:
    """An account the actor manages, or NotFound (a foreign account looks the same as a missing one)."""
    if isinstance(user_id, str) and user_id.isdigit():
        user_id = int(user_id)
    if not isinstance(user_id, int) or isinstance(user_id, bool):
        raise NotFound(_("找不到该账号。"))
    user = managed_users(actor).filter(pk=user_id).first()
    if user is None:
        raise NotFound(_("找不到该账号。"))
    return user


def membership_in_scope(actor, membership: Membership) -> bool:
    """A station or unit membership the actor may add or end."""
    if membership.role == Role.STATION:
        return assignable_stations(actor).filter(pk=membership.station_id).exists()
    if membership.role == Role.UNIT:
        return assignable_units(actor).filter(pk=membership.unit_id).exists()
    return False
