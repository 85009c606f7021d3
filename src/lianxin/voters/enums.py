from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactWay(models.TextChoices):
    VISIT = "visit", _("走访")
    PHONE = "phone", _("电话")
    WECHAT = "wechat", _("微信")
    MEETING = "meeting", _("座谈会")


class CheckResult(models.TextChoices):
    """Call-back verification of a sampled contact record."""

    PENDING = "pending", _("待回访")
    CONFIRMED = "confirmed", _("已联系，情况属实")
    NOT_CONFIRMED = "not_confirmed", _("已联系，情况不属实")
    UNREACHABLE = "unreachable", _("无法联系")


# Results that count as "called back" (the denominator of the verified share).
CHECKED_RESULTS = frozenset({CheckResult.CONFIRMED, CheckResult.NOT_CONFIRMED, CheckResult.UNREACHABLE})


class ReportStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("已安排")
    PUBLISHED = "published", _("已公开，评议中")
    RESULT_PUBLISHED = "result_published", _("结果已公布")
