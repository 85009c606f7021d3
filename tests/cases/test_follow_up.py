"""Follow-up for every channel: the registration SMS of staff-registered matters carries the private link, and a
citizen who lost the link gets a new one with the tracking code, their phone and a one-time SMS code."""

import datetime as dt
import logging
import re

import pytest
from django.utils import timezone

from lianxin.audit.models import AuditEntry
from lianxin.cases import recovery
from lianxin.cases.codes import follow_up_token, token_generation, token_matches
from lianxin.cases.models import Case, FollowUpCode
from lianxin.errors import InvalidInput
from lianxin.notifications.models import Notification
from tests.factories import submit_case

pytestmark = pytest.mark.django_db

PHONE = "13812341234"
CODE_RE = re.compile(r"验证码 (\d{6})")


def citizen_rows(case):
    return list(
        Notification.objects.filter(subject_type="case", subject_id=case.pk, recipient_kind="citizen").values_list(
            "event", "body"
        )
    )


def send_code(case, caplog, capture, phone=PHONE) -> str:
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="lianxin.notifications"), capture(execute=True):
        recovery.follow_up_code_send(tracking_code=case.tracking_code, phone=phone)
    codes = [m.group(1) for r in caplog.records if (m := CODE_RE.search(r.getMessage()))]
    return codes[-1] if codes else ""


# --- the link in the registration SMS -------------------------------------------------------------------------


@pytest.mark.parametrize("channel", ["walk_in", "visit", "phone", "hotline_12345"])
def test_staff_registered_matter_sends_the_follow_up_link(district, settings, channel):
    settings.SITE_URL = "https://lianxin.example.gov.cn"
    case = submit_case(channel=channel)
    [(event, body)] = citizen_rows(case)
    link = f"https://lianxin.example.gov.cn/track/{case.tracking_code}?token={follow_up_token(case.tracking_code)}"
    assert event == "case.registered"
    assert (
        body
        == f"【连心】您反映的“小区路灯不亮”已受理，查询码 {case.tracking_code}。查看进度和评价请点：{link}（请勿转发）"
    )


@pytest.mark.parametrize("channel", ["qr_station", "web", "import"])
def test_self_service_matter_sms_has_no_link(district, channel):
    """QR and web reporters saw the link on the done page; imported matters are not the citizen's own request."""
    case = submit_case(channel=channel)
    [(_event, body)] = citizen_rows(case)
    assert "token=" not in body and body.endswith(f"查询码 {case.tracking_code}。")


def test_walk_in_without_phone_gets_no_sms(district):
    case = submit_case(channel="walk_in", contact_phone="")
    assert citizen_rows(case) == []


# --- tokens of link generations ------------------------------------------------------------------------------


def test_token_generations():
    first, third = follow_up_token("LXABCDEFGH"), follow_up_token("LXABCDEFGH", 3)
    assert (token_generation("LXABCDEFGH", first), token_generation("LXABCDEFGH", third)) == (0, 3)
    assert token_matches("LXABCDEFGH", third, 3) and not token_matches("LXABCDEFGH", third, 2)
    assert not token_matches("LXABCDEFGH", first, 1)
    signature = third.split(".")[0]
    for forged in (f"{signature}.4", f"{signature}.03", f"{signature}.", f"{first}.1", "x.1", "", None, 5):
        assert token_generation("LXABCDEFGH", forged) is None
    assert token_generation("LXOTHERCODE", third) is None


# --- recovering a lost link ----------------------------------------------------------------------------------


def test_recovery_issues_a_new_link_and_the_old_one_stops_working(
    district, caplog, django_capture_on_commit_callbacks, client
):
    case = submit_case(channel="walk_in")
    old = f"/track/{case.tracking_code}?token={follow_up_token(case.tracking_code)}"
    assert client.get(old).status_code == 200
    code = send_code(case, caplog, django_capture_on_commit_callbacks, phone="138 1234 1234")
    assert len(code) == 6
    record = FollowUpCode.objects.get()
    assert record.code_enc == "" and code not in record.code_hash  # only the keyed hash is kept once sent
    assert not Notification.objects.filter(event="case.follow_up_code").exists()  # a secret: never in the outbox
    recovered, token = recovery.follow_up_recover(tracking_code=case.tracking_code.lower(), phone=PHONE, code=code)
    assert (recovered.pk, recovered.follow_up_generation, token) == (
        case.pk,
        1,
        follow_up_token(case.tracking_code, 1),
    )
    assert client.get(old).status_code == 404
    assert client.get(f"/track/{case.tracking_code}?token={token}").status_code == 200
    entry = AuditEntry.objects.get(action="case.follow_up_recovered")
    assert (entry.subject_id, entry.public, entry.data) == (case.pk, False, {"generation": 1, "phone": "138****1234"})
    assert PHONE not in str(entry.__dict__)
    # single use
    with pytest.raises(InvalidInput) as exc:
        recovery.follow_up_recover(tracking_code=case.tracking_code, phone=PHONE, code=code)
    assert exc.value.code == "bad_code"


def test_wrong_phone_or_unknown_code_sends_nothing_and_answers_the_same(
    district, caplog, django_capture_on_commit_callbacks
):
    case = submit_case(channel="walk_in")
    assert send_code(case, caplog, django_capture_on_commit_callbacks, phone="13900000000") == ""
    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
        assert recovery.follow_up_code_send(tracking_code="LXZZZZZZZZ", phone=PHONE) is None
    anonymous = submit_case(channel="walk_in", contact_phone="", anonymous=True)
    assert send_code(anonymous, caplog, django_capture_on_commit_callbacks, phone=PHONE) == ""
    assert FollowUpCode.objects.count() == 0


def test_five_wrong_tries_void_the_code(district, caplog, django_capture_on_commit_callbacks):
    case = submit_case(channel="walk_in")
    code = send_code(case, caplog, django_capture_on_commit_callbacks)
    wrong = "000000" if code != "000000" else "111111"
    messages = set()
    for _ in range(5):
        with pytest.raises(InvalidInput) as exc:
            recovery.follow_up_recover(tracking_code=case.tracking_code, phone=PHONE, code=wrong)
        messages.add(exc.value.message)
    with pytest.raises(InvalidInput) as exc:
        recovery.follow_up_recover(tracking_code=case.tracking_code, phone=PHONE, code=code)  # right, too late
    messages.add(exc.value.message)
    # a wrong phone with the right code: the same message (no oracle)
    with pytest.raises(InvalidInput) as exc:
        recovery.follow_up_recover(tracking_code=case.tracking_code, phone="13900000000", code=code)
    messages.add(exc.value.message)
    assert messages == {"验证码不正确或已失效（有效期 10 分钟，最多输错 5 次，只能使用一次），请重新获取。"}
    case.refresh_from_db()
    assert case.follow_up_generation == 0
    assert not AuditEntry.objects.filter(action="case.follow_up_recovered").exists()


def test_expired_code_is_refused(district, caplog, django_capture_on_commit_callbacks):
    case = submit_case(channel="walk_in")
    code = send_code(case, caplog, django_capture_on_commit_callbacks)
    later = timezone.now() + dt.timedelta(minutes=10, seconds=1)
    with pytest.raises(InvalidInput):
        recovery.follow_up_recover(tracking_code=case.tracking_code, phone=PHONE, code=code, now=later)
    assert Case.objects.get(pk=case.pk).follow_up_generation == 0


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"tracking_code": ""}, "tracking_code", "请填写查询码。"),
        ({"tracking_code": "LX\x00ABC"}, "tracking_code", None),
        ({"tracking_code": "LX-ABC"}, "tracking_code", "查询码格式不正确（如 LX 开头的 10 位字母数字）。"),
        ({"phone": ""}, "phone", "请填写登记时留的电话。"),
        ({"phone": "1381234\x07"}, "phone", "请填写正确的手机号码或固定电话。"),
        ({"phone": "12"}, "phone", "请填写正确的手机号码或固定电话。"),
        ({"code": "12345"}, "code", "请填写短信中的 6 位数字验证码。"),
        ({"code": "12345a"}, "code", "请填写短信中的 6 位数字验证码。"),
        ({"code": "12\u202e3456"}, "code", None),
        ({"code": ["123456"]}, "code", None),
    ],
)
def test_bad_input_is_refused_and_stores_nothing(
    district, caplog, django_capture_on_commit_callbacks, fields, field, message
):
    case = submit_case(channel="walk_in")
    send_code(case, caplog, django_capture_on_commit_callbacks)
    values = {"tracking_code": case.tracking_code, "phone": PHONE, "code": "123456"} | fields
    before = list(FollowUpCode.objects.values_list("pk", "attempts", "used_at"))
    with pytest.raises(InvalidInput) as exc:
        recovery.follow_up_recover(**values)
    assert field in exc.value.fields
    if message:
        assert exc.value.fields[field] == [message]
    assert list(FollowUpCode.objects.values_list("pk", "attempts", "used_at")) == before
    if field != "code":
        with pytest.raises(InvalidInput):
            recovery.follow_up_code_send(tracking_code=values["tracking_code"], phone=values["phone"])
        assert list(FollowUpCode.objects.values_list("pk", "attempts", "used_at")) == before


def test_code_sms_stops_at_the_sms_cap_of_the_number(district, settings, caplog, django_capture_on_commit_callbacks):
    """The codes go through the citizen channel, so the per-number SMS cap (notifications/caps.py) holds them too."""
    settings.SMS_PER_PHONE_HOUR = 2
    case = submit_case(channel="walk_in")
    codes = [send_code(case, caplog, django_capture_on_commit_callbacks) for _ in range(3)]
    assert [bool(code) for code in codes] == [True, True, False]
    assert list(FollowUpCode.objects.values_list("code_enc", flat=True)) == ["", "", ""]  # nothing kept in clear
