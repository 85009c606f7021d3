"""Cases in the admin: a read-only overview for superusers, without personal data.

The work screens are where cases are handled; here nothing can be added, changed or deleted,
and the contact fields, the free text and the location are not shown at all.
"""

from django.contrib import admin

from lianxin.cases.models import Case

CASE_FIELDS = (
    "tracking_code",
    "title",
    "category",
    "request_type",
    "channel",
    "status",
    "light",
    "station",
    "deputy",
    "division",
    "handling_division",
    "current_unit",
    "created_at",
    "ack_due_at",
    "acknowledged_at",
    "dispatched_at",
    "handle_due_at",
    "replied_at",
    "rating",
    "closed_at",
    "return_count",
    "urge_count",
    "reopen_count",
)


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("tracking_code", "title", "status", "channel", "station", "current_unit", "light", "created_at")
    list_filter = ("status", "channel", "light", "request_type")
    search_fields = ("tracking_code", "title")
    date_hierarchy = "created_at"
    list_select_related = ("station", "current_unit")
    fields = CASE_FIELDS
    readonly_fields = CASE_FIELDS
    actions = None

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
