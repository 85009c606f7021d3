from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """An outbox row written in the same transaction as the change it reports: nothing is lost."""

    class State(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    channel = models.CharField(max_length=20)
    recipient_kind = models.CharField(max_length=20)  # citizen, user
    recipient_user = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.CASCADE)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # An explicit address (encrypted) for citizens reached outside a case: event sign-ups, voter reports.
    address_enc = models.TextField(blank=True)
    event = models.CharField(max_length=60)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-id"]
        # Meta index, not db_index=True: no LIKE-pattern copy on PostgreSQL for every outbox row to maintain.
        indexes = [models.Index(fields=["state"], name="notification_state_idx")]

    def __str__(self) -> str:
        return f"{self.event} → {self.recipient_kind} ({self.state})"
