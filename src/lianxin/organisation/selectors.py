"""Reads for the registry page."""

from __future__ import annotations

from django.db.models import Count

from lianxin.accounts.enums import Role
from lianxin.accounts.selectors import user_roles
from lianxin.organisation.enums import DivisionKind
from lianxin.organisation.models import Category, Deputy, Division, HandlingUnit, Station


def registry_visible_to(user) -> bool:
    """The registry page is the office's (and superusers'); everyone else gets a 404."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or Role.OFFICE in user_roles(user)


def registry_counts() -> list[tuple[str, int, str]]:
    """(label, count, admin changelist name) for each kind of registry object; five queries."""
    by_kind = dict(Division.objects.order_by().values_list("kind").annotate(n=Count("pk")))
    rows = [
        (DivisionKind(kind).label, by_kind.get(kind, 0), "admin:organisation_division_changelist")
        for kind in DivisionKind.values
    ]
    rows += [
        (Station._meta.verbose_name, Station.objects.count(), "admin:organisation_station_changelist"),
        (HandlingUnit._meta.verbose_name, HandlingUnit.objects.count(), "admin:organisation_handlingunit_changelist"),
        (Deputy._meta.verbose_name, Deputy.objects.count(), "admin:organisation_deputy_changelist"),
        (Category._meta.verbose_name, Category.objects.count(), "admin:organisation_category_changelist"),
    ]
    return rows
