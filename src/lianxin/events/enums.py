from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    THEME = "theme", _("主题活动")
    STATION_VISIT = "station_visit", _("部门进站（局长·代表面对面）")
    TRAINING = "training", _("培训")
    OTHER = "other", _("其他")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    CANCELLED = "cancelled", _("已取消")


class SignUpStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("已报名")
    WAITLISTED = "waitlisted", _("候补中")
    CANCELLED = "cancelled", _("已取消")


# A phone holds at most one sign-up in these states per event.
ACTIVE_SIGNUP_STATES = frozenset({SignUpStatus.CONFIRMED, SignUpStatus.WAITLISTED})
