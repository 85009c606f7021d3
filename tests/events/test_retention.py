"""Sign-ups' names and phones are erased once the retention period after the event ends (PIPL)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lianxin.audit.models import AuditEntry
from lianxin.events.models import Event, SignUp
from lianxin.events.retention import erase_expired_signups
from tests.events.conftest import make_event, sign_up

pytestmark = pytest.mark.django_db


def test_signups_are_erased_after_the_event_and_the_period(settings, district):
    settings.EVENT_SIGNUP_RETENTION_DAYS = 30
    past = make_event(district)
    recent = make_event(district, title="上周的活动")
    first, second = sign_up(past, 1), sign_up(past, 2)
    kept = sign_up(recent, 1)
    ago = timezone.now() - dt.timedelta(days=40)
    Event.objects.filter(pk=past.pk).update(starts_at=ago - dt.timedelta(hours=2), ends_at=ago)
    Event.objects.filter(pk=recent.pk).update(ends_at=timezone.now() - dt.timedelta(days=5))
    assert erase_expired_signups() == 2
    for signup in (first, second):
        signup.refresh_from_db()
        assert (signup.name_enc, signup.name_masked, signup.phone_enc, signup.phone_masked) == ("", "", "", "")
        assert signup.phone_hash == f"erased-{signup.pk}"
        assert signup.status == "confirmed"  # the sign-up and its figures stay
    kept.refresh_from_db()
    assert kept.phone_enc and kept.name_masked
    assert SignUp.objects.filter(event=past).count() == 2
    run = AuditEntry.objects.get(action="events.signups_erased")
    assert run.data["erased"] == 2
    assert erase_expired_signups() == 0


def test_the_sign_up_notice_states_the_period(client, settings, district, event):
    settings.EVENT_SIGNUP_RETENTION_DAYS = 17
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert "活动结束 17 天后删除" in page
