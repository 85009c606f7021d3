"""Accounts in the admin: users with their role memberships.

Each role needs exactly its own scope: station staff a station, a handling unit's user a unit,
office and leader optionally a division, deputies and auditors nothing (a deputy's account is
linked from the deputy record). Office staff may manage ordinary accounts, but only superusers
change staff flags, groups, permissions or superuser accounts.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from lianxin.accounts.enums import Role
from lianxin.accounts.models import Membership, User
from lianxin.accounts.security import password_recorded
from lianxin.organisation.admin_access import OfficeAdminMixin

SCOPE_FIELDS = ("division", "station", "unit")
# role → (required scope, optional scopes); every other scope must stay empty.
ROLE_SCOPES = {
    Role.STATION: ("station", set()),
    Role.UNIT: ("unit", set()),
    Role.OFFICE: (None, {"division"}),
    Role.LEADER: (None, {"division"}),
    Role.DEPUTY: (None, set()),
    Role.AUDITOR: (None, set()),
}
SCOPE_LABELS = {"division": _lazy("行政区划"), "station": _lazy("联络站"), "unit": _lazy("承办单位")}


def membership_scope_errors(role: str, scope: dict) -> dict[str, str]:
    """Field → message for every scope this role must or must not have."""
    if role not in ROLE_SCOPES:
        return {"role": _("请选择角色。")}
    required, optional = ROLE_SCOPES[role]
    label = Role(role).label
    errors = {}
    if required and not scope.get(required):
        errors[required] = _("“%(role)s”必须选择%(scope)s。") % {"role": label, "scope": SCOPE_LABELS[required]}
    for name in SCOPE_FIELDS:
        if name != required and name not in optional and scope.get(name):
            errors[name] = _("“%(role)s”不能设置%(scope)s。") % {"role": label, "scope": SCOPE_LABELS[name]}
    return errors


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ("role", "division", "station", "unit", "active")

    def clean(self):
        data = super().clean()
        errors = membership_scope_errors(data.get("role"), {name: data.get(name) for name in SCOPE_FIELDS})
        if errors:
            raise ValidationError(errors)
        return data


class MembershipInline(OfficeAdminMixin, admin.TabularInline):
    model = Membership
    form = MembershipForm
    extra = 1
    autocomplete_fields = ("division", "station", "unit")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("division", "station", "unit")


@admin.register(User)
class UserAdmin(OfficeAdminMixin, DjangoUserAdmin):
    inlines = (MembershipInline,)
    list_display = ("username", "display_name", "roles", "is_staff", "is_active", "last_login")
    list_filter = ("memberships__role", "is_staff", "is_superuser", "is_active")
    search_fields = ("username", "display_name")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_lazy("个人信息"), {"fields": ("display_name", "email")}),
        (
            _lazy("权限"),
            {"fields": ("is_active", "must_change_password", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_lazy("时间"), {"fields": ("last_login", "date_joined", "password_changed_at")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("username", "display_name", "usable_password", "password1", "password2")},
        ),
    )
    readonly_fields = ("last_login", "date_joined", "password_changed_at")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("memberships")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.must_change_password = True  # the office chose the first password: the user replaces it
        super().save_model(request, obj, form, change)

    def user_change_password(self, request, id, form_url=""):
        """A password set here by the office is a reset: the user must choose their own at the next login."""
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                user = User.objects.get(pk=unquote(id))
                password_recorded(actor=request.user, user=user)
        return response

    @admin.display(description=_lazy("角色"))
    def roles(self, obj):
        return "、".join(m.get_role_display() for m in obj.memberships.all() if m.active)

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ("is_staff", "is_superuser", "groups", "user_permissions")
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)
