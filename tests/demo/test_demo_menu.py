"""Every entry of the work menu opens for whoever is shown it: the platform-wide screens (the outbox, the
triage screen, the second-factor policy) are shown only to the top office, not to a street office."""

import re

import pytest

from lianxin.accounts.enums import Role
from lianxin.accounts.models import Membership, User
from lianxin.organisation.models import Division

pytestmark = pytest.mark.django_db
MENU_LINK = re.compile(r'<a class="nav-link text-nowrap[^"]*" href="([^"]+)"')
TOP_OFFICE_ONLY = {"/work/notifications/", "/work/triage/", "/work/security/otp/"}


def _street_office() -> User:
    street = Division.objects.filter(parent__isnull=False, parent__parent__isnull=True).order_by("pk").first()
    user = User.objects.create_user(username="street-office", password="x", display_name="街道办")
    Membership.objects.create(user=user, role=Role.OFFICE, division=street)
    return user


def _menu(client) -> list[str]:
    page = client.get("/work/cases/")
    assert page.status_code == 200
    return MENU_LINK.findall(page.content.decode())


@pytest.mark.parametrize("username", ["office", "street-office", "station", "deputy", "unit", "leader"])
def test_every_menu_entry_of_each_demo_role_opens(demo, client, username):
    user = _street_office() if username == "street-office" else User.objects.get(username=username)
    client.force_login(user)
    links = _menu(client)
    assert links
    for url in links:
        answer = client.get(url, follow=True)  # the deputy's 履职积分 redirects to his own page
        assert answer.status_code == 200, (username, url, answer.redirect_chain)
        assert all(hop.startswith("/work/") for hop, _code in answer.redirect_chain), (username, url)
    platform_wide = {url for url in links if any(url.startswith(p) for p in TOP_OFFICE_ONLY)}
    if username == "office":
        assert len(platform_wide) == 3
    else:
        assert platform_wide == set()
