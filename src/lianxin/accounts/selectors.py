from __future__ import annotations

from lianxin.accounts.enums import Role
from lianxin.accounts.models import Membership
from lianxin.organisation.models import Deputy


def user_memberships(user) -> list[Membership]:
    """Active memberships, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_lianxin_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user, active=True).select_related("division", "station", "unit"))
        user._lianxin_memberships = cached
    return cached


def user_roles(user) -> set[str]:
    roles = {m.role for m in user_memberships(user)}
    if user_deputy(user) is not None:
        roles.add(Role.DEPUTY)
    return roles


def user_has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


def user_deputy(user):
    """The deputy record linked to this account, or None (cached per request)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_lianxin_deputy"):
        user._lianxin_deputy = Deputy.objects.filter(user=user, active=True).first()
    return user._lianxin_deputy
