"""The audit log in the admin: read-only for everyone, even superusers; visible to auditors.

`AuditedAdminMixin` is used by every registry admin so that each admin change of registry data
also writes an audit entry (the admin's own LogEntry is kept too).
"""

from __future__ import annotations

import json

from django.contrib import admin

from lianxin.accounts.enums import Role
from lianxin.accounts.selectors import user_roles
from lianxin.audit.models import AuditEntry
from lianxin.audit.services import log_action


def _actor_role(user) -> str:
    if user.is_superuser:
        return "superuser"
    roles = user_roles(user)
    return Role.OFFICE if Role.OFFICE in roles else ",".join(sorted(roles))


def _change_summary(message) -> list | str:
    if isinstance(message, list):
        return message
    try:
        return json.loads(message) if message else []
    except (TypeError, ValueError):
        return str(message)[:500]


class AuditedAdminMixin:
    """Write `admin.added` / `admin.changed` / `admin.deleted` audit entries for admin edits.

    Set `audit_in_service = True` where save_model calls a service that logs the change itself.
    """

    audit_in_service = False

    def _audit(self, request, obj, verb: str, message) -> None:
        log_action(
            actor=request.user,
            actor_role=_actor_role(request.user),
            action=f"admin.{verb}",
            subject_type=obj._meta.model_name[:30],
            subject_id=obj.pk,
            message=str(obj)[:200],
            data={"model": obj._meta.label, "changes": _change_summary(message)},
        )

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        if not self.audit_in_service:
            self._audit(request, obj, "added", message)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        if not self.audit_in_service:
            self._audit(request, obj, "changed", message)
        return entry

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._audit(request, obj, "deleted", [])
        return super().log_deletions(request, queryset)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Append-only: no add, change or delete for anyone. Auditors and superusers may read."""

    list_display = ("created_at", "actor", "actor_role", "action", "subject_type", "subject_id", "result")
    list_filter = ("result", "actor_role", "subject_type")
    search_fields = ("action", "subject_type", "actor__username")
    date_hierarchy = "created_at"
    list_select_related = ("actor",)
    readonly_fields = (
        "created_at",
        "actor",
        "actor_role",
        "action",
        "subject_type",
        "subject_id",
        "public",
        "message",
        "data",
        "result",
    )
    fields = readonly_fields
    actions = None

    def _may_read(self, request) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        return user.is_superuser or (Role.AUDITOR in user_roles(user) and user.has_perm("audit.view_auditentry"))

    def has_module_permission(self, request):
        return self._may_read(request)

    def has_view_permission(self, request, obj=None):
        return self._may_read(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
