"""Honeypot and time trap for the public web forms.

The form carries a hidden field people never fill (`website`) and the signed time it was drawn
(`drawn`). A filled honeypot, or a form sent back within settings.FORM_MIN_SECONDS of being drawn (or
with no valid drawing time), is refused and drawn again with what was typed.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

from lianxin.errors import Refused

HONEYPOT = "website"
DRAWN = "drawn"
_SALT = "lianxin.throttle.form-drawn"


class FormRejected(Refused):
    status = 400
    code = "rejected"


def drawn_value() -> str:
    """The signed drawing time to put in the form."""
    return signing.dumps(int(time.time() * 1000), salt=_SALT)


def check_form(post) -> None:
    if post.get(HONEYPOT, ""):
        raise FormRejected(_("提交未被接受，请检查内容后再次提交。"))
    minimum = settings.FORM_MIN_SECONDS
    if not minimum:
        return
    try:
        drawn_ms = signing.loads(post.get(DRAWN, ""), salt=_SALT, max_age=86400)
    except signing.BadSignature:
        raise FormRejected(_("页面已过期，请检查内容后再次提交。"), code="form_expired") from None
    if time.time() * 1000 - int(drawn_ms) < minimum * 1000:
        raise FormRejected(_("提交太快了，请检查内容后再次提交。"), code="too_fast")
