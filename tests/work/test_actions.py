"""The action panel: every action through the HTML door, and every kind of bad input refused with nothing stored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lianxin.cases import services
from lianxin.cases.codes import follow_up_token
from lianxin.cases.models import Case, CaseAttachment, Dispatch, ExtensionRequest
from lianxin.suggestions.models import Suggestion
from tests.factories import jpeg_upload
from tests.work.helpers import audit_count, case_at

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def _act(client, case, action, data=None, **kwargs):
    return client.post(reverse("cases:act", args=[case.pk, action]), data or {}, **kwargs)


def _status(case) -> str:
    return Case.objects.get(pk=case.pk).status


def test_the_whole_loop_through_the_action_forms(client, district):
    case = case_at(district, "registered")
    steps = [
        ("deputy_user", "acknowledge", {"message": "收到，我来跟进。"}, "acknowledged"),
        (
            "station_staff",
            "dispatch",
            {"unit_id": district.unit.pk, "request_type": "help", "message": "请尽快"},
            "dispatched",
        ),
        ("unit_user", "claim", {}, "claimed"),
        ("unit_user", "request_extension", {"workdays": "3", "reason": "需要协调"}, "claimed"),
        ("station_staff", "approve_extension", {"message": ""}, "claimed"),
        (
            "unit_user",
            "reply",
            {
                "message": "已更换灯泡。",
                "attachments": [SimpleUploadedFile("答复.pdf", b"%PDF-1.4 test", "application/pdf"), jpeg_upload()],
            },
            "replied",
        ),
        ("deputy_user", "feedback", {"message": "路灯已修好，请查看。"}, "fed_back"),
    ]
    for persona, action, data, status in steps:
        client.force_login(district.persona(persona))
        response = _act(client, case, action, data)
        assert response.status_code == 302, (action, response.content.decode()[:500])
        assert response["Location"] == reverse("cases:detail", args=[case.pk])
        assert _status(case) == status, action
    assert ExtensionRequest.objects.get(case=case).state == "approved"
    assert sorted(CaseAttachment.objects.filter(case=case).values_list("name", flat=True)) == ["photo.jpg", "答复.pdf"]
    services.case_rate(tracking_code=case.tracking_code, token=follow_up_token(case.tracking_code), rating="satisfied")
    client.force_login(district.station_staff)
    response = _act(client, case, "close", {"message": ""}, follow=True)
    assert _status(case) == "closed"
    assert "已完成：办结。" in response.content.decode()


@pytest.mark.parametrize(
    ("state", "persona", "action", "data", "status_after"),
    [
        ("registered", "deputy_user", "resolve_on_spot", {"message": "已当场解释政策。"}, "resolved"),
        ("registered", "station_staff", "decline", {"reason": "已进入诉讼程序。"}, "declined"),
        ("acknowledged", "station_staff", "escalate", {"message": "需区级协调。"}, "escalated"),
        ("acknowledged", "deputy_user", "convert", {"message": ""}, "converted"),
        ("dispatched", "unit_user", "return", {"reason": "不属于本单位职责。"}, "returned"),
        ("dispatched", "station_staff", "urge", {"message": "请今天签收。"}, "dispatched"),
        ("with_extension", "office", "reject_extension", {"message": "理由不充分。"}, "claimed"),
        ("claimed", "unit_user", "note", {"message": "已约现场查看。"}, "claimed"),
    ],
)
def test_each_other_action_works_over_htmx(client, district, state, persona, action, data, status_after):
    case = case_at(district, state)
    before = audit_count(case)
    client.force_login(district.persona(persona))
    response = _act(client, case, action, data, headers=HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body  # only the panel is re-rendered
    assert "已完成：" in body
    assert _status(case) == status_after
    assert audit_count(case) == before + 1


def test_convert_creates_the_draft_suggestion(client, district):
    case = case_at(district, "acknowledged")
    client.force_login(district.deputy_user)
    _act(client, case, "convert", {"message": "多处同类问题"})
    assert Suggestion.objects.get(cases=case).lead_deputy == district.deputy


def _stored(case) -> tuple:
    return (
        _status(case),
        audit_count(case),
        Dispatch.objects.filter(case=case).count(),
        ExtensionRequest.objects.filter(case=case).count(),
        CaseAttachment.objects.filter(case=case).count(),
        Case.objects.get(pk=case.pk).public_answer,
    )


LONG = "长" * 5001
BAD_INPUT = [
    ("registered", "deputy_user", "acknowledge", {"message": ""}, "请填写回应内容。"),
    ("registered", "deputy_user", "acknowledge", {"message": "   "}, "请填写回应内容。"),
    ("registered", "deputy_user", "acknowledge", {"message": LONG}, "回应内容不能超过 5000 个字。"),
    ("registered", "deputy_user", "resolve_on_spot", {"message": ""}, "请填写解决情况。"),
    ("registered", "station_staff", "decline", {"reason": ""}, "请填写不予受理理由。"),
    ("acknowledged", "station_staff", "dispatch", {"unit_id": "abc"}, "请选择有效的承办单位。"),
    ("acknowledged", "station_staff", "dispatch", {"unit_id": "999999"}, "请选择有效的承办单位。"),
    ("acknowledged", "station_staff", "dispatch", {"unit_id": ""}, "请选择有效的承办单位。"),
    ("acknowledged", "station_staff", "dispatch", {"unit_id": "UNIT", "request_type": "bogus"}, "诉求类型无效。"),
    ("acknowledged", "station_staff", "escalate", {"message": ""}, "请填写提级理由。"),
    ("dispatched", "unit_user", "return", {"reason": ""}, "请填写退回理由。"),
    ("dispatched", "station_staff", "urge", {"message": ""}, "请填写催办意见。"),
    ("claimed", "unit_user", "reply", {"message": ""}, "请填写答复内容。"),
    (
        "claimed",
        "unit_user",
        "reply",
        {"message": "已处理", "attachments": "FAKE"},
        "附件只能是 PDF、图片或 Office 文档。",
    ),
    (
        "claimed",
        "unit_user",
        "request_extension",
        {"workdays": "0", "reason": "需要协调"},
        "延期天数须在 1 到 15 个工作日之间。",
    ),
    (
        "claimed",
        "unit_user",
        "request_extension",
        {"workdays": "99", "reason": "需要协调"},
        "延期天数须在 1 到 15 个工作日之间。",
    ),
    ("claimed", "unit_user", "request_extension", {"workdays": "x", "reason": "需要协调"}, "延期天数须为整数。"),
    ("claimed", "unit_user", "request_extension", {"workdays": "3", "reason": ""}, "请填写延期理由。"),
    ("with_extension", "station_staff", "reject_extension", {"message": ""}, "请填写驳回理由。"),
    ("replied", "deputy_user", "feedback", {"message": ""}, "请填写反馈内容。"),
    ("registered", "station_staff", "note", {"message": ""}, "请填写备注。"),
    # Actions that are not allowed now
    ("dispatched", "station_staff", "acknowledge", {"message": "收到"}, "当前状态（已交办）下不能执行“回应”。"),
    ("registered", "station_staff", "close", {}, "当前状态（已受理）下不能执行“办结”。"),
    ("claimed", "station_staff", "approve_extension", {}, "当前状态（办理中）下不能执行“批准延期”。"),
    ("dispatched", "unit_user", "reply", {"message": "已处理"}, "当前状态（已交办）下不能执行“答复”。"),
    ("dispatched", "leader", "urge", {"message": "快"}, "当前状态（已交办）下不能执行“催办”。"),
    ("registered", "station_staff", "fly", {"message": "x"}, "未知的操作。"),
]


@pytest.mark.parametrize("htmx", [False, True], ids=["post", "htmx"])
@pytest.mark.parametrize(("state", "persona", "action", "data", "message"), BAD_INPUT)
def test_bad_input_is_refused_next_to_the_form_and_nothing_is_stored(
    client, district, state, persona, action, data, message, htmx
):
    case = case_at(district, state)
    data = dict(data)
    if data.get("unit_id") == "UNIT":
        data["unit_id"] = district.unit.pk
    if data.get("attachments") == "FAKE":
        data["attachments"] = [SimpleUploadedFile("病毒.exe", b"MZ\x90\x00 not a document", "application/pdf")]
    before = _stored(case)
    client.force_login(district.persona(persona))
    response = _act(client, case, action, data, headers=HTMX if htmx else {})
    assert response.status_code == (200 if htmx else 422)
    body = response.content.decode()
    assert message in body
    assert ("<html" in body) is not htmx
    assert _stored(case) == before


def test_posted_values_come_back_with_the_error(client, district):
    case = case_at(district, "claimed")
    client.force_login(district.unit_user)
    response = _act(client, case, "request_extension", {"workdays": "x", "reason": "需要协调住建和城管"})
    form = next(f for f in response.context["action_forms"] if f["action"] == "request_extension")
    assert form["error"] == "延期天数须为整数。"
    assert [f["errors"] for f in form["fields"]] == [["须为整数。"], []]
    assert "需要协调住建和城管</textarea>" in response.content.decode()


def test_actions_need_post(client, district):
    case = case_at(district, "registered")
    client.force_login(district.deputy_user)
    assert client.get(reverse("cases:act", args=[case.pk, "acknowledge"])).status_code == 405
