"""Who reaches the admin for registry objects, and the two permission groups the accounts get.

Django's admin needs `is_staff=True` plus model permissions. Lianxin adds one more condition:
registry objects are reachable only by superusers and by staff accounts holding an active
`office` membership. The auditor's account gets `is_staff=True` and the 审计员 group, which
holds only `audit.view_auditentry` (see docs/registry.md).
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from lianxin.accounts.enums import Role
from lianxin.accounts.selectors import user_roles
from lianxin.audit.admin import AuditedAdminMixin

OFFICE_GROUP = "人大办管理员"
AUDITOR_GROUP = "审计员"
OFFICE_APPS = ("organisation", "workdays")
OFFICE_MODELS = (("accounts", "user"), ("accounts", "membership"))


def registry_admin_allowed(user) -> bool:
    if not (user.is_active and user.is_staff):
        return False
    return user.is_superuser or Role.OFFICE in user_roles(user)


class OfficeAdminMixin(AuditedAdminMixin):
    """Registry admin pages: superusers and office staff (with the model permission) only."""

    def has_module_permission(self, request):
        return registry_admin_allowed(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return registry_admin_allowed(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return registry_admin_allowed(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return registry_admin_allowed(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return registry_admin_allowed(request.user) and super().has_delete_permission(request, obj)


@transaction.atomic
def admin_groups_sync() -> tuple[Group, Group]:
    """Create or refresh the office and auditor groups with exactly their permissions."""
    office, _created = Group.objects.get_or_create(name=OFFICE_GROUP)
    office_perms = Permission.objects.filter(content_type__app_label__in=OFFICE_APPS)
    for app_label, model in OFFICE_MODELS:
        office_perms = office_perms | Permission.objects.filter(
            content_type__app_label=app_label, content_type__model=model
        )
    office.permissions.set(office_perms)
    auditor, _created = Group.objects.get_or_create(name=AUDITOR_GROUP)
    auditor.permissions.set(Permission.objects.filter(content_type__app_label="audit", codename="view_auditentry"))
    return office, auditor
