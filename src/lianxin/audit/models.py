from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """Append-only record of every change (time, user, event, result). Also the case timeline."""

    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("操作人")
    )
    actor_role = models.CharField(_("身份"), max_length=20, blank=True)
    action = models.CharField(_("事件"), max_length=60)
    subject_type = models.CharField(max_length=30)
    subject_id = models.BigIntegerField(null=True)
    public = models.BooleanField(_("公开"), default=False)
    message = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("变更内容"), default=dict, blank=True)
    result = models.CharField(_("结果"), max_length=20, default="ok")

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "id"], name="audit_subject_idx"),
            # Meta index, not db_index=True: on PostgreSQL that adds a LIKE-pattern copy that no query uses
            # and every change (each intake) would maintain.
            models.Index(fields=["action"], name="audit_action_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"
