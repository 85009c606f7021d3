"""Finder data: what each deputy agreed to publish, and the version of the grids for the lookup index."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

PUBLICATION_FLAGS = (
    "show_photo",
    "show_levels",
    "show_constituency",
    "show_sector",
    "show_bio",
    "show_stations",
    "show_duty_days",
    "show_stats",
)


class DeputyPublication(models.Model):
    """Per-item consent of a deputy's public profile. Without a row every item follows `Deputy.public`;
    a deputy who is not public shows nothing at all, whatever the flags say."""

    deputy = models.OneToOneField(
        "organisation.Deputy", on_delete=models.CASCADE, related_name="publication", verbose_name=_("代表")
    )
    show_photo = models.BooleanField(_("公开照片"), default=True)
    show_levels = models.BooleanField(_("公开代表层级"), default=True)
    show_constituency = models.BooleanField(_("公开选区"), default=True)
    show_sector = models.BooleanField(_("公开界别/行业"), default=True)
    show_bio = models.BooleanField(_("公开简介"), default=True)
    show_stations = models.BooleanField(_("公开进驻联络站"), default=True)
    show_duty_days = models.BooleanField(_("公开接待日"), default=True)
    show_stats = models.BooleanField(_("公开履职统计"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("代表信息公开选项")
        verbose_name_plural = _("代表信息公开选项")

    def __str__(self) -> str:
        return str(self.deputy)


class GridVersion(models.Model):
    """One row: bumped by every finder change to grids, so each process rebuilds its lookup index."""

    version = models.PositiveIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("网格数据版本")
        verbose_name_plural = _("网格数据版本")

    def __str__(self) -> str:
        return f"v{self.version}"
