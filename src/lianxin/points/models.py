"""Deputies' performance points (履职积分): versioned rules, the ledger of entries with evidence, contests,
the publication switch of each period's table, and the assessment standards per deputy level.

The tables keep the names they had in the performance app (`db_table`): the split into the points and appraisal
apps moved no row (migrations performance 0004, points 0001, appraisal 0001)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lianxin.organisation.enums import DeputyLevel
from lianxin.points.enums import Activity, ContestState, EntryState, Metric, Period


class PointsRule(models.Model):
    """One version of the rule for an activity. Changing a rule adds a version; entries keep the one they used."""

    activity = models.CharField(_("履职活动"), max_length=40, choices=Activity.choices)
    version = models.PositiveIntegerField(_("版本"), default=1)
    points = models.DecimalField(_("分值（每次）"), max_digits=6, decimal_places=1)
    cap = models.DecimalField(
        _("每期上限"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("空表示不封顶；扣分时为最多扣分"),
    )
    cap_period = models.CharField(_("上限周期"), max_length=10, choices=Period.choices, default=Period.YEAR)
    needs_approval = models.BooleanField(_("需人大办审核"), default=False)
    active = models.BooleanField(_("现行"), default=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "performance_pointsrule"
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")
        ordering = ["activity", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "version"], name="points_rule_version_unique"),
            models.UniqueConstraint(fields=["activity"], condition=Q(active=True), name="points_rule_one_active"),
        ]

    def __str__(self) -> str:
        return f"{self.get_activity_display()} v{self.version}"


class PointsEntry(models.Model):
    """One line of a deputy's ledger. Automatic entries are derived from evidence: one per (deputy, activity,
    evidence object), so a second scan adds nothing. Manual entries carry the office's reason instead."""

    deputy = models.ForeignKey(
        "organisation.Deputy", on_delete=models.CASCADE, related_name="points_entries", verbose_name=_("代表")
    )
    rule = models.ForeignKey(
        PointsRule, null=True, blank=True, on_delete=models.PROTECT, related_name="entries", verbose_name=_("规则")
    )
    activity = models.CharField(_("履职活动"), max_length=40, choices=Activity.choices)
    points = models.DecimalField(_("分值"), max_digits=7, decimal_places=1)
    occurred_on = models.DateField(_("发生日期"), db_index=True)
    evidence_type = models.CharField(_("依据类型"), max_length=30)
    evidence_id = models.BigIntegerField(_("依据编号"), null=True, blank=True)
    evidence_label = models.CharField(_("依据"), max_length=200, blank=True)
    reason = models.TextField(_("理由"), max_length=1000, blank=True)
    state = models.CharField(_("状态"), max_length=20, choices=EntryState.choices, default=EntryState.COUNTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("审核意见"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "performance_pointsentry"
        verbose_name = _("积分记录")
        verbose_name_plural = _("积分记录")
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["deputy", "activity", "evidence_type", "evidence_id"],
                condition=~Q(activity=Activity.MANUAL),
                name="points_entry_one_per_evidence",
            ),
        ]
        indexes = [
            models.Index(fields=["deputy", "occurred_on"], name="points_entry_deputy_day_idx"),
            models.Index(fields=["state", "occurred_on"], name="points_entry_state_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} {self.occurred_on} {self.get_activity_display()} {self.points}"

    @property
    def automatic(self) -> bool:
        return self.activity != Activity.MANUAL


class PointsContest(models.Model):
    """A deputy's objection to an entry (异议), decided by the office."""

    entry = models.ForeignKey(
        PointsEntry, on_delete=models.CASCADE, related_name="contests", verbose_name=_("积分记录")
    )
    reason = models.TextField(_("异议理由"), max_length=1000)
    state = models.CharField(_("状态"), max_length=20, choices=ContestState.choices, default=ContestState.PENDING)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("处理意见"), max_length=500, blank=True)

    class Meta:
        db_table = "performance_pointscontest"
        verbose_name = _("积分异议")
        verbose_name_plural = _("积分异议")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry"], condition=Q(state=ContestState.PENDING), name="points_contest_one_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.get_state_display()}"


class PointsPublication(models.Model):
    """The publication switch of one period's table: quarter 1–4, or 0 for the whole year."""

    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"), default=0)
    published = models.BooleanField(_("已公布"), default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        db_table = "performance_pointspublication"
        verbose_name = _("积分公布")
        verbose_name_plural = _("积分公布")
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="points_publication_unique"),
            models.CheckConstraint(condition=Q(quarter__lte=4), name="points_publication_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.year} Q{self.quarter}" if self.quarter else str(self.year)


class AssessmentStandard(models.Model):
    """Yearly thresholds for excellent / pass per deputy level; blank level = the default for everyone else."""

    level = models.CharField(_("代表层级"), max_length=20, choices=DeputyLevel.choices, blank=True)
    excellent_points = models.DecimalField(_("优秀分数线"), max_digits=7, decimal_places=1)
    pass_points = models.DecimalField(_("合格分数线"), max_digits=7, decimal_places=1)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        db_table = "performance_assessmentstandard"
        verbose_name = _("考核标准")
        verbose_name_plural = _("考核标准")
        ordering = ["level"]
        constraints = [models.UniqueConstraint(fields=["level"], name="assessment_standard_level_unique")]

    def __str__(self) -> str:
        return self.get_level_display() or str(_("全部代表"))


class AssessmentRequirement(models.Model):
    """A yearly minimum a deputy must reach to pass at all (e.g. at least 10 voter contacts)."""

    standard = models.ForeignKey(AssessmentStandard, on_delete=models.CASCADE, related_name="requirements")
    metric = models.CharField(_("指标"), max_length=30, choices=Metric.choices)
    minimum = models.PositiveIntegerField(_("最低次数"))

    class Meta:
        db_table = "performance_assessmentrequirement"
        verbose_name = _("考核最低要求")
        verbose_name_plural = _("考核最低要求")
        ordering = ["standard_id", "metric"]
        constraints = [models.UniqueConstraint(fields=["standard", "metric"], name="assessment_requirement_unique")]

    def __str__(self) -> str:
        return f"{self.get_metric_display()} ≥ {self.minimum}"
