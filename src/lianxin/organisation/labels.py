"""Wording about the registry shared by every page: weekdays and a station's reception rule."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.organisation.enums import ReceptionRule

WEEKDAY_LABELS = (
    gettext_lazy("周一"),
    gettext_lazy("周二"),
    gettext_lazy("周三"),
    gettext_lazy("周四"),
    gettext_lazy("周五"),
    gettext_lazy("周六"),
    gettext_lazy("周日"),
)


def weekday_label(index: int) -> str:
    """0 = Monday (date.weekday()); 周一 … 周日 in Chinese, Mon … Sun in English."""
    return str(WEEKDAY_LABELS[index])


def reception_rule_text(station) -> str:
    """每周三为代表接待日 / 每月20日为代表接待日, or "" when the station has no fixed reception day."""
    if station.reception_rule == ReceptionRule.WEEKLY and station.reception_weekday in range(1, 8):
        return _("每周%(day)s为代表接待日") % {"day": weekday_label(station.reception_weekday - 1)}
    if station.reception_rule == ReceptionRule.MONTHLY and station.reception_monthday in range(1, 32):
        return _("每月%(day)s日为代表接待日") % {"day": station.reception_monthday}
    return ""
