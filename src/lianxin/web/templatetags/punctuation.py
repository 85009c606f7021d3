"""Punctuation around words a template joins: full-width in Chinese, Latin in English.

`{{ count|parens }}` is "（3）" / " (3)", `{% list_sep %}` is "、" / ", ", `{% full_stop %}` is "。" / ".",
`{{ label|colon }}` is "筛选：" / "Filter: ". The words inside are translated (or data) already."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def parens(value) -> str:
    return _("（%(text)s）") % {"text": value}


@register.filter
def colon(value) -> str:
    return _("%(label)s：") % {"label": value}


@register.simple_tag
def list_sep() -> str:
    return _("、")


@register.simple_tag
def full_stop() -> str:
    return _("。")
