from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lianxin.events.enums import EventKind, EventStatus, SignUpStatus


class Event(models.Model):
    """An event a station publishes: a theme activity, a department head's visit (进站) or a training."""

    station = models.ForeignKey(
        "organisation.Station", on_delete=models.PROTECT, related_name="events", verbose_name=_("联络站")
    )
    unit = models.ForeignKey(
        "organisation.HandlingUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="station_visits",
        verbose_name=_("进站部门"),
    )
    kind = models.CharField(_("类型"), max_length=20, choices=EventKind.choices, default=EventKind.THEME)
    title = models.CharField(_("标题"), max_length=100)
    description = models.TextField(_("活动介绍"), max_length=5000, blank=True)
    location = models.CharField(_("地点"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    capacity = models.PositiveIntegerField(_("名额"))
    status = models.CharField(_("状态"), max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    cases = models.ManyToManyField("cases.Case", blank=True, related_name="events", verbose_name=_("活动中反映的问题"))

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="event_status_starts_idx"),
            models.Index(fields=["station", "starts_at"], name="event_station_starts_idx"),
            models.Index(fields=["unit", "starts_at"], name="event_unit_starts_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """The public page (sign-up) of the event; station pages and lists link to it."""
        return reverse("events:public_detail", args=[self.pk])


class SignUp(models.Model):
    """A citizen's sign-up, without an account: name and phone encrypted, shown masked."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="signups", verbose_name=_("活动"))
    code = models.CharField(_("报名码"), max_length=20, unique=True)
    checkin_code = models.CharField(_("签到码"), max_length=8)
    status = models.CharField(_("状态"), max_length=20, choices=SignUpStatus.choices)
    name_enc = models.TextField(blank=True)
    name_masked = models.CharField(_("姓名"), max_length=40, blank=True)
    phone_enc = models.TextField(blank=True)
    phone_hash = models.CharField(max_length=64, db_index=True)
    phone_masked = models.CharField(_("手机号"), max_length=20, blank=True)
    consent_at = models.DateTimeField(_("同意隐私告知时间"))
    created_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    promoted_at = models.DateTimeField(_("候补转正时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    attended_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("活动报名")
        verbose_name_plural = _("活动报名")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "phone_hash"],
                condition=Q(status__in=["confirmed", "waitlisted"]),
                name="signup_one_active_per_phone",
            ),
            models.UniqueConstraint(fields=["event", "checkin_code"], name="signup_checkin_code_unique"),
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"], name="signup_event_status_idx")]

    def __str__(self) -> str:
        return self.code
