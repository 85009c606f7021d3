"""The case detail page: what it shows, masked contact, deadlines, dispatch history, the full timeline."""

import pytest
from django.urls import reverse

from lianxin.cases import services
from lianxin.cases.intake import Submission, case_register
from lianxin.cases.photos import prepare_photos
from lianxin.organisation.models import Category
from tests.factories import jpeg_bytes
from tests.work.helpers import case_at

pytestmark = pytest.mark.django_db


def _detail(client, case, **kwargs):
    return client.get(reverse("cases:detail", args=[case.pk]), **kwargs)


def test_detail_shows_the_case_with_masked_contact_and_photos(client, district):
    category = Category.objects.filter(level=2).first()
    case, _ = case_register(
        submission=Submission(
            title="小区路灯不亮",
            details="三栋门口路灯坏了两周。",
            channel="qr_station",
            station_code="donghu",
            category_id=category.pk,
            request_type="complaint",
            address="春晖路 8 号",
            lat=30.1,
            lng=120.2,
            contact_name="张三",
            contact_phone="13812341234",
            consent=True,
        ),
        photos=prepare_photos([jpeg_bytes()]),
    )
    client.force_login(district.station_staff)
    response = _detail(client, case)
    body = response.content.decode()
    assert response.status_code == 200
    for text in [
        "小区路灯不亮",
        "三栋门口路灯坏了两周。",
        category.name,
        "投诉",
        "联络站二维码",
        "东湖街道代表联络站",
        "春晖路 8 号",
        "30.10000",
        "张*",
        "138****1234",
        case.tracking_code,
        "回应时限",
    ]:
        assert text in body, text
    assert "示范区 / 东湖街道" in body  # the division path
    assert "13812341234" not in body and "张三" not in body
    assert body.count('class="img-thumbnail"') == 1


def test_timeline_marks_public_and_internal_entries_with_actor_and_role(client, district):
    case = case_at(district, "dispatched")
    services.case_add_note(actor=district.station_staff, case_id=case.pk, message="已电话联系住建局。")
    client.force_login(district.office)
    response = _detail(client, case)
    timeline = response.context["timeline"]
    assert [e.action for e in timeline] == ["case.registered", "case.acknowledged", "case.dispatched", "case.noted"]
    body = response.content.decode()
    assert body.count('<li class="public"') == 3
    assert body.count('<li class="internal"') == 1
    assert "已电话联系住建局。" in body
    assert "station（联络站工作人员）" in body
    assert "deputy（代表）" in body
    assert "· 群众" in body  # the citizen registered it without an account


def test_deadlines_dispatches_and_extensions_are_listed(client, district):
    case = case_at(district, "with_extension")
    client.force_login(district.station_staff)
    response = _detail(client, case)
    labels = [d.label for d in response.context["deadlines"]]
    assert labels == ["回应时限", "签收时限", "办理时限"]
    ack, claim, handle = response.context["deadlines"]
    assert (ack.on_time, claim.on_time, handle.on_time) == (True, True, None)
    assert handle.light == "green"
    body = response.content.decode()
    assert 'id="case-dispatches"' in body and "区住建局" in body
    assert 'id="case-extensions"' in body and "需要协调" in body and "待审批" in body
    assert [f["action"] for f in response.context["action_forms"]] == [
        "approve_extension",
        "reject_extension",
        "urge",
        "note",
    ]


def test_feedback_form_is_prefilled_with_the_units_reply(client, district):
    case = case_at(district, "replied")
    client.force_login(district.deputy_user)
    response = _detail(client, case)
    feedback = next(f for f in response.context["action_forms"] if f["action"] == "feedback")
    assert feedback["fields"][0]["value"] == "已更换灯泡。"
    assert "已更换灯泡。</textarea>" in response.content.decode()


def test_htmx_get_renders_only_the_panel(client, district):
    case = case_at(district, "registered")
    client.force_login(district.deputy_user)
    body = _detail(client, case, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in body and case.tracking_code in body


def test_detail_query_count_does_not_grow_with_the_timeline(client, district, django_assert_max_num_queries):
    case = case_at(district, "with_extension")
    client.force_login(district.station_staff)
    with django_assert_max_num_queries(40) as few:
        _detail(client, case)
    for i in range(20):
        services.case_add_note(actor=district.station_staff, case_id=case.pk, message=f"备注{i}")
        services.case_add_note(actor=district.unit_user, case_id=case.pk, message=f"单位备注{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = _detail(client, case)
    assert len(response.context["timeline"]) > 40
