"""Who sees and does what with deputies' points (履职积分). One place; everything fails closed (a foreign object is
a 404). The department appraisal has its own rules (lianxin.appraisal.rules).

- office: every deputy in its division (all without one); manual entries, approvals, contests, publication, rules.
- deputy: their own ledger and totals; contests their own entries; the ranking once a period is published.
- leader: the ranking of published periods in their division.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lianxin.accounts.enums import Role
from lianxin.accounts.scopes import scope_of
from lianxin.accounts.selectors import user_deputy
from lianxin.errors import NotFound
from lianxin.organisation.models import Deputy


def _scope(user, role: str) -> Q | None:
    """The deputies reached through memberships of `role`, or None when the user holds no such role."""
    return scope_of(user, role).deputies_q()


def is_office(user) -> bool:
    return _scope(user, Role.OFFICE) is not None


def is_leader(user) -> bool:
    return _scope(user, Role.LEADER) is not None


def _deputies(scope: Q | None) -> QuerySet[Deputy]:
    if scope is None:
        return Deputy.objects.none()
    return Deputy.objects.filter(scope, active=True)


def office_deputies(user) -> QuerySet[Deputy]:
    """Deputies whose ledger the user manages (office only)."""
    return _deputies(_scope(user, Role.OFFICE))


def table_deputies(user, *, published: bool) -> QuerySet[Deputy]:
    """Deputies listed in the ranking table the user may see: the office always; leaders and deputies only once
    the period is published (deputies: of the divisions of their stations)."""
    if not getattr(user, "is_authenticated", False):
        return Deputy.objects.none()
    office = _scope(user, Role.OFFICE)
    if office is not None:
        return _deputies(office)
    if not published:
        return Deputy.objects.none()
    leader = _scope(user, Role.LEADER)
    if leader is not None:
        return _deputies(leader)
    own = user_deputy(user)
    if own is not None:
        return Deputy.objects.filter(active=True)
    return Deputy.objects.none()


def ledger_deputies(user) -> QuerySet[Deputy]:
    """Deputies whose entries the user may read: themselves, and those in the office's scope."""
    own = user_deputy(user)
    if own is None:
        return office_deputies(user)
    office = _scope(user, Role.OFFICE)
    if office is None:
        return Deputy.objects.filter(pk=own.pk)
    return Deputy.objects.filter(Q(pk=own.pk) | (office & Q(active=True)))


def ledger_deputy(user, deputy_id) -> Deputy:
    """A deputy whose entries the user may read (ledger_deputies)."""
    try:
        deputy_id = int(deputy_id)
    except (TypeError, ValueError):
        raise NotFound(_("找不到该代表。")) from None
    own = user_deputy(user)
    if own is not None and own.pk == deputy_id:
        return own
    deputy = ledger_deputies(user).filter(pk=deputy_id).first()
    if deputy is None:
        raise NotFound(_("找不到该代表。"))
    return deputy


def can_open_points(user) -> bool:
    return is_office(user) or is_leader(user) or user_deputy(user) is not None
