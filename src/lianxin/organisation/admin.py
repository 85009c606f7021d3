"""Admin screens for the organisation registry (superusers and office staff only).

Divisions are created and changed through `organisation.services` so that the materialised
`path` stays right; routing rules are never edited in place: adding a version copies the active
one with the rows entered as changes (`routing.ruleset_create_version`).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from lianxin.errors import InvalidInput
from lianxin.organisation.admin_access import OfficeAdminMixin
from lianxin.organisation.labels import reception_rule_text
from lianxin.organisation.models import (
    Category,
    Deputy,
    DeputyMandate,
    Division,
    HandlingUnit,
    RoutingRule,
    RoutingRuleSet,
    Station,
)
from lianxin.organisation.routing import RuleChange, ruleset_activate, ruleset_create_version
from lianxin.organisation.selectors import delete_refusal
from lianxin.organisation.services import (
    category_level_for,
    coordinates_check,
    division_check,
    division_create,
    division_update,
    polygon_parse,
    station_check_reception,
)

ACTION_CHECK_LIMIT = 200  # objects checked one by one before a bulk delete
admin.site.site_header = _("连心 · 管理后台")
admin.site.site_title = _("连心管理后台")
admin.site.index_title = _("组织机构与系统管理")


def raise_as_form_error(exc: InvalidInput, fields: set[str]) -> None:
    """A service's InvalidInput as a form ValidationError, on the field it names when there is one."""
    errors = {name: exc.message for name in exc.fields if name in fields}
    raise ValidationError(errors or exc.message)


PUBLISHED_CODE_HELP = _(
    "已发布，不能修改：编码印在二维码和海报上（/s/、/d/ 链接）。如需新编码，请新建一条并停用这一条。"
)


class PublishedCodeForm(forms.ModelForm):
    """Stations and deputies: the code is fixed once the object exists (see docs/registry.md)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "code" in self.fields:
            self.fields["code"].disabled = True  # a posted value is ignored; the stored code stays
            self.fields["code"].help_text = PUBLISHED_CODE_HELP


class RefuseDeleteInUseMixin:
    """Deleting a registry object that other rows point at says why not (and offers deactivation)
    instead of Django's protected-objects or missing-permission page."""

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and self.has_delete_permission(request, obj):
            refusal = delete_refusal(obj)
            if refusal:
                self.message_user(request, refusal, messages.ERROR)
                opts = self.model._meta
                return redirect(f"admin:{opts.app_label}_{opts.model_name}_change", obj.pk)
        return super().delete_view(request, object_id, extra_context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            action, name, description = actions["delete_selected"]

            def delete_selected_unless_in_use(modeladmin, request, queryset):
                refusals = [(obj, refusal) for obj in queryset[:ACTION_CHECK_LIMIT] if (refusal := delete_refusal(obj))]
                if refusals:
                    for obj, refusal in refusals[:10]:
                        self.message_user(request, f"{obj}：{refusal}", messages.ERROR)
                    return None
                return action(modeladmin, request, queryset)

            actions["delete_selected"] = (delete_selected_unless_in_use, name, description)
        return actions


def full_name(division: Division | None) -> str:
    """The path of names, from select_related parents (the tree is at most four levels deep)."""
    names = []
    walker = division
    while walker is not None and len(names) < 6:
        names.append(walker.name)
        walker = walker.parent
    return " / ".join(reversed(names))


# ---- divisions ---------------------------------------------------------------------------------
class DivisionForm(forms.ModelForm):
    class Meta:
        model = Division
        fields = ("name", "kind", "parent", "code", "grid_worker", "polygon", "lat", "lng")

    def clean(self):
        data = super().clean()
        try:
            division_check(kind=data.get("kind"), parent=data.get("parent"), division=self.instance)
            data["polygon"] = polygon_parse(data.get("polygon"))
            coordinates_check(data.get("lat"), data.get("lng"))
        except InvalidInput as exc:
            raise_as_form_error(exc, set(self.fields))
        return data


@admin.register(Division)
class DivisionAdmin(RefuseDeleteInUseMixin, OfficeAdminMixin, admin.ModelAdmin):
    form = DivisionForm
    audit_in_service = True
    list_display = ("full_name", "kind", "code", "grid_worker")
    list_filter = ("kind",)
    search_fields = ("name", "code")
    autocomplete_fields = ("parent",)
    list_select_related = ("parent__parent__parent",)
    ordering = ("path",)

    @admin.display(description=_("完整名称"), ordering="path")
    def full_name(self, obj):
        return full_name(obj)

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data.get(name) for name in DivisionForm.Meta.fields}
        data["code"] = data["code"] or ""
        data["grid_worker"] = data["grid_worker"] or ""
        if change:
            changes = {name: data[name] for name in form.changed_data if name in data}
            saved = division_update(actor=request.user, division_id=obj.pk, **changes)
        else:
            saved = division_create(actor=request.user, **data)
        obj.pk, obj.path = saved.pk, saved.path


# ---- stations and units ------------------------------------------------------------------------
class StationForm(PublishedCodeForm):
    class Meta:
        model = Station
        fields = (
            "code",
            "name",
            "kind",
            "division",
            "active",
            "address",
            "lat",
            "lng",
            "opening_hours",
            "phone",
            "reception_rule",
            "reception_weekday",
            "reception_monthday",
        )

    def clean(self):
        data = super().clean()
        try:
            weekday, monthday = station_check_reception(
                rule=data.get("reception_rule"),
                weekday=data.get("reception_weekday"),
                monthday=data.get("reception_monthday"),
            )
            coordinates_check(data.get("lat"), data.get("lng"))
        except InvalidInput as exc:
            raise_as_form_error(exc, set(self.fields))
        data["reception_weekday"], data["reception_monthday"] = weekday, monthday
        return data


@admin.register(Station)
class StationAdmin(RefuseDeleteInUseMixin, OfficeAdminMixin, admin.ModelAdmin):
    form = StationForm
    list_display = ("code", "name", "kind", "division", "reception", "active")
    list_filter = ("kind", "reception_rule", "active")
    search_fields = ("code", "name", "address")
    autocomplete_fields = ("division",)
    list_select_related = ("division",)
    fieldsets = (
        (None, {"fields": ("code", "name", "kind", "division", "active")}),
        (_("地址与开放时间"), {"fields": ("address", "lat", "lng", "opening_hours", "phone")}),
        (_("接待日"), {"fields": ("reception_rule", "reception_weekday", "reception_monthday")}),
    )

    @admin.display(description=_("接待日"))
    def reception(self, obj):
        return reception_rule_text(obj) or obj.get_reception_rule_display()


@admin.register(HandlingUnit)
class HandlingUnitAdmin(RefuseDeleteInUseMixin, OfficeAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "level", "division", "active")
    list_filter = ("level", "active")
    search_fields = ("code", "name")
    autocomplete_fields = ("division",)
    list_select_related = ("division",)


# ---- deputies ----------------------------------------------------------------------------------
class DeputyMandateInline(OfficeAdminMixin, admin.TabularInline):
    model = DeputyMandate
    extra = 1
    fields = ("level", "constituency")


class DeputyForm(PublishedCodeForm):
    class Meta:
        model = Deputy
        fields = (
            "code",
            "name",
            "user",
            "constituency",
            "sector",
            "active",
            "stations",
            "grids",
            "public",
            "photo",
            "bio",
        )


@admin.register(Deputy)
class DeputyAdmin(RefuseDeleteInUseMixin, OfficeAdminMixin, admin.ModelAdmin):
    form = DeputyForm
    inlines = (DeputyMandateInline,)
    list_display = ("code", "name", "levels", "constituency", "sector", "public", "active")
    list_filter = ("mandates__level", "public", "active")
    search_fields = ("code", "name", "constituency", "sector")
    autocomplete_fields = ("user", "stations", "grids")
    fieldsets = (
        (None, {"fields": ("code", "name", "user", "constituency", "sector", "active")}),
        (_("进站与网格"), {"fields": ("stations", "grids")}),
        (_("公开资料"), {"fields": ("public", "photo", "bio")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("mandates")

    @admin.display(description=_("代表层级"))
    def levels(self, obj):
        return "、".join(m.get_level_display() for m in obj.mandates.all())


# ---- categories --------------------------------------------------------------------------------
class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ("name", "parent", "active")

    def clean(self):
        data = super().clean()
        try:
            self.instance.level = category_level_for(parent=data.get("parent"), category=self.instance)
        except InvalidInput as exc:
            raise_as_form_error(exc, set(self.fields))
        return data


@admin.register(Category)
class CategoryAdmin(OfficeAdminMixin, admin.ModelAdmin):
    form = CategoryForm
    list_display = ("name", "path_name", "level", "active")
    list_filter = ("level", "active")
    search_fields = ("name", "parent__name")
    autocomplete_fields = ("parent",)
    list_select_related = ("parent__parent",)
    readonly_fields = ("level",)

    @admin.display(description=_("分类路径"))
    def path_name(self, obj):
        return full_name(obj)


# ---- routing rules -----------------------------------------------------------------------------
class RoutingRuleInline(OfficeAdminMixin, admin.TabularInline):
    model = RoutingRule
    extra = 3
    fields = ("category", "division", "unit")
    autocomplete_fields = ("category", "division", "unit")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("category", "division", "unit")

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return obj is None and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RoutingRuleSet)
class RoutingRuleSetAdmin(OfficeAdminMixin, admin.ModelAdmin):
    """Versions are history: a new version is the active one plus the rows entered here."""

    inlines = (RoutingRuleInline,)
    audit_in_service = True
    list_display = ("version", "active", "note", "rule_count", "created_by", "created_at")
    list_filter = ("active",)
    search_fields = ("note",)
    fields = ("note",)
    readonly_fields = ("version", "active", "created_by", "created_at")
    actions = ("activate_version",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by").annotate(rule_count=Count("rules"))

    def get_fields(self, request, obj=None):
        return ("note",) if obj is None else ("version", "active", "note", "created_by", "created_at")

    @admin.display(description=_("规则数"), ordering="rule_count")
    def rule_count(self, obj):
        return obj.rule_count

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not super().has_change_permission(request):
            actions.pop("activate_version", None)
        return actions

    def save_model(self, request, obj, form, change):
        """Nothing here: the version is created with its rules in save_related."""

    def save_related(self, request, form, formsets, change):
        changes = [
            RuleChange(
                category=f.cleaned_data["category"], division=f.cleaned_data["division"], unit=f.cleaned_data["unit"]
            )
            for formset in formsets
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        ruleset = ruleset_create_version(actor=request.user, note=form.cleaned_data.get("note", ""), rules=changes)
        form.instance.pk = ruleset.pk
        form.instance.version = ruleset.version

    def construct_change_message(self, request, form, formsets, add=False):
        return [{"added": {}}]

    @admin.action(description=_("设为生效版本"))
    def activate_version(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("请只选择一个版本。"), messages.ERROR)
            return
        ruleset = ruleset_activate(actor=request.user, ruleset_id=queryset.get().pk)
        self.message_user(request, _("已将 v%s 设为生效版本。") % ruleset.version, messages.SUCCESS)
