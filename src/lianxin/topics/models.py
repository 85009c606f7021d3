"""Hot issues as computed by the periodic job (replaced on every run, read by one query), and the monthly topics
(每月一题) the office took up for supervision (kept)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Period(models.TextChoices):
    RECENT = "recent", _("近期")
    MONTH = "month", _("上月")


class HotTopic(models.Model):
    """One group of matters about one thing in one place, for one scope division (district or street)."""

    computed_at = models.DateTimeField(db_index=True)
    scope_id = models.BigIntegerField()
    period = models.CharField(max_length=10, choices=Period.choices, default=Period.RECENT)
    month = models.DateField(null=True, blank=True)
    rank = models.PositiveSmallIntegerField(default=0)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    what = models.CharField(_("问题"), max_length=60)
    cases = models.PositiveIntegerField(_("件数"), default=0)
    citizens = models.PositiveIntegerField(_("人数"), default=0)
    supporters = models.PositiveIntegerField(_("附议"), default=0)
    heat = models.FloatField(_("热度"), default=0)
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()
    case_ids = models.JSONField(default=list)
    titles = models.JSONField(default=list)

    class Meta:
        verbose_name = _("热点议题")
        verbose_name_plural = _("热点议题")
        ordering = ["scope_id", "period", "rank"]
        indexes = [models.Index(fields=["scope_id", "period", "rank"], name="topics_hot_scope")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.place} · {self.what}" if self.place else self.what


class MonthlyTopic(models.Model):
    """每月一题: a hot issue of a month that the office turned into a supervised topic."""

    scope_id = models.BigIntegerField(db_index=True)
    month = models.DateField(_("月份"))
    label = models.CharField(_("议题"), max_length=200)
    case_ids = models.JSONField(default=list)
    heat = models.FloatField(_("热度"), default=0)
    note = models.TextField(_("督办说明"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("每月一题")
        verbose_name_plural = _("每月一题")
        ordering = ["-month", "-heat"]
        constraints = [models.UniqueConstraint(fields=["scope_id", "month", "label"], name="topics_monthly_unique")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.label}"
