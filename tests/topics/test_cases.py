"""Same matter, one handling: the "me too" on the report page, the likely duplicates and the merge on the work
screen, the supporters told of each public step, and the weak reply flagged for the station."""

import pytest
from django.urls import reverse

from lianxin.audit.models import AuditEntry
from lianxin.cases import services
from lianxin.cases.enums import Status
from lianxin.cases.models import Case, CaseSupporter
from lianxin.cases.support import case_merge, case_support
from lianxin.errors import InvalidInput, NotAllowed, NotFound
from lianxin.notifications.models import Notification
from tests.factories import submit_case

pytestmark = pytest.mark.django_db

LAMP = {"title": "春晖小区3栋门口路灯不亮", "details": "春晖小区3栋门口的路灯坏了两周，晚上出行不便，请尽快维修。"}


def test_similar_fragment_offers_open_matters_near_the_place(client, district):
    case = submit_case(**LAMP)
    submit_case(title="西山村小学门口需要红绿灯", details="学生过马路很危险。", station_code="xishan")
    url = reverse("topics:similar")
    page = client.get(url, {"title": "春晖小区路灯坏了", "details": "3栋门口的路灯不亮", "street": district.street.pk})
    assert page.status_code == 200
    body = page.content.decode()
    assert "是否与以下问题相同？" in body and case.title in body
    assert "红绿灯" not in body
    assert reverse("topics:support", args=[case.pk]) in body
    # another place, no title yet, or nonsense ids: nothing offered, no error
    assert (
        "是否与"
        not in client.get(url, {"title": "春晖小区路灯坏了", "street": district.other_street.pk}).content.decode()
    )
    assert client.get(url, {"title": "路灯", "street": district.street.pk}).content.strip() == b""
    assert client.get(url, {"title": "春晖小区路灯坏了", "street": "x'1"}).status_code == 200


def test_me_too_counts_once_per_phone_and_tells_the_supporter(client, district, django_capture_on_commit_callbacks):
    case = submit_case(**LAMP)
    url = reverse("topics:support", args=[case.pk])
    page = client.post(url, {"phone": "13900001111"})
    assert page.status_code == 200 and "已附议" in page.content.decode()
    again = client.post(url, {"phone": "139 0000 1111"})
    assert "您已附议过" in again.content.decode()
    case.refresh_from_db()
    assert case.supporters == 1
    assert CaseSupporter.objects.get(case=case).phone_enc and "13900001111" not in CaseSupporter.objects.get().phone_enc
    entry = AuditEntry.objects.get(action="case.supported", subject_id=case.pk)
    assert entry.public and "13900001111" not in str(entry.data)

    with django_capture_on_commit_callbacks(execute=True):
        services.case_acknowledge(actor=district.deputy_user, case_id=case.pk, message="收到，我来跟进。")
    told = Notification.objects.filter(subject_id=case.pk, event="case.acknowledged", recipient_kind="citizen")
    assert told.count() == 2  # the citizen who reported and the supporter
    assert any(n.body.startswith("【连心】代表已回应您附议的") for n in told)  # not "您附议的【连心】代表…"


def test_me_too_refusals(client, district):
    case = submit_case(**LAMP)
    with pytest.raises(NotAllowed):
        case_support(case_id=case.pk, phone="13812341234")  # the reporter's own phone
    with pytest.raises(InvalidInput):
        case_support(case_id=case.pk, phone="12")
    with pytest.raises(NotFound):
        case_support(case_id=999999, phone="13900001111")
    page = client.post(reverse("topics:support", args=[case.pk]), {"phone": "abc"})
    assert page.status_code == 422 and "手机" in page.content.decode()
    services.case_decline(actor=district.station_staff, case_id=case.pk, reason="已在诉讼中")
    assert client.post(reverse("topics:support", args=[case.pk]), {"phone": "13900001111"}).status_code == 404
    assert not CaseSupporter.objects.exists()


def test_staff_see_likely_duplicates_and_merge_them(client, district, django_capture_on_commit_callbacks):
    first = submit_case(**LAMP)
    second = submit_case(
        title="春晖小区路灯坏了", details="3栋门口的路灯两周不亮了，晚上很黑。", contact_phone="13700002222"
    )
    client.force_login(district.station_staff)
    panel = client.get(reverse("topics:case_duplicates", args=[second.pk])).content.decode()
    assert first.tracking_code in panel and "本件并入" in panel

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("topics:merge", args=[second.pk]), {"into": first.pk})
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.merged_into_id == first.pk and second.status == Status.DECLINED
    assert first.tracking_code in second.decline_reason
    assert first.supporters == 1
    assert AuditEntry.objects.filter(action="case.merged", subject_id=second.pk).exists()
    assert AuditEntry.objects.filter(action="case.merged_in", subject_id=first.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.case_acknowledge(actor=district.deputy_user, case_id=first.pk, message="收到")
    told = Notification.objects.filter(subject_id=first.pk, event="case.acknowledged", recipient_kind="citizen")
    assert told.count() == 2  # the merged case's citizen hears of the handling case's steps

    with pytest.raises(NotAllowed):
        case_merge(actor=district.station_staff, case_id=second.pk, into_id=first.pk)  # already merged
    with pytest.raises(InvalidInput):
        case_merge(actor=district.station_staff, case_id=first.pk, into_id=first.pk)


def test_merge_needs_a_visible_case_and_the_right_role(district):
    first = submit_case(**LAMP)
    other = submit_case(title="西山村路灯不亮", details="西山村路灯坏了。", station_code="xishan")
    with pytest.raises(NotFound):
        case_merge(actor=district.station_staff, case_id=first.pk, into_id=other.pk)  # not theirs
    with pytest.raises(NotFound):
        case_merge(actor=district.unit_user, case_id=first.pk, into_id=other.pk)
    assert Case.objects.filter(merged_into__isnull=False).count() == 0


def _replied(district, reply: str) -> Case:
    case = submit_case(**LAMP)
    services.case_acknowledge(actor=district.deputy_user, case_id=case.pk, message="收到")
    services.case_dispatch(actor=district.station_staff, case_id=case.pk, unit_id=district.unit.pk, request_type="help")
    services.case_claim(actor=district.unit_user, case_id=case.pk)
    services.case_reply(actor=district.unit_user, case_id=case.pk, message=reply)
    case.refresh_from_db()
    return case


def test_weak_reply_is_flagged_for_the_station_and_still_goes_through(client, district):
    case = _replied(district, "您好！您的留言已收悉。感谢您对我们工作的支持！")
    assert case.status == Status.REPLIED and case.reply_flags == ["boilerplate"]
    entry = AuditEntry.objects.get(action="case.replied", subject_id=case.pk)
    assert entry.data["reply_flags"] == ["boilerplate"]
    client.force_login(district.station_staff)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "答复质量提示" in page and "客套话" in page
    services.case_feedback(actor=district.station_staff, case_id=case.pk, message="已处理，请查看。")
    case.refresh_from_db()
    assert case.status == Status.FED_BACK


def test_substantive_reply_is_not_flagged(district):
    case = _replied(
        district,
        "经核实，春晖小区3栋门口路灯线路老化，我局已安排维修人员更换线路和灯泡，目前路灯已恢复正常照明，后续将定期巡查。",
    )
    assert case.reply_flags == []
    assert "reply_flags" not in AuditEntry.objects.get(action="case.replied", subject_id=case.pk).data


def test_retention_erases_supporters_phones_with_the_cases_contact(district, settings):
    import datetime as dt

    from django.utils import timezone

    from lianxin.cases.retention import erase_expired_contacts

    case = submit_case(**LAMP)
    case_support(case_id=case.pk, phone="13900001111")
    services.case_decline(actor=district.station_staff, case_id=case.pk, reason="已在诉讼中")
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - dt.timedelta(days=400))
    settings.CASE_CONTACT_RETENTION_DAYS = 180
    erase_expired_contacts()
    supporter = CaseSupporter.objects.get(case=case)
    assert (supporter.phone_enc, supporter.phone_hash) == ("", "")
    assert Case.objects.get(pk=case.pk).supporters == 1  # the count stays
