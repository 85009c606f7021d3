"""The holiday calendar in the admin (office staff and superusers). Bulk entry of a year: the
registry page's calendar import (`workdays.services.calendar_import`)."""

from django.contrib import admin
from django.db.models import Count, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from lianxin.organisation.admin_access import OfficeAdminMixin
from lianxin.organisation.labels import weekday_label
from lianxin.workdays.models import CalendarDay, CalendarYear
from lianxin.workdays.services import calendar_clear_cache


@admin.register(CalendarDay)
class CalendarDayAdmin(OfficeAdminMixin, admin.ModelAdmin):
    list_display = ("date", "weekday", "is_workday", "name")
    list_filter = ("is_workday",)
    search_fields = ("name",)
    date_hierarchy = "date"

    @admin.display(description=_("星期"))
    def weekday(self, obj):
        return weekday_label(obj.date.weekday())

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        calendar_clear_cache()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        calendar_clear_cache()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        calendar_clear_cache()


@admin.register(CalendarYear)
class CalendarYearAdmin(OfficeAdminMixin, admin.ModelAdmin):
    list_display = ("year", "source", "day_count")
    search_fields = ("year", "source")

    def get_queryset(self, request):
        days = (
            CalendarDay.objects.filter(date__year=OuterRef("year"))
            .order_by()
            .values("date__year")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return super().get_queryset(request).annotate(day_count=Subquery(days))

    @admin.display(description=_("节假日与调休天数"))
    def day_count(self, obj):
        return obj.day_count or 0

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        calendar_clear_cache()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        calendar_clear_cache()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        calendar_clear_cache()
