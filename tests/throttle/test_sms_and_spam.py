"""SMS caps per number, and spam marked, hidden and declined in bulk by staff."""

import pytest

from lianxin import privacy
from lianxin.audit.models import AuditEntry
from lianxin.cases.enums import Status
from lianxin.cases.models import Case
from lianxin.notifications.caps import SUPPRESSED
from lianxin.notifications.models import Notification
from lianxin.notifications.tasks import deliver_notifications
from tests.api.helpers import BASE, assert_error, bearer, post_json
from tests.factories import submit_case

pytestmark = pytest.mark.django_db


def _sms(phone: str) -> Notification:
    return Notification.objects.create(
        channel="console",
        recipient_kind="citizen",
        event="case.registered",
        subject="s",
        body="已受理",
        address_enc=privacy.encrypt(phone),
    )


def test_sms_to_one_number_stops_at_the_hourly_cap_and_the_rest_is_recorded_as_suppressed(settings):
    settings.SMS_PER_PHONE_HOUR, settings.SMS_PER_PHONE_DAY = 2, 10
    rows = [_sms("13800001111") for _ in range(4)]
    other = _sms("13800002222")
    deliver_notifications([row.pk for row in [*rows, other]])
    states = sorted(Notification.objects.filter(pk__in=[r.pk for r in rows]).values_list("state", flat=True))
    assert states == ["sent", "sent", SUPPRESSED, SUPPRESSED]
    assert Notification.objects.get(pk=other.pk).state == "sent"  # another number is not affected
    suppressed = Notification.objects.filter(state=SUPPRESSED).first()
    assert "cap" in suppressed.last_error
    assert suppressed.attempts == 1  # not retried by the sweep either (no longer pending)


def test_the_daily_cap_counts_whatever_sent_the_message(settings):
    settings.SMS_PER_PHONE_HOUR, settings.SMS_PER_PHONE_DAY = 10, 3
    rows = [_sms("13800003333") for _ in range(5)]
    deliver_notifications([row.pk for row in rows])
    assert Notification.objects.filter(pk__in=[r.pk for r in rows], state=SUPPRESSED).count() == 2


def test_staff_mark_spam_hide_it_and_decline_it_in_bulk_with_one_reason_audited(client, district):
    staff = bearer(district.station_staff)
    spam = [submit_case(title=f"广告 {n}", details=f"加微信 {n}") for n in range(3)]
    kept = submit_case(title="真实的问题", details="路灯坏了")
    for case in spam:
        marked = post_json(client, f"{BASE}/cases/{case.pk}/spam", {"spam": True}, **staff)
        assert marked.status_code == 200
    listed = client.get(f"{BASE}/cases", **staff).json()
    assert [item["tracking_code"] for item in listed["items"]] == [kept.tracking_code]
    only = client.get(f"{BASE}/cases", {"spam": "only"}, **staff).json()
    assert only["total"] == 3
    queue = client.get("/work/cases/", {"tab": "all"})  # not logged in: no queue
    assert queue.status_code in (302, 404)

    declined = post_json(
        client, f"{BASE}/cases/spam/decline", {"case_ids": [c.pk for c in spam], "reason": "广告信息"}, **staff
    )
    assert declined.status_code == 200
    assert sorted(declined.json()["declined"]) == sorted(c.tracking_code for c in spam)
    for case in spam:
        case.refresh_from_db()
        assert (case.status, case.decline_reason, case.spam) == (Status.DECLINED, "广告信息", True)
    entries = AuditEntry.objects.filter(subject_type="case", subject_id__in=[c.pk for c in spam])
    assert entries.filter(action="case.spam_marked").count() == 3
    assert entries.filter(action="case.declined").count() == 3
    bulk = entries.filter(action="case.spam_declined")
    assert bulk.count() == 3 and all(e.actor_id == district.station_staff.pk for e in bulk)


def test_bulk_decline_with_a_foreign_case_is_404_and_changes_nothing(client, district):
    ours = submit_case()
    theirs = submit_case(station_code="xishan", title="别处的件")
    staff = bearer(district.station_staff)
    response = post_json(
        client, f"{BASE}/cases/spam/decline", {"case_ids": [ours.pk, theirs.pk], "reason": "广告"}, **staff
    )
    assert_error(response, 404)
    assert Case.objects.filter(status=Status.DECLINED).count() == 0
    assert not AuditEntry.objects.filter(action__in=["case.declined", "case.spam_declined"]).exists()
    assert_error(post_json(client, f"{BASE}/cases/{theirs.pk}/spam", {"spam": True}, **staff), 404)
    # Without the decline permission (the auditor sees but may not decline): refused, nothing marked.
    refused = post_json(client, f"{BASE}/cases/{ours.pk}/spam", {"spam": True}, **bearer(district.auditor))
    assert refused.status_code in (404, 409)
    ours.refresh_from_db()
    assert ours.spam is False


def test_the_queue_hides_spam_and_the_page_declines_it_in_bulk(client, district):
    spam = submit_case(title="推销广告", details="加微信")
    kept = submit_case(title="路面塌陷", details="春晖路口")
    client.force_login(district.station_staff)
    assert client.post(f"/work/cases/{spam.pk}/spam").status_code == 302
    queue = client.get("/work/cases/", {"tab": "all"}).content.decode()
    assert kept.tracking_code in queue and spam.tracking_code not in queue
    only = client.get("/work/cases/", {"tab": "all", "spam": "only"}).content.decode()
    assert spam.tracking_code in only and kept.tracking_code not in only and 'id="spam-decline"' in only
    done = client.post("/work/cases/spam/decline", {"case_ids": [spam.pk], "reason": "广告"})
    assert done.status_code == 302
    spam.refresh_from_db()
    kept.refresh_from_db()
    assert (spam.status, kept.status) == (Status.DECLINED, Status.REGISTERED)
    # A case of another station in the list: 404, nothing declined.
    theirs = submit_case(station_code="xishan", title="别处")
    assert client.post("/work/cases/spam/decline", {"case_ids": [kept.pk, theirs.pk], "reason": "x"}).status_code == 404
    kept.refresh_from_db()
    assert kept.status == Status.REGISTERED
