"""`{{ text|hide_personal_data }}`: phone, ID card and bank card numbers and e-mail addresses masked
(lianxin.privacy.find_personal_data). For public pages, exports and roles that may not reveal contacts.

`{% reveal_link %}` draws the "show the phone numbers in the texts" link of a work screen (`?reveal=1`, audited)
for a user who may reveal, when the page has something to reveal."""

from __future__ import annotations

from django import template

from lianxin.privacy import mask_personal_data

register = template.Library()


@register.filter
def hide_personal_data(value, revealed=False) -> str:
    """`{{ text|hide_personal_data }}` masks; `{{ text|hide_personal_data:revealed }}` leaves the text whole when the
    view revealed it (an audited reveal: lianxin.audit.reveal)."""
    if not value:
        return ""
    return str(value) if revealed is True else mask_personal_data(str(value))
