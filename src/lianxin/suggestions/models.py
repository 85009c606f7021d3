from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Suggestion(models.Model):
    """A deputy suggestion (代表建议). Only the draft exists so far; the full lifecycle is issue 3."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")

    title = models.CharField(_("案由"), max_length=200)
    situation = models.TextField(_("情况与理由"), blank=True)
    proposals = models.TextField(_("具体建议"), blank=True)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.DRAFT)
    lead_deputy = models.ForeignKey(
        "organisation.Deputy", null=True, blank=True, on_delete=models.PROTECT, related_name="suggestions",
        verbose_name=_("领衔代表"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("代表建议")
        verbose_name_plural = _("代表建议")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title
