"""Voter contacts (联系选民, 结对) with their monthly call-back sampling, and reports to voters (述职) with ratings.

Personal data is stored encrypted with a masked copy for display; phones also as a keyed hash for lookups.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.cases.enums import Rating
from lianxin.voters.enums import CheckResult, ContactWay, ReportStatus


class Household(models.Model):
    """A household a deputy is paired with (结对)."""

    deputy = models.ForeignKey(
        "organisation.Deputy", on_delete=models.CASCADE, related_name="households", verbose_name=_("代表")
    )
    grid = models.ForeignKey(
        "organisation.Division", on_delete=models.PROTECT, related_name="+", verbose_name=_("网格")
    )
    address_enc = models.TextField(_("地址（加密）"), blank=True)
    address_masked = models.CharField(_("地址"), max_length=200, blank=True)
    head_name_enc = models.TextField(_("户主姓名（加密）"), blank=True)
    head_name_masked = models.CharField(_("户主"), max_length=40, blank=True)
    head_phone_enc = models.TextField(_("户主电话（加密）"), blank=True)
    head_phone_masked = models.CharField(_("户主电话"), max_length=20, blank=True)
    head_phone_hash = models.CharField(max_length=64, blank=True, db_index=True)
    paired_on = models.DateField(_("结对日期"))
    active = models.BooleanField(_("结对中"), default=True)
    ended_on = models.DateField(_("解除日期"), null=True, blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("结对户")
        verbose_name_plural = _("结对户")
        ordering = ["deputy_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["deputy", "head_phone_hash"],
                condition=models.Q(active=True) & ~models.Q(head_phone_hash=""),
                name="household_phone_unique_per_deputy",
            )
        ]

    def __str__(self) -> str:
        return f"{self.head_name_masked} · {self.address_masked}"


class VoterContact(models.Model):
    """One contact of a deputy with voters: when, how, what was said, what was raised (→ optionally a Case)."""

    deputy = models.ForeignKey(
        "organisation.Deputy", on_delete=models.CASCADE, related_name="voter_contacts", verbose_name=_("代表")
    )
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts", verbose_name=_("结对户")
    )
    contacted_on = models.DateField(_("联系日期"), db_index=True)
    way = models.CharField(_("方式"), max_length=20, choices=ContactWay.choices)
    summary = models.TextField(_("联系情况"), max_length=2000)
    raised = models.TextField(_("反映的问题"), max_length=2000, blank=True)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("民意件")
    )
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("联系选民记录")
        verbose_name_plural = _("联系选民记录")
        ordering = ["-contacted_on", "-id"]

    def __str__(self) -> str:
        return f"{self.deputy} {self.contacted_on} {self.get_way_display()}"


class SampleDraw(models.Model):
    """One random draw of contact records for call-back verification (reproducible from month and seed)."""

    month = models.DateField(_("月份"), help_text=_("该月第一天"), db_index=True)
    seed = models.BigIntegerField(_("随机种子"))
    pool_size = models.PositiveIntegerField(_("可抽记录数"))
    drawn_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    drawn_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("抽查批次")
        verbose_name_plural = _("抽查批次")
        ordering = ["-month", "-id"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} #{self.pk}"


class ContactCheck(models.Model):
    """A sampled contact and its call-back result. One-to-one: a record is never sampled twice."""

    draw = models.ForeignKey(SampleDraw, on_delete=models.CASCADE, related_name="checks")
    contact = models.OneToOneField(VoterContact, on_delete=models.CASCADE, related_name="sample_check")
    result = models.CharField(_("回访结果"), max_length=20, choices=CheckResult.choices, default=CheckResult.PENDING)
    note = models.CharField(_("回访说明"), max_length=500, blank=True)
    checked_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("抽查回访")
        verbose_name_plural = _("抽查回访")
        ordering = ["draw_id", "id"]

    def __str__(self) -> str:
        return f"{self.contact_id}: {self.get_result_display()}"


class VoterReport(models.Model):
    """A deputy reports to voters (述职); voters rate it until the deadline; then the result is published."""

    deputy = models.ForeignKey(
        "organisation.Deputy", on_delete=models.CASCADE, related_name="voter_reports", verbose_name=_("代表")
    )
    title = models.CharField(_("标题"), max_length=100)
    held_on = models.DateField(_("述职日期"))
    place = models.CharField(_("地点"), max_length=100)
    text = models.TextField(_("述职报告"), max_length=20000, blank=True)
    rating_closes_at = models.DateTimeField(_("评议截止"))
    status = models.CharField(_("状态"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.SCHEDULED)
    published_at = models.DateTimeField(null=True, blank=True)
    result_published_at = models.DateTimeField(null=True, blank=True)
    satisfied = models.PositiveIntegerField(default=0)
    basically_satisfied = models.PositiveIntegerField(default=0)
    unsatisfied = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("代表述职")
        verbose_name_plural = _("代表述职")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def rated(self) -> int:
        return self.satisfied + self.basically_satisfied + self.unsatisfied


class ReportRating(models.Model):
    """One voter's rating of a report. The unique (report, phone hash) stops repeats, even concurrent ones."""

    report = models.ForeignKey(VoterReport, on_delete=models.CASCADE, related_name="ratings")
    phone_hash = models.CharField(max_length=64)
    phone_enc = models.TextField()
    phone_masked = models.CharField(max_length=20)
    name_enc = models.TextField(blank=True)
    name_masked = models.CharField(max_length=40, blank=True)
    rating = models.CharField(_("评价"), max_length=20, choices=Rating.choices)
    comment = models.TextField(_("意见"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("述职评议")
        verbose_name_plural = _("述职评议")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["report", "phone_hash"], name="report_rating_one_per_phone")]

    def __str__(self) -> str:
        return f"{self.phone_masked}: {self.get_rating_display()}"


class RatingCode(models.Model):
    """An SMS code proving the voter holds the phone they rate with. Only its keyed hash is kept after sending."""

    report = models.ForeignKey(VoterReport, on_delete=models.CASCADE, related_name="+")
    phone_hash = models.CharField(max_length=64, db_index=True)
    phone_enc = models.TextField()
    code_hash = models.CharField(max_length=64)
    code_enc = models.TextField(blank=True, help_text="cleared once the SMS is handed to the channel")
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"code #{self.pk}"
