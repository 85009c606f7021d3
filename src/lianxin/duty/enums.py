from django.db import models
from django.utils.translation import gettext_lazy as _


class ShiftState(models.TextChoices):
    PLANNED = "planned", _("待值班")
    PRESENT = "present", _("已到岗")
    LATE = "late", _("迟到")
    ABSENT = "absent", _("缺勤")


ATTENDED_STATES = frozenset({ShiftState.PRESENT, ShiftState.LATE})


class CheckInMethod(models.TextChoices):
    SCAN = "scan", _("扫码签到")
    STAFF = "staff", _("工作人员确认")


class ShiftSource(models.TextChoices):
    GENERATED = "generated", _("自动排班")
    MANUAL = "manual", _("手工安排")


class SwapState(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")
    WITHDRAWN = "withdrawn", _("已撤回")
