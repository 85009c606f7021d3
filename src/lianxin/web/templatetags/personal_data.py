"""`{{ text|hide_personal_data }}`: phone, ID card and bank card numbers and e-mail addresses masked
(lianxin.privacy.find_personal_data). For public pages, exports and roles that may not reveal contacts."""

from __future__ import annotations

from django import template

from lianxin.privacy import mask_personal_data

register = template.Library()


@register.filter
def hide_personal_data(value) -> str:
    return mask_personal_data(str(value)) if value else ""
