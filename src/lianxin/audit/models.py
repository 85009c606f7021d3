from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """Append-only record of every change (time, user, event, result). Also the case timeline.

    Each entry is chained to the one before by `entry_hash` (audit/chain.py); `manage.py audit_verify` checks
    the chain. The actor's username and role are a snapshot: deleting the user sets `actor` to NULL (allowed by
    the PostgreSQL trigger for that column only) and leaves the entry and its hash as they were."""

    # set in Python before the INSERT (not auto_now_add): the time is part of the entry's hash
    created_at = models.DateTimeField(_("时间"), default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("操作人"),
        db_index=False,  # audit_actor_idx: only the entries with an account (a citizen's intake has none)
    )
    actor_username = models.CharField(_("操作人账号"), max_length=150, blank=True)
    actor_role = models.CharField(_("身份"), max_length=20, blank=True)
    action = models.CharField(_("事件"), max_length=60)
    subject_type = models.CharField(max_length=30)
    subject_id = models.BigIntegerField(null=True)
    public = models.BooleanField(_("公开"), default=False)
    message = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("变更内容"), default=dict, blank=True)
    result = models.CharField(_("结果"), max_length=20, default="ok")
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    entry_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "id"], name="audit_subject_idx"),
            # Meta index, not db_index=True: on PostgreSQL that adds a LIKE-pattern copy that no query uses
            # and every change (each intake) would maintain.
            models.Index(fields=["action"], name="audit_action_idx"),
            models.Index(fields=["actor"], name="audit_actor_idx", condition=models.Q(actor__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


class AuditCheckpoint(models.Model):
    """Where the chain continues after a retention purge: the last purged entry's id and hash. The first entry
    left must name that hash as its previous one; audit_verify starts there."""

    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    purged_before = models.DateTimeField(_("删除此前的记录"))
    through_id = models.BigIntegerField()
    through_hash = models.CharField(max_length=64)
    purged = models.PositiveIntegerField(_("删除条数"))

    class Meta:
        verbose_name = _("审计日志检查点")
        verbose_name_plural = _("审计日志检查点")
        ordering = ["through_id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} #{self.through_id}"
