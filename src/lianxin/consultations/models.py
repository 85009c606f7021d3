from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.consultations.enums import AuthorKind, CommentStatus, ConsultationKind, ConsultationStatus


class Consultation(models.Model):
    """A draft law or a hot topic opened for comments article by article (意见征求 / 立法征集)."""

    kind = models.CharField(
        _("类型"), max_length=20, choices=ConsultationKind.choices, default=ConsultationKind.DRAFT_LAW
    )
    title = models.CharField(_("标题"), max_length=200)
    summary = models.TextField(_("说明"), max_length=5000, blank=True)
    division = models.ForeignKey(
        "organisation.Division", on_delete=models.PROTECT, related_name="consultations", verbose_name=_("所属区划")
    )
    station = models.ForeignKey(
        "organisation.Station",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name=_("联系点"),
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=ConsultationStatus.choices, default=ConsultationStatus.DRAFT
    )
    deadline = models.DateTimeField(_("截止时间"))
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("意见征求")
        verbose_name_plural = _("意见征求")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "deadline"], name="consultation_status_idx")]

    def __str__(self) -> str:
        return self.title


class Article(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="articles")
    number = models.PositiveIntegerField(_("序号"))
    heading = models.CharField(_("条目"), max_length=50)
    text = models.TextField(_("内容"), max_length=5000)

    class Meta:
        verbose_name = _("条文")
        verbose_name_plural = _("条文")
        ordering = ["consultation", "number"]
        constraints = [models.UniqueConstraint(fields=["consultation", "number"], name="article_number_unique")]

    def __str__(self) -> str:
        return self.heading


class Comment(models.Model):
    """A comment on one article; pending until staff approve or reject it (with a reason)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="comments")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    author_kind = models.CharField(_("身份"), max_length=20, choices=AuthorKind.choices, default=AuthorKind.CITIZEN)
    deputy = models.ForeignKey(
        "organisation.Deputy", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name_enc = models.TextField(blank=True)
    name_masked = models.CharField(_("姓名"), max_length=40, blank=True)
    phone_enc = models.TextField(blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True)
    phone_masked = models.CharField(_("手机号"), max_length=20, blank=True)
    body = models.TextField(_("意见"), max_length=5000)
    status = models.CharField(_("状态"), max_length=20, choices=CommentStatus.choices, default=CommentStatus.PENDING)
    moderation_reason = models.CharField(_("审核说明"), max_length=200, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    consent_at = models.DateTimeField(_("同意隐私告知时间"))
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("意见")
        verbose_name_plural = _("意见")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["consultation", "status"], name="comment_consultation_idx"),
            models.Index(fields=["article", "status"], name="comment_article_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.article} #{self.pk}"
