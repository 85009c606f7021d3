"""The outbox: rows written with the change are delivered, retried by the sweep, and never lost."""

import datetime as dt

import pytest
from django.utils import timezone

from lianxin import privacy
from lianxin.notifications.models import Notification
from lianxin.notifications.tasks import deliver_notifications, retry_pending_notifications

pytestmark = pytest.mark.django_db


def _old(row):
    Notification.objects.filter(pk=row.pk).update(created_at=timezone.now() - dt.timedelta(minutes=5))


def test_sweep_delivers_a_row_with_an_explicit_address(caplog):
    row = Notification.objects.create(
        channel="console",
        recipient_kind="citizen",
        event="event.signup",
        subject="s",
        body="报名成功",
        address_enc=privacy.encrypt("13900001111"),
    )
    _old(row)
    with caplog.at_level("INFO", logger="lianxin.notifications"):
        assert retry_pending_notifications() == 1
    row.refresh_from_db()
    assert row.state == Notification.State.SENT
    assert "139****1111" in caplog.text  # the console channel logs the address masked
    assert "13900001111" not in caplog.text


def test_a_failing_channel_is_retried_then_marked_failed(settings):
    settings.NOTIFY_WEBHOOK_URL = ""  # the webhook channel cannot send without a URL
    row = Notification.objects.create(channel="webhook", recipient_kind="citizen", event="x", subject="s", body="b")
    for _ in range(5):
        deliver_notifications([row.pk])
    row.refresh_from_db()
    assert (row.state, row.attempts) == (Notification.State.FAILED, 5)
    assert "LIANXIN_NOTIFY_WEBHOOK_URL" in row.last_error


def test_the_sweep_is_scheduled():
    from django_q.models import Schedule

    schedule = Schedule.objects.get(name="notifications.retry_pending")
    assert schedule.func == "lianxin.notifications.tasks.retry_pending_notifications"
    assert (schedule.schedule_type, schedule.minutes, schedule.repeats) == ("I", 5, -1)


def test_enqueue_writes_the_row_delivers_it_on_commit_and_then_forgets_the_address(
    caplog, django_capture_on_commit_callbacks
):
    from lianxin.notifications.services import enqueue, to_citizen

    with caplog.at_level("INFO", logger="lianxin.notifications"), django_capture_on_commit_callbacks(execute=True):
        row = enqueue(
            to_citizen(privacy.encrypt("13900001111")),
            subject_type="signup",
            subject_id=7,
            event="event.promoted",
            subject="s",
            body="您已递补",
        )
        assert Notification.objects.get(pk=row.pk).state == Notification.State.PENDING  # written with the change
    row.refresh_from_db()
    assert (row.subject_type, row.subject_id, row.recipient_kind, row.state) == ("signup", 7, "citizen", "sent")
    assert row.address_enc == ""  # a sent row keeps no address
    assert "139****1111" in caplog.text


def test_the_delivery_task_runs_only_fan_out_steps():
    from lianxin.notifications.tasks import deliver

    for step in (["lianxin.notifications.tasks.deliver_notifications", []], ["os.system", "true"]):
        with pytest.raises(ValueError, match="not a fan-out step"):
            deliver([], [step])


def test_send_now_stores_nothing(caplog):
    from lianxin.notifications.services import send_now, to_citizen

    with caplog.at_level("INFO", logger="lianxin.notifications"):
        send_now(to_citizen(privacy.encrypt("13900001111")), event="voters.rating_code", body="验证码 123456")
    assert "139****1111" in caplog.text and "123456" in caplog.text
    assert not Notification.objects.exists()
