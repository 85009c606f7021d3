from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.cases.enums import Channel, DispatchState, ExtensionState, Light, Rating, ReplyFlag, RequestType, Status


class Case(models.Model):
    """One matter raised by citizens (民意件); every channel becomes a Case."""

    # unique through Meta.constraints, not unique=True: on PostgreSQL that adds a second, LIKE-pattern
    # index that no query uses, and every intake pays for each index (docs/benchmarks.md).
    tracking_code = models.CharField(_("查询码"), max_length=20)
    title = models.CharField(_("标题"), max_length=100)
    details = models.TextField(_("详细内容"), max_length=5000)
    category = models.ForeignKey(
        "organisation.Category",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("分类"),
        db_index=False,  # case_category_idx: only the cases that have one
    )
    request_type = models.CharField(_("诉求类型"), max_length=20, choices=RequestType.choices, default=RequestType.HELP)
    channel = models.CharField(_("渠道"), max_length=20, choices=Channel.choices)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.REGISTERED)

    station = models.ForeignKey(
        "organisation.Station",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("联络站"),
        db_index=False,  # case_station_status_idx starts with it
    )
    deputy = models.ForeignKey(
        "organisation.Deputy",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("代表"),
        db_index=False,  # case_deputy_idx: only the cases that have one
    )
    division = models.ForeignKey(
        "organisation.Division",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("所在区划"),
    )
    # The level that currently owns the case; escalation moves it up one level.
    handling_division = models.ForeignKey(
        "organisation.Division",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_cases",
        verbose_name=_("当前处理层级"),
    )
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lng = models.FloatField(_("经度"), null=True, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)

    # Personal data: encrypted at rest, a keyed hash for lookup, shown masked.
    contact_name_enc = models.TextField(blank=True)
    contact_phone_enc = models.TextField(blank=True)
    contact_phone_hash = models.CharField(max_length=64, blank=True)
    contact_phone_masked = models.CharField(_("联系电话"), max_length=20, blank=True)
    contact_name_masked = models.CharField(_("联系人"), max_length=20, blank=True)
    anonymous = models.BooleanField(_("匿名"), default=False)
    consent_at = models.DateTimeField(_("同意隐私告知时间"), null=True, blank=True)

    idempotency_key = models.CharField(max_length=100, null=True, blank=True)
    idempotency_fingerprint = models.CharField(max_length=64, blank=True)
    # Raised by one when the citizen recovers a lost follow-up link: only the newest link opens the case.
    follow_up_generation = models.PositiveSmallIntegerField(default=0)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("登记人"),
        db_index=False,  # case_created_by_idx: only the cases staff registered
    )
    deputies_present = models.ManyToManyField(
        "organisation.Deputy", blank=True, related_name="received_cases", verbose_name=_("接待代表")
    )

    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    ack_due_at = models.DateTimeField(_("回应时限"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("回应时间"), null=True, blank=True)

    current_unit = models.ForeignKey(
        "organisation.HandlingUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("承办单位"),
        db_index=False,  # case_unit_status_idx starts with it
    )
    dispatched_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    claim_due_at = models.DateTimeField(_("签收时限"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    handle_due_at = models.DateTimeField(_("办理时限"), null=True, blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("解决时间"), null=True, blank=True)
    return_count = models.PositiveSmallIntegerField(_("退回次数"), default=0)
    needs_arbitration = models.BooleanField(_("待裁定"), default=False)
    arbitrated = models.BooleanField(_("已裁定"), default=False)
    urge_count = models.PositiveSmallIntegerField(_("催办次数"), default=0)
    reopen_count = models.PositiveSmallIntegerField(_("重办次数"), default=0)

    fed_back_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    rating_due_at = models.DateTimeField(_("评价截止"), null=True, blank=True)
    rating = models.CharField(_("评价"), max_length=30, choices=Rating.choices, blank=True)
    rating_comment = models.TextField(_("评价意见"), blank=True, max_length=1000)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_unrated = models.BooleanField(_("未评价办结"), default=False)
    decline_reason = models.TextField(_("不予受理理由"), blank=True)
    # Marked by staff as spam or a flood: hidden from the queues unless asked for (cases/spam.py).
    spam = models.BooleanField(_("垃圾信息"), default=False)
    public_answer = models.TextField(_("答复群众内容"), blank=True)
    suggestion = models.ForeignKey(
        "suggestions.Suggestion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
        verbose_name=_("代表建议"),
        db_index=False,  # case_suggestion_idx: only the cases linked to one
    )

    # The deadline of the current phase and its traffic light, recomputed by a periodic job.
    due_at = models.DateTimeField(_("当前时限"), null=True, blank=True, db_index=True)
    phase_started_at = models.DateTimeField(null=True, blank=True)
    light = models.CharField(_("亮灯"), max_length=10, choices=Light.choices, default=Light.NONE)

    # "Me too": citizens who added their support instead of raising the same matter again (CaseSupporter rows),
    # and the case this one was merged into by staff (handled there; its citizen is told of each public step).
    supporters = models.PositiveIntegerField(_("附议人数"), default=0)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_cases",
        verbose_name=_("并入"),
        db_index=False,  # case_merged_into_idx: only the merged cases
    )
    # Why the latest reply looks weak (lianxin.topics.replies: boilerplate, deflects, unrelated, late); staff see it
    # before they give the feedback. Empty: no flag.
    reply_flags = models.JSONField(_("答复质量提示"), default=list, blank=True)

    class Meta:
        verbose_name = _("民意件")
        verbose_name_plural = _("民意件")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="case_status_created_idx"),
            models.Index(fields=["station", "status"], name="case_station_status_idx"),
            # A citizen's new case has no unit, category (often), deputy (a station's QR code), registrar,
            # suggestion or merge yet: these indexes hold only the rows that have one, so the intake writes
            # six index entries fewer per case (docs/benchmarks.md, session 8). Every query on them asks for a
            # value (col = x or col IN (...)), which implies IS NOT NULL, so the planner still uses them.
            models.Index(
                fields=["current_unit", "status"],
                name="case_unit_status_idx",
                condition=models.Q(current_unit__isnull=False),
            ),
            models.Index(fields=["category"], name="case_category_idx", condition=models.Q(category__isnull=False)),
            models.Index(fields=["deputy"], name="case_deputy_idx", condition=models.Q(deputy__isnull=False)),
            models.Index(
                fields=["created_by"], name="case_created_by_idx", condition=models.Q(created_by__isnull=False)
            ),
            models.Index(
                fields=["suggestion"], name="case_suggestion_idx", condition=models.Q(suggestion__isnull=False)
            ),
            models.Index(
                fields=["merged_into"], name="case_merged_into_idx", condition=models.Q(merged_into__isnull=False)
            ),
            models.Index(fields=["contact_phone_hash"], name="case_phone_hash_idx"),
            models.Index(fields=["light"], name="case_light_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["tracking_code"], name="case_tracking_code_unique"),
            models.UniqueConstraint(fields=["idempotency_key"], name="case_idempotency_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.title}"

    @property
    def reply_flag_labels(self) -> list[str]:
        return [ReplyFlag(flag).label for flag in self.reply_flags or [] if flag in ReplyFlag.values]


class RecentIntake(models.Model):
    """A public intake's duplicate key (cases/duplicates.py) and its case's tracking code, live until `expires_at`.

    The same text from the same source within settings.INTAKE_DUPLICATE_SECONDS is that case. Written in the
    intake's own transaction (one statement per batch of intakes); a row past its time is taken over by the
    next intake with its key and deleted by the periodic job `cases.purge_recent_intakes`."""

    key = models.CharField(max_length=40)
    tracking_code = models.CharField(max_length=20)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("近期提交")
        verbose_name_plural = _("近期提交")
        # a constraint, not unique=True: no LIKE-pattern index on PostgreSQL (see Case.tracking_code)
        constraints = [models.UniqueConstraint(fields=["key"], name="recent_intake_key_unique")]

    def __str__(self) -> str:
        return self.tracking_code


class CasePhoto(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="cases/%Y/%m/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("照片")
        verbose_name_plural = _("照片")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.pk}"


class CaseAttachment(models.Model):
    """Files attached by a handling unit to its reply, or by staff to a note."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="attachments/%Y/%m/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    public = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Dispatch(models.Model):
    """One assignment of a case to a handling unit; the history keeps every one."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="dispatches")
    unit = models.ForeignKey("organisation.HandlingUnit", on_delete=models.PROTECT, related_name="dispatches")
    request_type = models.CharField(max_length=20, choices=RequestType.choices)
    state = models.CharField(max_length=20, choices=DispatchState.choices, default=DispatchState.PENDING)
    dispatched_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    dispatched_at = models.DateTimeField()
    claim_due_at = models.DateTimeField()
    handle_due_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    reply = models.TextField(blank=True)
    arbitrated = models.BooleanField(default=False)
    rehandle = models.BooleanField(default=False)
    routing_rule = models.ForeignKey(
        "organisation.RoutingRule", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The unit the routing rules suggested when the case was dispatched; None when no rule applied.
    suggested_unit = models.ForeignKey(
        "organisation.HandlingUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    suggestion_taken = models.BooleanField(null=True, blank=True)
    # 交办意见: the instruction to the unit; internal unless the dispatcher marked it public.
    instruction = models.TextField(blank=True)
    instruction_public = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("交办记录")
        verbose_name_plural = _("交办记录")
        ordering = ["id"]
        # The cockpit's suggestion uptake reads the last days' dispatches that had a suggestion (selectors.
        # suggestion_uptake): a bounded range of this index, whatever the length of the history.
        indexes = [
            models.Index(
                fields=["dispatched_at"],
                name="dispatch_suggested_at_idx",
                condition=models.Q(suggestion_taken__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.unit_id} ({self.state})"


class ExtensionRequest(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extension_requests")
    dispatch = models.ForeignKey(Dispatch, on_delete=models.CASCADE, related_name="extension_requests")
    workdays = models.PositiveSmallIntegerField()
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
        return f"{self.case_id} +{self.workdays} ({self.state})"


class FollowUpCode(models.Model):
    """A one-time SMS code a citizen asks for to get a new follow-up link (cases/recovery.py). Kept as a keyed
    hash; the encrypted code only until the SMS is handed to the channel."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64)
    code_enc = models.TextField(blank=True, help_text="cleared once the SMS is handed to the channel")
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("找回链接验证码")
        verbose_name_plural = _("找回链接验证码")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"code #{self.pk}"


class CaseSupporter(models.Model):
    """A citizen who said "me too" to a case (on the report page, instead of submitting the same matter), or whose
    own case was merged into it. With a phone they are told of the case's public steps."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="supporter_rows")
    phone_enc = models.TextField(blank=True)
    phone_hash = models.CharField(max_length=64, blank=True)
    merged_case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("附议")
        verbose_name_plural = _("附议")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "phone_hash"], condition=~models.Q(phone_hash=""), name="case_supporter_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} +1"
