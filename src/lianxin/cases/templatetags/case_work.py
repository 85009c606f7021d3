"""Small display helpers of the work screens: traffic-light dots, countdowns, timeline labels."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from lianxin.cases import labels
from lianxin.cases.enums import Light
from lianxin.cases.selectors import countdown_hours

register = template.Library()


@register.simple_tag
def light_dot(light: str):
    """A coloured dot (.light-green etc. from lianxin.css) with the light's name for screen readers (an image: a plain
    span may not carry an aria-label, axe-core's aria-prohibited-attr)."""
    value = light if light in Light.values else Light.NONE
    label = Light(value).label
    html = '<span class="light light-{}" role="img" title="{}" aria-label="{}"></span>'
    return format_html(html, value, label, label)


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
    return labels.event_label(action)


@register.filter
def role_label(role: str) -> str:
    label = labels.ACTOR_ROLE_LABELS.get(role)
    return str(label) if label else ""


@register.filter
def actor_label(entry) -> str:
    """'王五（联络站工作人员）' for a user; 群众 for what a citizen did without an account; 系统 for jobs."""
    role = role_label(entry.actor_role)
    if entry.actor_id or entry.actor_username:  # a deleted account: the username kept with the entry
        name = str(entry.actor) if entry.actor_id else entry.actor_username
        return _("%(name)s（%(role)s）") % {"name": name, "role": role} if role else name
    if entry.actor_role == "system" or entry.action != "case.registered":
        return role or str(labels.ACTOR_ROLE_LABELS["system"])
    return str(labels.ACTOR_ROLE_LABELS["citizen"])
