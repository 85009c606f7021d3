"""Messages withheld by the SMS caps are a state of their own, with the cap that withheld them, and the
office sees them in its list of the outbox."""

import pytest

from lianxin import privacy
from lianxin.accounts.enums import Role
from lianxin.notifications.models import Notification
from lianxin.notifications.tasks import deliver_notifications, retry_pending_notifications
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _sms(phone: str, event: str = "case.registered") -> Notification:
    return Notification.objects.create(
        channel="console",
        recipient_kind="citizen",
        event=event,
        subject="您的诉求已受理",
        body="已受理",
        address_enc=privacy.encrypt(phone),
    )


def test_a_capped_message_is_suppressed_with_the_hourly_or_daily_reason(settings):
    settings.SMS_PER_PHONE_HOUR, settings.SMS_PER_PHONE_DAY = 1, 10
    first = _sms("13800001111")
    deliver_notifications([first.pk])
    over_hour = _sms("13800001111")
    deliver_notifications([over_hour.pk])
    over_hour.refresh_from_db()
    assert (over_hour.state, over_hour.reason) == (Notification.State.SUPPRESSED, Notification.Reason.SMS_HOUR_CAP)
    assert over_hour.address_enc == ""  # the phone is not kept for a message that will never be sent
    settings.SMS_PER_PHONE_HOUR, settings.SMS_PER_PHONE_DAY = 10, 2
    first, over_day = _sms("13800002222"), _sms("13800002222")
    _sms_sent = deliver_notifications([first.pk])
    third = _sms("13800002222")
    deliver_notifications([over_day.pk])
    deliver_notifications([third.pk])
    third.refresh_from_db()
    assert _sms_sent == 1
    assert (third.state, third.reason) == ("suppressed", "sms_day_cap")
    assert third.get_state_display() == "未发送（超出上限）"
    assert retry_pending_notifications() == 0  # never retried


def test_the_office_lists_the_suppressed_messages_with_their_reason(client, district, settings):
    settings.SMS_PER_PHONE_HOUR, settings.SMS_PER_PHONE_DAY = 1, 10
    sent = _sms("13800003333", "case.acknowledged")
    deliver_notifications([sent.pk])
    capped = _sms("13800003333", "case.replied")
    deliver_notifications([capped.pk])
    client.force_login(district.office)
    page = client.get("/work/notifications/").content.decode()
    assert f'id="notification-{capped.pk}" data-state="suppressed"' in page
    assert "该号码本小时短信已达上限" in page
    assert "13800003333" not in page
    only = client.get("/work/notifications/", {"state": "suppressed"}).content.decode()
    assert f'id="notification-{capped.pk}"' in only
    assert f'id="notification-{sent.pk}"' not in only
    english = client.get("/work/notifications/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "hour" in english.lower()


@pytest.mark.parametrize("persona", ["station_staff", "deputy_user", "unit_user", "leader", "auditor", "outsider"])
def test_no_one_else_sees_the_outbox(client, district, persona):
    client.force_login(district.persona(persona))
    assert client.get("/work/notifications/").status_code == 404


def test_a_street_office_does_not_see_the_platform_outbox(client, district):
    client.force_login(make_user("street_office", Role.OFFICE, division=district.street))
    assert client.get("/work/notifications/").status_code == 404


def test_the_outbox_view_mounted_without_the_office_check_answers_404(district, rf):
    from django.http import Http404

    from lianxin.notifications.views import outbox

    request = rf.get("/work/notifications/")
    request.user = district.office
    with pytest.raises(Http404):
        outbox(request)
