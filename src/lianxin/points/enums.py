from django.db import models
from django.utils.translation import gettext_lazy as _


class Activity(models.TextChoices):
    """What a points rule scores. The automatic ones are found by a scan of the other areas' data."""

    BASE = "base", _("年度基础分")
    CASE_ACKNOWLEDGED = "case_acknowledged", _("24小时内回应民意件")
    DUTY_ATTENDED = "duty_attended", _("按时到站值班")
    DUTY_LATE = "duty_late", _("值班迟到")
    DUTY_ABSENT = "duty_absent", _("值班缺勤")
    VOTER_CONTACT_VERIFIED = "voter_contact_verified", _("联系选民（回访属实）")
    VOTER_REPORT = "voter_report", _("向选民述职")
    SUGGESTION_LEAD = "suggestion_lead", _("领衔提出代表建议（已立案）")
    SUGGESTION_COSIGN = "suggestion_cosign", _("附议代表建议（已立案）")
    MANUAL = "manual", _("人工加减分")


AUTOMATIC_ACTIVITIES = frozenset(set(Activity.values) - {Activity.MANUAL})


class Period(models.TextChoices):
    QUARTER = "quarter", _("季度")
    YEAR = "year", _("年度")


class EntryState(models.TextChoices):
    COUNTED = "counted", _("计分")
    PENDING = "pending", _("待审核")
    REJECTED = "rejected", _("审核未通过")
    VOIDED = "voided", _("异议成立，已撤销")


class ContestState(models.TextChoices):
    PENDING = "pending", _("待处理")
    UPHELD = "upheld", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


class Metric(models.TextChoices):
    """Counts an assessment requirement can ask for (per year)."""

    VOTER_CONTACTS = "voter_contacts", _("联系选民次数")
    DUTY_ATTENDED = "duty_attended", _("到站值班次数")
    SUGGESTIONS = "suggestions", _("领衔或附议建议件数")
    VOTER_REPORTS = "voter_reports", _("向选民述职次数")
