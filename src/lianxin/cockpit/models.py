"""Rollup tables of the cockpit (kept by cockpit.rollups, never edited by hand), report files and hot issues.

Each rollup row counts the cases registered on one day (grain "d") or in one month (grain "m", `day` is the
first of the month) in one bucket: the district (root division) and street (its child) of the case's place,
plus the table's own keys. Ids are plain integers, not foreign keys: the rollups are derived data that a
rebuild recreates, and they must never block a change to the registry.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.cockpit.measures import CASE_MEASURES, DEPUTY_MEASURES, PLACE_MEASURES, UNIT_MEASURES

GRAIN_DAY = "d"
GRAIN_MONTH = "m"
GRAINS = [(GRAIN_DAY, _("日")), (GRAIN_MONTH, _("月"))]


class RollupBase(models.Model):
    grain = models.CharField(max_length=1, choices=GRAINS)
    day = models.DateField()
    district_id = models.BigIntegerField(null=True)
    street_id = models.BigIntegerField(null=True)

    KEYS: tuple[str, ...] = ()
    MEASURES: dict = {}

    class Meta:
        abstract = True


def _counters(names) -> dict[str, models.Field]:
    return {name: models.PositiveIntegerField(default=0) for name in names}


def _rollup(name: str, keys: dict[str, models.Field], measures: dict, verbose: str, prefix: str):
    attrs = {
        "__module__": __name__,
        **keys,
        **_counters(measures),
        "KEYS": tuple(keys),
        "MEASURES": measures,
        "Meta": type(
            "Meta",
            (),
            {
                "verbose_name": verbose,
                "verbose_name_plural": verbose,
                "indexes": [
                    models.Index(fields=["district_id", "grain", "day"], name=f"{prefix}_district_idx"),
                    models.Index(fields=["street_id", "grain", "day"], name=f"{prefix}_street_idx"),
                ],
            },
        ),
    }
    return type(name, (RollupBase,), attrs)


CaseFigure = _rollup(
    "CaseFigure",
    {"station_id": models.BigIntegerField(null=True), "category_id": models.BigIntegerField(null=True)},
    CASE_MEASURES,
    _("民意件汇总"),
    "ck_case",
)
UnitFigure = _rollup(
    "UnitFigure", {"unit_id": models.BigIntegerField(null=True)}, UNIT_MEASURES, _("承办单位汇总"), "ck_unit"
)
DeputyFigure = _rollup(
    "DeputyFigure", {"deputy_id": models.BigIntegerField(null=True)}, DEPUTY_MEASURES, _("代表汇总"), "ck_deputy"
)
PlaceFigure = _rollup(
    "PlaceFigure", {"division_id": models.BigIntegerField(null=True)}, PLACE_MEASURES, _("网格汇总"), "ck_place"
)
ROLLUPS = (CaseFigure, UnitFigure, DeputyFigure, PlaceFigure)


class OverdueFigure(models.Model):
    """Snapshot of the cases now overdue (red) or near their deadline (yellow), rebuilt by every refresh."""

    district_id = models.BigIntegerField(null=True)
    street_id = models.BigIntegerField(null=True)
    station_id = models.BigIntegerField(null=True)
    category_id = models.BigIntegerField(null=True)
    overdue = models.PositiveIntegerField(default=0)
    near_due = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("超期快照")
        verbose_name_plural = _("超期快照")

    def __str__(self) -> str:
        return f"{self.street_id}/{self.station_id}: {self.overdue}"


class RollupState(models.Model):
    """The refresh job's watermarks (one row)."""

    name = models.CharField(max_length=30, unique=True, default="cases")
    watermark = models.DateTimeField(null=True, blank=True)
    last_audit_id = models.BigIntegerField(default=0)
    last_sweep_at = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_rebuild_at = models.DateTimeField(null=True, blank=True)
    last_buckets = models.PositiveIntegerField(default=0)
    last_seconds = models.FloatField(default=0)

    class Meta:
        verbose_name = _("汇总状态")
        verbose_name_plural = _("汇总状态")

    def __str__(self) -> str:
        return f"{self.name} @ {self.watermark}"


class HotIssue(models.Model):
    """One hot issue of the last N days for one scope division (district or street): a place and a keyword."""

    computed_at = models.DateTimeField(db_index=True)
    scope_id = models.BigIntegerField(db_index=True)
    place_id = models.BigIntegerField(null=True)
    place_name = models.CharField(max_length=200, blank=True)
    keyword = models.CharField(max_length=30)
    cases = models.PositiveIntegerField(default=0)
    people = models.PositiveIntegerField(default=0)
    last_at = models.DateTimeField()
    score = models.FloatField(default=0)
    sample_titles = models.JSONField(default=list)
    rank = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("热点问题")
        verbose_name_plural = _("热点问题")
        ordering = ["scope_id", "rank"]

    def __str__(self) -> str:
        return f"{self.place_name} {self.keyword}"


class ReportState(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("生成失败")


class Report(models.Model):
    """A monthly report of one division (PDF and Excel), generated by a background task."""

    division = models.ForeignKey("organisation.Division", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("月份"))
    state = models.CharField(max_length=20, choices=ReportState.choices, default=ReportState.PENDING)
    pdf = models.FileField(upload_to="cockpit/reports/%Y/%m/", blank=True)
    xlsx = models.FileField(upload_to="cockpit/reports/%Y/%m/", blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("月度报告")
        verbose_name_plural = _("月度报告")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.division_id} {self.month:%Y-%m}"
