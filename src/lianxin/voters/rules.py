"""Who sees which deputies' voter work and who may change it. One place; everything fails closed.

- office (代表工委/人大办): every deputy whose stations or grids lie in its division (all of them without one);
  pairs households, draws samples, records call-backs, schedules and closes reports.
- deputy: only themselves; pairs households, records contacts, publishes the text of their own reports.
- everybody else (stations, units, leaders, auditors, outsiders): nothing here.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lianxin.accounts.enums import Role
from lianxin.accounts.scopes import scope_of
from lianxin.accounts.selectors import user_deputy
from lianxin.errors import NotFound
from lianxin.organisation.models import Deputy


def office_scope(user) -> Q | None:
    """The deputies an office account reaches, or None when the user holds no office role."""
    return scope_of(user, Role.OFFICE).deputies_q()


def is_office(user) -> bool:
    return office_scope(user) is not None


def visible_deputies(user) -> QuerySet[Deputy]:
    if not getattr(user, "is_authenticated", False):
        return Deputy.objects.none()
    scope = office_scope(user)
    own = user_deputy(user)
    if own is not None:
        scope = Q(pk=own.pk) if scope is None else scope | Q(pk=own.pk)
    if scope is None:
        return Deputy.objects.none()
    return Deputy.objects.filter(scope, active=True)


def deputy_for_actor(user, deputy_id) -> Deputy:
    try:
        deputy_id = int(deputy_id)
    except (TypeError, ValueError):
        raise NotFound(_("找不到该代表。")) from None
    deputy = visible_deputies(user).filter(pk=deputy_id).first()
    if deputy is None:
        raise NotFound(_("找不到该代表。"))
    return deputy


def office_deputy(user, deputy_id) -> Deputy:
    """A deputy the user reaches through an office role (not merely by being that deputy)."""
    scope = office_scope(user)
    deputy = deputy_for_actor(user, deputy_id)
    if scope is None or not Deputy.objects.filter(scope, pk=deputy.pk).exists():
        raise NotFound(_("找不到该代表。"))
    return deputy


def may_write_for(user, deputy: Deputy) -> bool:
    """Pairing and contacts: the deputy themselves, or the office over them."""
    own = user_deputy(user)
    if own is not None and own.pk == deputy.pk:
        return True
    scope = office_scope(user)
    return scope is not None and Deputy.objects.filter(scope, pk=deputy.pk).exists()
