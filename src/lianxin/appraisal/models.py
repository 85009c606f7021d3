"""Department appraisal (部门工作评议): a round per year with its items (weights and data sources), the entered
scores, the opinions collected from deputies and citizens, and the results frozen when the round is published.

The tables keep the names they had in the performance app (`db_table`): the split into the points and appraisal
apps moved no row (migrations performance 0004, points 0001, appraisal 0001)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lianxin.appraisal.enums import ItemSource, OpinionRating, RaterKind, RoundState


class AppraisalItemDefault(models.Model):
    """The default items a new round starts with (seeded with the seven items of the articles)."""

    name = models.CharField(_("评议项目"), max_length=60, unique=True)
    weight = models.DecimalField(_("权重"), max_digits=5, decimal_places=1)
    source = models.CharField(_("数据来源"), max_length=30, choices=ItemSource.choices)
    params = models.JSONField(_("计算参数"), default=dict, blank=True)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        db_table = "performance_appraisalitemdefault"
        verbose_name = _("默认评议项目")
        verbose_name_plural = _("默认评议项目")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class AppraisalRound(models.Model):
    """One year's appraisal: the window of data, the opinion-collection period and the rating scores."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    title = models.CharField(_("名称"), max_length=100)
    period_start = models.DateField(_("统计起始日"))
    period_end = models.DateField(_("统计截止日"), help_text=_("含当日"))
    opinion_opens_at = models.DateTimeField(_("意见征集开始"))
    opinion_closes_at = models.DateTimeField(_("意见征集截止"))
    state = models.CharField(_("状态"), max_length=20, choices=RoundState.choices, default=RoundState.DRAFT)
    score_satisfied = models.DecimalField(_("满意计分"), max_digits=5, decimal_places=1, default=100)
    score_basically_satisfied = models.DecimalField(_("基本满意计分"), max_digits=5, decimal_places=1, default=70)
    score_unsatisfied = models.DecimalField(_("不满意计分"), max_digits=5, decimal_places=1, default=30)
    units = models.ManyToManyField(
        "organisation.HandlingUnit", related_name="appraisal_rounds", verbose_name=_("参评单位")
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "performance_appraisalround"
        verbose_name = _("评议年度")
        verbose_name_plural = _("评议年度")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="appraisal_period"),
            models.CheckConstraint(
                condition=Q(opinion_closes_at__gt=models.F("opinion_opens_at")), name="appraisal_opinion_period"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AppraisalItem(models.Model):
    """An item of one round, copied from the defaults when the round is created and editable before publication."""

    round = models.ForeignKey(AppraisalRound, on_delete=models.CASCADE, related_name="items")
    name = models.CharField(_("评议项目"), max_length=60)
    weight = models.DecimalField(_("权重"), max_digits=5, decimal_places=1)
    source = models.CharField(_("数据来源"), max_length=30, choices=ItemSource.choices)
    params = models.JSONField(_("计算参数"), default=dict, blank=True)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        db_table = "performance_appraisalitem"
        verbose_name = _("评议项目")
        verbose_name_plural = _("评议项目")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "name"], name="appraisal_item_name_unique")]

    def __str__(self) -> str:
        return self.name


class AppraisalScore(models.Model):
    """A score (0–100) entered for an item and a unit: by a standing-committee member, or by the office."""

    item = models.ForeignKey(AppraisalItem, on_delete=models.CASCADE, related_name="scores")
    unit = models.ForeignKey("organisation.HandlingUnit", on_delete=models.PROTECT, related_name="+")
    scorer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=1)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "performance_appraisalscore"
        verbose_name = _("评议评分")
        verbose_name_plural = _("评议评分")
        ordering = ["item_id", "unit_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "unit", "scorer"], name="appraisal_score_unique"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=100), name="appraisal_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.score}"


class AppraisalOpinion(models.Model):
    """One rating and comment of a unit during the opinion-collection period (评议意见征集).

    Deputies rate once per unit through their account; citizens once per unit and phone (only a keyed hash
    and the masked number are kept)."""

    round = models.ForeignKey(AppraisalRound, on_delete=models.CASCADE, related_name="opinions")
    unit = models.ForeignKey("organisation.HandlingUnit", on_delete=models.PROTECT, related_name="+")
    rater_kind = models.CharField(_("评议人"), max_length=10, choices=RaterKind.choices)
    deputy = models.ForeignKey(
        "organisation.Deputy", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    phone_hash = models.CharField(max_length=64, blank=True)
    phone_masked = models.CharField(_("手机号"), max_length=20, blank=True)
    rating = models.CharField(_("评价"), max_length=30, choices=OpinionRating.choices)
    comment = models.TextField(_("意见"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "performance_appraisalopinion"
        verbose_name = _("评议意见")
        verbose_name_plural = _("评议意见")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "unit", "deputy"], condition=Q(deputy__isnull=False), name="opinion_one_per_deputy"
            ),
            models.UniqueConstraint(
                fields=["round", "unit", "phone_hash"], condition=~Q(phone_hash=""), name="opinion_one_per_phone"
            ),
        ]
        indexes = [models.Index(fields=["round", "unit"], name="opinion_round_unit_idx")]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.get_rating_display()}"


class AppraisalResult(models.Model):
    """A unit's total and rank, frozen when the round is published (the leaderboard reads these)."""

    round = models.ForeignKey(AppraisalRound, on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey("organisation.HandlingUnit", on_delete=models.PROTECT, related_name="+")
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, null=True)
    rank = models.PositiveIntegerField(_("名次"), null=True)
    ranked = models.BooleanField(_("参与排名"), default=False)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        db_table = "performance_appraisalresult"
        verbose_name = _("评议结果")
        verbose_name_plural = _("评议结果")
        ordering = ["round_id", "rank", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="appraisal_result_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.total}"


class AppraisalItemResult(models.Model):
    result = models.ForeignKey(AppraisalResult, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(AppraisalItem, on_delete=models.CASCADE, related_name="+")
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2, null=True)
    sample = models.PositiveIntegerField(_("样本量"), default=0)
    enough = models.BooleanField(_("样本充足"), default=False)
    details = models.JSONField(_("计算明细"), default=dict)

    class Meta:
        db_table = "performance_appraisalitemresult"
        ordering = ["result_id", "item__order", "item_id"]
        constraints = [models.UniqueConstraint(fields=["result", "item"], name="appraisal_item_result_unique")]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.score}"
