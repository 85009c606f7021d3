from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.cases.enums import ExtensionState, Light, Rating
from lianxin.suggestions.enums import AssignmentState, Mode, RecordKind, State, UnitRole


class Suggestion(models.Model):
    """A deputy suggestion (代表建议): drafted by one deputy or jointly, reviewed, assigned, answered, rated."""

    State = State  # kept for callers that used Suggestion.State.DRAFT

    number = models.CharField(_("编号"), max_length=30, blank=True, db_index=True)
    title = models.CharField(_("案由"), max_length=200)
    situation = models.TextField(_("情况与理由"), blank=True)
    proposals = models.TextField(_("具体建议"), blank=True)
    category = models.ForeignKey(
        "organisation.Category",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("分类"),
    )
    urgency = models.TextField(_("紧迫性"), blank=True)
    breadth = models.TextField(_("广泛性"), blank=True)
    importance = models.TextField(_("重要性"), blank=True)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True)
    lead_deputy = models.ForeignKey(
        "organisation.Deputy",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="suggestions",
        verbose_name=_("领衔代表"),
    )
    # The people's congress whose office handles it (the district of the lead deputy's station).
    division = models.ForeignKey(
        "organisation.Division",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("所属人大"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    queued_for = models.DateField(_("待提交窗口"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    review_stage = models.PositiveSmallIntegerField(_("审查阶段"), default=0)
    review_comment = models.TextField(_("审查意见"), blank=True)
    not_accepted_reason = models.TextField(_("不予立案理由"), blank=True)
    reference_only = models.BooleanField(_("转为参阅件"), default=False)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged", verbose_name=_("并入")
    )
    accepted_at = models.DateTimeField(_("立案时间"), null=True, blank=True)

    mode = models.CharField(_("交办方式"), max_length=10, choices=Mode.choices, blank=True)
    round = models.PositiveSmallIntegerField(_("交办轮次"), default=0)
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    answer_due_at = models.DateTimeField(_("答复时限"), null=True, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_on_time = models.BooleanField(_("按期答复"), null=True, blank=True)
    answer_category = models.CharField(_("答复类别"), max_length=10, blank=True, db_index=True)
    solved = models.BooleanField(_("已解决"), default=False)
    publish_consent = models.BooleanField(_("代表同意公开"), default=True)

    rating = models.CharField(_("代表评价"), max_length=30, choices=Rating.choices, blank=True)
    rating_comment = models.TextField(_("评价意见"), blank=True)
    rating_due_at = models.DateTimeField(_("评价截止"), null=True, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    recheck_due_at = models.DateTimeField(_("复核时限"), null=True, blank=True)
    first_rating = models.CharField(_("首次评价"), max_length=30, choices=Rating.choices, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_unrated = models.BooleanField(_("未评价办结"), default=False)

    key = models.BooleanField(_("重点督办"), default=False)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_suggestions",
        verbose_name=_("包抓领导"),
    )
    urge_count = models.PositiveSmallIntegerField(_("催办次数"), default=0)
    due_at = models.DateTimeField(_("当前时限"), null=True, blank=True, db_index=True)
    phase_started_at = models.DateTimeField(null=True, blank=True)
    light = models.CharField(_("亮灯"), max_length=10, choices=Light.choices, default=Light.NONE, db_index=True)

    class Meta:
        verbose_name = _("代表建议")
        verbose_name_plural = _("代表建议")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title


class Cosigner(models.Model):
    """A co-signing deputy (附议) of a joint suggestion; counts once confirmed."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="cosigners")
    deputy = models.ForeignKey("organisation.Deputy", on_delete=models.PROTECT, related_name="cosigned")
    invited_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("附议代表")
        verbose_name_plural = _("附议代表")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["suggestion", "deputy"], name="cosigner_unique")]

    def __str__(self) -> str:
        return f"{self.deputy} · {self.suggestion}"


class Assignment(models.Model):
    """One unit's part of one round of assignment (交办): lead, co-unit or split."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey("organisation.HandlingUnit", on_delete=models.PROTECT, related_name="suggestion_tasks")
    role = models.CharField(_("承办方式"), max_length=10, choices=UnitRole.choices)
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    state = models.CharField(max_length=20, choices=AssignmentState.choices, default=AssignmentState.PENDING)
    assigned_at = models.DateTimeField()
    sign_due_at = models.DateTimeField()
    return_due_at = models.DateTimeField()
    answer_due_at = models.DateTimeField()
    opinion_due_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(blank=True)
    replaced = models.BooleanField(default=False)
    opinion = models.TextField(_("协办意见"), blank=True)
    opinion_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("交办记录")
        verbose_name_plural = _("交办记录")
        ordering = ["round", "id"]
        indexes = [models.Index(fields=["unit", "state"], name="sugg_assign_unit_state_idx")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_role_display()}"


class Answer(models.Model):
    """An answer document of a unit; B and C items get follow-up answers until solved."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="answers")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="answers")
    category = models.CharField(_("答复类别"), max_length=10)
    text = models.TextField(_("答复内容"), blank=True)
    document = models.FileField(_("答复文件"), upload_to="suggestions/%Y/%m/", blank=True)
    document_name = models.CharField(max_length=200, blank=True)
    signed_by = models.CharField(_("签发人"), max_length=50)
    follow_up = models.BooleanField(_("续报"), default=False)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.category} · {self.suggestion}"


class Record(models.Model):
    """A contact with the deputy (电话、走访、面商) or a supervision event (专题询问、现场督办)."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="records")
    unit = models.ForeignKey(
        "organisation.HandlingUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=RecordKind.choices)
    happened_on = models.DateField(_("日期"))
    note = models.TextField(_("情况"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("联系与督办记录")
        verbose_name_plural = _("联系与督办记录")
        ordering = ["happened_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.happened_on}"


class Extension(models.Model):
    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="extensions")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="extensions")
    months = models.PositiveSmallIntegerField()
    reason = models.TextField()
    state = models.CharField(max_length=20, choices=ExtensionState.choices, default=ExtensionState.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.suggestion} +{self.months}"
