"""What the classifier proposed for each case, kept apart from the category the citizen or staff chose, and the
models retrained on the district's own cases."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.triage.enums import ModelSource


class CategorySuggestion(models.Model):
    """The classifier's proposal for one case (first-level category and confidence). The case's own `category`
    is never written from it: the citizen's or staff's choice wins, and comparing the two gives the hit rate."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="category_suggestion")
    category = models.ForeignKey(
        "organisation.Category", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    label = models.CharField(_("建议分类"), max_length=100)
    confidence = models.FloatField(_("置信度"))
    # [{"label": ..., "category_id": ..., "confidence": ...}] after the first, most likely first
    alternatives = models.JSONField(default=list, blank=True)
    model = models.CharField(_("模型"), max_length=40)
    # The second level, only where the classifier was confident (settings.TRIAGE_SUBCATEGORY_CONFIDENCE).
    subcategory = models.ForeignKey(
        "organisation.Category", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subcategory_label = models.CharField(_("建议二级分类"), max_length=100, blank=True)
    subcategory_confidence = models.FloatField(_("二级分类置信度"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("分类建议")
        verbose_name_plural = _("分类建议")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.label} ({self.confidence:.2f})"


class TriageModel(models.Model):
    """One trained classifier. The repository's model is a file built at set-up (settings.TRIAGE_MODEL_PATH);
    a model retrained on the district's cases is stored here and becomes active only if it scored better on
    held-back cases than the model in use."""

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    source = models.CharField(_("数据来源"), max_length=20, choices=ModelSource.choices)
    rows = models.PositiveIntegerField(_("训练条数"))
    held_back = models.PositiveIntegerField(_("留出条数"), default=0)
    score = models.FloatField(_("留出集 macro-F1"), null=True, blank=True)
    previous_score = models.FloatField(_("在用模型的 macro-F1"), null=True, blank=True)
    active = models.BooleanField(_("在用"), default=False)
    blob = models.BinaryField(_("模型文件"), blank=True)
    sha256 = models.CharField(max_length=64)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("分类模型")
        verbose_name_plural = _("分类模型")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.source} #{self.pk} ({self.score})"
