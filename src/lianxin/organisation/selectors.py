"""Reads for the registry page."""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext as _

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


# Related rows that belong to a registry object and may go with it when it is deleted.
DELETED_WITH_OWNER = {"organisation.deputymandate", "finder.deputypublication"}
NOT_BLOCKING = (models.SET_NULL, models.SET_DEFAULT, models.DO_NOTHING)


def delete_blockers(obj) -> list[tuple[str, int]]:
    """(label, count) of the rows that keep a registry object from being deleted: everything that points
    at it (cases, duty shifts, memberships, routing rules, sub-divisions…) except its own parts and
    links between registry objects. One count query per kind of row."""
    meta = obj._meta
    by_model: dict = {}
    for relation in meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete and relation.is_relation):
            continue
        model = relation.related_model
        if model._meta.auto_created or model._meta.label_lower in DELETED_WITH_OWNER:
            continue  # an M2M's through table, or the object's own parts
        if relation.many_to_many and model._meta.app_label == meta.app_label:
            continue  # a link between registry objects (a deputy's stations and grids) just goes away
        if not relation.many_to_many and relation.on_delete in NOT_BLOCKING:
            continue
        condition = models.Q(**{relation.field.name: obj})
        by_model[model] = by_model[model] | condition if model in by_model else condition
    blockers = []
    for model, condition in by_model.items():
        count = model._base_manager.filter(condition).order_by().values("pk").distinct().count()
        if count:
            blockers.append((str(model._meta.verbose_name), count))
    return blockers


def delete_refusal(obj) -> str | None:
    """Why a registry object cannot be deleted, with what to do instead; None when it can."""
    blockers = delete_blockers(obj)
    if not blockers:
        return None
    listed = "、".join(_("%(label)s %(count)d 条") % {"label": label, "count": count} for label, count in blockers)
    message = _("该%(kind)s有关联数据（%(listed)s），不能删除；") % {
        "kind": obj._meta.verbose_name,
        "listed": listed,
    }
    try:
        active = obj._meta.get_field("active")
    except FieldDoesNotExist:
        return message + _("请先处理这些数据。")
    return message + _("可改为停用（取消勾选「%s」）。") % active.verbose_name
