"""Signing up: places, the waitlist, one sign-up per phone, cancelling and moving up, bad input."""

import datetime as dt

import pytest
from django.utils import timezone

from lianxin import privacy
from lianxin.audit.models import AuditEntry
from lianxin.errors import InvalidInput, NotAllowed, NotFound
from lianxin.events import services
from lianxin.events.codes import signup_token
from lianxin.events.enums import SignUpStatus
from lianxin.events.models import Event, SignUp
from lianxin.notifications.models import Notification
from tests.events.conftest import make_event, sign_up


def statuses(event):
    return list(SignUp.objects.filter(event=event).order_by("id").values_list("status", flat=True))


def test_places_fill_then_the_waitlist(event):
    results = [sign_up(event, n).status for n in range(5)]
    assert results == ["confirmed", "confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert statuses(event) == results


def test_personal_data_is_encrypted_and_masked(event):
    signup = services.signup_create(event_id=event.pk, name="欧阳明", phone="138 1234 5678", consent=True)
    assert signup.name_masked == "欧**"
    assert signup.phone_masked == "138****5678"
    assert "13812345678" not in signup.phone_enc and "欧阳明" not in signup.name_enc
    assert privacy.decrypt(signup.phone_enc) == "13812345678"
    assert privacy.decrypt(signup.name_enc) == "欧阳明"
    entry = AuditEntry.objects.get(action="event.signed_up")
    assert "13812345678" not in str(entry.data) and entry.data["phone"] == "138****5678"
    assert len(signup.checkin_code) == 6 and signup.checkin_code.isdigit()
    assert signup.code.startswith("HD") and len(signup.code) == 10


def test_one_sign_up_per_phone_in_any_spelling(event):
    services.signup_create(event_id=event.pk, name="张三", phone="13812341234", consent=True)
    with pytest.raises(NotAllowed) as exc:
        services.signup_create(event_id=event.pk, name="张三丰", phone="+86 138 1234 1234", consent=True)
    assert exc.value.code == "already_signed_up"
    assert SignUp.objects.count() == 1


def test_after_cancelling_the_same_phone_may_sign_up_again(event):
    first = sign_up(event, 1)
    services.signup_cancel(code=first.code, token=signup_token(first.code))
    again = sign_up(event, 1)
    assert again.status == SignUpStatus.CONFIRMED
    assert statuses(event) == ["cancelled", "confirmed"]


def test_cancelling_moves_the_first_waitlisted_up_and_tells_them(event, django_capture_on_commit_callbacks):
    confirmed = [sign_up(event, n) for n in range(3)]
    waiting = [sign_up(event, n) for n in range(3, 5)]
    with django_capture_on_commit_callbacks(execute=True):
        services.signup_cancel(code=confirmed[1].code, token=signup_token(confirmed[1].code))
    waiting[0].refresh_from_db()
    waiting[1].refresh_from_db()
    assert (waiting[0].status, waiting[1].status) == ("confirmed", "waitlisted")
    assert waiting[0].promoted_at is not None
    notice = Notification.objects.get(event="event.promoted")
    assert notice.recipient_kind == "citizen"
    assert waiting[0].checkin_code in notice.body
    # Delivered on commit by lianxin.events.tasks (tasks run inline in tests), to the phone left at sign-up.
    assert notice.state == Notification.State.SENT
    assert SignUp.objects.filter(event=event, status="confirmed").count() == 3


def test_cancelling_a_waitlisted_sign_up_moves_nobody(event):
    [sign_up(event, n) for n in range(3)]
    waiting = [sign_up(event, n) for n in range(3, 5)]
    services.signup_cancel(code=waiting[0].code, token=signup_token(waiting[0].code))
    assert statuses(event) == ["confirmed"] * 3 + ["cancelled", "waitlisted"]
    assert not Notification.objects.filter(event="event.promoted").exists()


def test_a_wrong_token_is_not_found_and_changes_nothing(event):
    signup = sign_up(event, 1)
    for token in ["", "x" * 24, signup_token("HDAAAAAAAA"), None, 123]:
        with pytest.raises(NotFound):
            services.signup_cancel(code=signup.code, token=token)
    with pytest.raises(NotFound):
        services.signup_cancel(code="HDNOSUCH00", token=signup_token("HDNOSUCH00"))
    signup.refresh_from_db()
    assert signup.status == SignUpStatus.CONFIRMED


def test_cancelling_twice_is_refused(event):
    signup = sign_up(event, 1)
    services.signup_cancel(code=signup.code, token=signup_token(signup.code))
    with pytest.raises(NotAllowed):
        services.signup_cancel(code=signup.code, token=signup_token(signup.code))


@pytest.mark.parametrize(
    ("name", "phone", "consent", "field"),
    [
        ("", "13812341234", True, "name"),
        ("   ", "13812341234", True, "name"),
        ("张" * 31, "13812341234", True, "name"),
        ("张三", "", True, "phone"),
        ("张三", "12345", True, "phone"),
        ("张三", "1381234123x", True, "phone"),
        ("张三", "1" * 500, True, "phone"),
        ("张三", "13812341234", False, "consent"),
        ("张三", "13812341234", "yes", "consent"),
        (None, None, None, "name"),
        (["张三"], {"a": 1}, True, "name"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_stores_nothing(event, name, phone, consent, field):
    before = AuditEntry.objects.count()
    with pytest.raises(InvalidInput) as exc:
        services.signup_create(event_id=event.pk, name=name, phone=phone, consent=consent)
    assert field in exc.value.fields
    assert any("\u4e00" <= ch <= "\u9fff" for ch in exc.value.message)
    assert SignUp.objects.count() == 0
    assert AuditEntry.objects.count() == before


def test_drafts_cancelled_and_unknown_events_take_no_sign_ups(district):
    draft = make_event(district, publish=False)
    cancelled = make_event(district)
    services.event_cancel(actor=district.station_staff, event_id=cancelled.pk, reason="场地维修")
    for event_id in [draft.pk, cancelled.pk, 999999, "abc", None]:
        with pytest.raises(NotFound):
            services.signup_create(event_id=event_id, name="张三", phone="13812341234", consent=True)
    assert SignUp.objects.count() == 0


def test_sign_up_closes_when_the_event_starts(district):
    event = make_event(district)
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(NotAllowed) as exc:
        sign_up(event, 1)
    assert exc.value.code == "signup_closed"


def test_a_full_waitlist_refuses_more(district, settings):
    settings.EVENT_WAITLIST_MAX = 1
    event = make_event(district, capacity=1)
    assert [sign_up(event, n).status for n in range(2)] == ["confirmed", "waitlisted"]
    with pytest.raises(NotAllowed) as exc:
        sign_up(event, 3)
    assert exc.value.code == "full"
    assert SignUp.objects.count() == 2


def test_cancelling_the_event_tells_everyone_signed_up(district):
    event = make_event(district, capacity=1)
    sign_up(event, 1)
    sign_up(event, 2)
    services.event_cancel(actor=district.station_staff, event_id=event.pk, reason="台风预警")
    notices = Notification.objects.filter(event="event.cancelled")
    assert notices.count() == 2
    assert all("台风预警" in n.body for n in notices)
