"""Duty rosters (值班表), declared unavailability, swaps and the reception register (接待登记)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.duty.enums import CheckInMethod, ShiftSource, ShiftState, SwapState


class DutyShift(models.Model):
    """One deputy on duty at one station on one reception day, with their attendance."""

    station = models.ForeignKey(
        "organisation.Station", on_delete=models.CASCADE, related_name="duty_shifts", verbose_name=_("联络站")
    )
    deputy = models.ForeignKey(
        "organisation.Deputy", on_delete=models.CASCADE, related_name="duty_shifts", verbose_name=_("代表")
    )
    date = models.DateField(_("日期"), db_index=True)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    source = models.CharField(_("来源"), max_length=20, choices=ShiftSource.choices, default=ShiftSource.MANUAL)
    state = models.CharField(
        _("出勤"), max_length=20, choices=ShiftState.choices, default=ShiftState.PLANNED, db_index=True
    )
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    check_in_method = models.CharField(_("签到方式"), max_length=20, choices=CheckInMethod.choices, blank=True)
    checked_in_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("确认人")
    )
    late_minutes = models.PositiveIntegerField(_("迟到分钟"), default=0)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("值班")
        verbose_name_plural = _("值班")
        ordering = ["starts_at", "station_id", "deputy_id"]
        constraints = [
            models.UniqueConstraint(fields=["station", "date", "deputy"], name="duty_shift_unique"),
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="duty_shift_order"),
        ]
        indexes = [models.Index(fields=["deputy", "date"]), models.Index(fields=["station", "date"])]

    def __str__(self) -> str:
        return f"{self.station} {self.date} {self.deputy}"


class Unavailability(models.Model):
    """Days a deputy has declared they cannot be on duty (inclusive)."""

    deputy = models.ForeignKey(
        "organisation.Deputy", on_delete=models.CASCADE, related_name="unavailability", verbose_name=_("代表")
    )
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("不能值班时段")
        verbose_name_plural = _("不能值班时段")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="unavailability_order")
        ]

    def __str__(self) -> str:
        return f"{self.deputy} {self.start}—{self.end}"


class ShiftSwap(models.Model):
    """A request to hand a shift to another deputy (or exchange it for theirs), approved by staff."""

    shift = models.ForeignKey(DutyShift, on_delete=models.CASCADE, related_name="swaps", verbose_name=_("值班"))
    to_deputy = models.ForeignKey(
        "organisation.Deputy", on_delete=models.CASCADE, related_name="+", verbose_name=_("接替代表")
    )
    counter_shift = models.ForeignKey(
        DutyShift, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("对调的值班")
    )
    reason = models.CharField(_("理由"), max_length=200, blank=True)
    state = models.CharField(_("状态"), max_length=20, choices=SwapState.choices, default=SwapState.PENDING)
    requested_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("换班申请")
        verbose_name_plural = _("换班申请")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.shift} → {self.to_deputy}"


class Reception(models.Model):
    """The register of one reception day at a station (接待登记)."""

    station = models.ForeignKey(
        "organisation.Station", on_delete=models.PROTECT, related_name="receptions", verbose_name=_("联络站")
    )
    date = models.DateField(_("接待日期"))
    deputies_present = models.ManyToManyField(
        "organisation.Deputy", blank=True, related_name="receptions", verbose_name=_("接待代表")
    )
    visitor_count = models.PositiveIntegerField(_("来访人数"), default=0)
    notes = models.TextField(_("接待情况"), blank=True, max_length=5000)
    cases = models.ManyToManyField("cases.Case", blank=True, related_name="receptions", verbose_name=_("反映事项"))
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("接待登记")
        verbose_name_plural = _("接待登记")
        ordering = ["-date", "station_id"]
        constraints = [models.UniqueConstraint(fields=["station", "date"], name="reception_unique")]

    def __str__(self) -> str:
        return f"{self.station} {self.date}"
