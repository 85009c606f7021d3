"""The demo data works on the real screens: each persona's queue shows its waiting work, QR pages open."""

import pytest

from lianxin.accounts.models import User
from lianxin.cases.enums import Status
from lianxin.cases.rules import allowed_actions, visible_cases
from lianxin.organisation.models import Deputy

pytestmark = pytest.mark.django_db

WAITING = {
    "deputy": (Status.REGISTERED, "acknowledge"),
    "station": (Status.ACKNOWLEDGED, "dispatch"),
    "unit": (Status.DISPATCHED, "claim"),
}


@pytest.mark.parametrize("username", sorted(WAITING))
def test_persona_queue_and_case_detail_show_the_waiting_work(demo, client, username):
    user = User.objects.get(username=username)
    status, action = WAITING[username]
    waiting = [c for c in visible_cases(user).filter(status=status) if action in allowed_actions(user, c)]
    assert waiting
    client.force_login(user)
    queue = client.get("/work/cases/", {"status": status})
    assert queue.status_code == 200
    detail = client.get(f"/work/cases/{waiting[0].pk}/")
    assert detail.status_code == 200
    assert waiting[0].title in detail.content.decode()


def test_the_printed_qr_links_open(demo, client):
    deputy = Deputy.objects.get(user__username="deputy")
    for url in ("/s/jianshe", "/s/chunhui", f"/d/{deputy.code}"):
        assert client.get(url).status_code == 200, url
