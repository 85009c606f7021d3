from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """An outbox row written in the same transaction as the change it reports: nothing is lost.

    Generic: what it is about (`subject_type`/`subject_id`, as in the audit log: "case", "suggestion",
    "signup", "duty_shift"), its address (`channel` and the recipient: an account, or an encrypted phone
    or e-mail in `address_enc`), its template key (`event`, e.g. "case.registered") and the text rendered
    by the app that wrote it (`subject`, `body`). The outbox knows no app's objects."""

    class State(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")
        # Withheld by the SMS caps per number (notifications/caps.py): recorded, never sent, never retried.
        SUPPRESSED = "suppressed", _("未发送（超出上限）")

    class Reason(models.TextChoices):
        SMS_HOUR_CAP = "sms_hour_cap", _("该号码本小时短信已达上限")
        SMS_DAY_CAP = "sms_day_cap", _("该号码当日短信已达上限")

    channel = models.CharField(max_length=20)
    recipient_kind = models.CharField(max_length=20)  # citizen, user
    # indexed by notification_recipient_idx, for the rows to an account only (a citizen's row has none)
    recipient_user = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.CASCADE, db_index=False)
    # A citizen's address (encrypted), copied from the row that holds it; cleared once delivered or given up.
    address_enc = models.TextField(blank=True)
    subject_type = models.CharField(max_length=40, blank=True)
    subject_id = models.BigIntegerField(null=True, blank=True)
    event = models.CharField(max_length=60)  # the template key
    subject = models.CharField(max_length=200)
    body = models.TextField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # Why a row was not sent although the channel works (state "suppressed").
    reason = models.CharField(_("未发送原因"), max_length=20, choices=Reason.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-id"]
        # Meta index, not db_index=True: no LIKE-pattern copy on PostgreSQL for every outbox row to maintain.
        indexes = [
            models.Index(fields=["state"], name="notification_state_idx"),
            models.Index(fields=["subject_type", "subject_id"], name="notification_subject_idx"),
            models.Index(
                fields=["recipient_user"],
                name="notification_recipient_idx",
                condition=models.Q(recipient_user__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.recipient_kind} ({self.state})"
