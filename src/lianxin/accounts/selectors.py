from __future__ import annotations

import functools

from django.db.models import Q
from django.http import Http404

from lianxin.accounts.enums import Role
from lianxin.accounts.models import ApiToken, Membership, User
from lianxin.audit.models import AuditEntry
from lianxin.organisation.models import Deputy

# The account events a user sees as their recent logins.
LOGIN_ACTIONS = ("account.login", "account.login_failed", "account.locked", "account.logout")


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


def top_office_required(view):
    """For a view of a platform-wide screen that lives in an app below accounts (the outbox): a 404 for anyone but
    holds_top_office; marks the request so the view can refuse when it is mounted without this check."""

    @functools.wraps(view)
    def checked(request, *args, **kwargs):
        if not (getattr(request.user, "is_authenticated", False) and holds_top_office(request.user)):
            raise Http404
        request.lianxin_top_office = True
        return view(request, *args, **kwargs)

    return checked


def holds_top_office(user) -> bool:
    """An office membership over the whole platform (no division, or a division at the top of the tree): the
    settings that hold for every account (the second-factor policy) and the platform-wide lists (the outbox)
    are theirs, not a street office's."""
    return any(
        m.role == Role.OFFICE and (m.division_id is None or m.division.parent_id is None)
        for m in user_memberships(user)
    )


def user_deputy(user):
    """The deputy record linked to this account, or None (cached per request)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_lianxin_deputy"):
        user._lianxin_deputy = Deputy.objects.filter(user=user, active=True).first()
    return user._lianxin_deputy


def tokens_managed_by(user):
    """API tokens the office may list and revoke: those of users holding a membership inside one of its office
    memberships' divisions (an office membership without a division reaches every account). Others: none."""
    offices = [m for m in user_memberships(user) if m.role == Role.OFFICE]
    if not offices:
        return ApiToken.objects.none()
    tokens = ApiToken.objects.select_related("user", "membership", "revoked_by")
    if any(not m.division_id for m in offices):
        return tokens
    reach = Q()
    for m in offices:
        path = m.division.path
        reach |= (
            Q(memberships__division__path__startswith=path)
            | Q(memberships__station__division__path__startswith=path)
            | Q(memberships__unit__division__path__startswith=path)
        )
    return tokens.filter(user__in=User.objects.filter(reach).values("pk"))


def user_recent_logins(user, limit: int = 20):
    """The account's own sign-in events from the audit log, newest first."""
    return AuditEntry.objects.filter(subject_type="user", subject_id=user.pk, action__in=LOGIN_ACTIONS).order_by("-id")[
        :limit
    ]
