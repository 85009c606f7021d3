"""Small display helpers of the work screens: traffic-light dots, countdowns, timeline labels."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from lianxin.accounts.enums import Role
from lianxin.cases.enums import Light
from lianxin.cases.selectors import countdown_hours

register = template.Library()

EVENT_LABELS = {
    "case.registered": _lazy("受理"),
    "case.acknowledged": _lazy("回应"),
    "case.resolved": _lazy("就地解决"),
    "case.dispatched": _lazy("交办"),
    "case.claimed": _lazy("签收"),
    "case.returned": _lazy("退回"),
    "case.replied": _lazy("答复"),
    "case.extension_requested": _lazy("申请延期"),
    "case.extension_approved": _lazy("批准延期"),
    "case.extension_rejected": _lazy("驳回延期"),
    "case.escalated": _lazy("提级"),
    "case.declined": _lazy("不予受理"),
    "case.converted": _lazy("转为代表建议"),
    "case.fed_back": _lazy("反馈"),
    "case.rated": _lazy("评价"),
    "case.reopened": _lazy("重办"),
    "case.closed": _lazy("办结"),
    "case.closed_unrated": _lazy("未评价办结"),
    "case.urged": _lazy("催办"),
    "case.noted": _lazy("内部备注"),
    "case.contact_revealed": _lazy("查看完整联系方式"),
}
EXTRA_ROLES = {"citizen": _lazy("群众"), "system": _lazy("系统")}


@register.simple_tag
def light_dot(light: str):
    """A coloured dot (.light-green etc. from lianxin.css) with the light's name for screen readers."""
    value = light if light in Light.values else Light.NONE
    label = Light(value).label
    return format_html('<span class="light light-{}" title="{}" aria-label="{}"></span>', value, label, label)


@register.filter
def countdown(due, light: str = ""):
    """'剩余 5 小时' / '已超时 3 小时'; days past 48 hours ('剩余 3 天'); '' without a deadline."""
    hours = countdown_hours(due)
    if hours is None:
        return ""
    span = abs(hours)
    if span >= 48:
        amount = _("%(n)d 天") % {"n": span // 24}
    else:
        amount = _("%(n)d 小时") % {"n": span}
    text = _("剩余 %(t)s") % {"t": amount} if hours >= 0 else _("已超时 %(t)s") % {"t": amount}
    css = "countdown-red" if hours < 0 else ("countdown-yellow" if light == Light.YELLOW else "")
    return format_html('<span class="{}">{}</span>', css, text)


@register.filter
def event_label(action: str) -> str:
    label = EVENT_LABELS.get(action)
    return str(label) if label else action


@register.filter
def role_label(role: str) -> str:
    if role in Role.values:
        return str(Role(role).label)
    label = EXTRA_ROLES.get(role)
    return str(label) if label else ""


@register.filter
def actor_label(entry) -> str:
    """'王五（联络站工作人员）' for a user; 群众 for what a citizen did without an account; 系统 for jobs."""
    role = role_label(entry.actor_role)
    if entry.actor_id:
        return f"{entry.actor}（{role}）" if role else str(entry.actor)
    if entry.actor_role == "system" or entry.action != "case.registered":
        return role or str(EXTRA_ROLES["system"])
    return str(EXTRA_ROLES["citizen"])
