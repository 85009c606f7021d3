"""/demo/messages/: with the console channel and the demo data, the office reads the messages the console "sent"
(an SMS code included), newest first; anyone else, another channel or no demo data is a 404."""

import pytest
from django.core.cache import cache

from lianxin.accounts.models import User
from lianxin.notifications.selectors import CONSOLE_KEY
from lianxin.notifications.services import Address, send_now

pytestmark = pytest.mark.django_db

URL = "/demo/messages/"


def _send_code(code: str) -> None:
    from lianxin import privacy

    address = Address("console", "citizen", address_enc=privacy.encrypt("13812345678"))
    send_now(address, event="voters.rating_code", body=f"【连心】您的评议验证码 {code}，10 分钟内有效。")


def test_the_office_reads_the_console_messages_of_the_demo(demo, client):
    cache.delete(CONSOLE_KEY)
    _send_code("482913")
    _send_code("105377")
    client.force_login(User.objects.get(username="office"))
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index("105377") < body.index("482913")  # newest first
    assert "138****5678" in body and "13812345678" not in body
    for username in ("station", "deputy", "unit", "auditor"):
        client.force_login(User.objects.get(username=username))
        assert client.get(URL).status_code == 404, username


def test_no_page_with_another_channel(demo, client, settings):
    settings.NOTIFY_CHANNELS = ["sms"]
    client.force_login(User.objects.get(username="office"))
    assert client.get(URL).status_code == 404
