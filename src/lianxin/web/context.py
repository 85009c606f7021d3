from functools import cache

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from lianxin.accounts.selectors import holds_top_office, user_roles
from lianxin.web.nav import NAV


@cache
def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"my_roles": set(), "nav_items": []}
    roles = set(user_roles(user))
    if user.is_superuser:
        roles.add("superuser")
    seen_by = roles | {"top_office"} if "office" in roles and holds_top_office(user) else roles
    items = []
    for name, label, allowed in NAV:
        url = _url(name)
        if url and seen_by & allowed:
            items.append({"url": url, "label": label, "active": request.path.startswith(url)})
    return {"my_roles": roles, "nav_items": items}


def retention(request):
    """The retention periods the privacy notices quote (settings; the erasing jobs use the same values)."""
    return {
        "retention": {
            "case_contact_days": settings.CASE_CONTACT_RETENTION_DAYS,
            "signup_days": settings.EVENT_SIGNUP_RETENTION_DAYS,
            "commenter_days": settings.CONSULTATION_CONTACT_RETENTION_DAYS,
        }
    }
