"""Walk-in reception (接待登记) by station staff and the office, and deputy visit records (走访)."""

import pytest
from django.urls import reverse

from lianxin.audit.models import AuditEntry
from lianxin.cases.models import Case
from lianxin.organisation.models import Deputy

pytestmark = pytest.mark.django_db
WALK_IN = reverse("cases:walk_in")
VISIT = reverse("cases:visit")


def _form(**overrides):
    data = {
        "title": "楼道堆物",
        "details": "5 栋楼道长期堆放杂物，存在消防隐患。",
        "request_type": "complaint",
        "contact_name": "李四",
        "contact_phone": "13900001111",
        "consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_station_staff_register_a_walk_in_with_deputies_present(client, district):
    second = Deputy.objects.create(code="d-zhao", name="赵代表")
    second.stations.add(district.station)
    client.force_login(district.station_staff)
    page = client.get(WALK_IN)
    assert page.context["form"]["station"].value() == district.station.pk  # their station preselected
    assert list(page.context["form"].fields["deputies_present"].queryset) == [district.deputy, second]
    response = client.post(
        WALK_IN, _form(station=district.station.pk, deputies_present=[district.deputy.pk, second.pk])
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert (case.channel, case.station, case.status, case.created_by) == (
        "walk_in",
        district.station,
        "registered",
        district.station_staff,
    )
    assert set(case.deputies_present.all()) == {district.deputy, second}
    assert case.contact_phone_masked == "139****1111"
    assert case.consent_at is not None
    assert AuditEntry.objects.get(action="case.registered", subject_id=case.pk).actor == district.station_staff


def test_walk_in_answered_on_the_spot(client, district):
    client.force_login(district.station_staff)
    client.post(
        WALK_IN, _form(station=district.station.pk, resolve_on_spot="on", resolve_message="已当场联系物业清理。")
    )
    case = Case.objects.get()
    assert (case.status, case.public_answer) == ("resolved", "已当场联系物业清理。")
    assert list(AuditEntry.objects.filter(subject_id=case.pk).values_list("action", flat=True)) == [
        "case.registered",
        "case.resolved",
    ]


def test_office_may_pick_any_station_of_its_district(client, district):
    client.force_login(district.office)
    page = client.get(WALK_IN, {"station": district.other_station.pk})
    assert set(page.context["form"].fields["station"].queryset) == {district.station, district.other_station}
    assert list(page.context["form"].fields["deputies_present"].queryset) == [district.other_deputy]
    client.post(WALK_IN, _form(station=district.other_station.pk, deputies_present=[district.other_deputy.pk]))
    case = Case.objects.get()
    assert (case.station, list(case.deputies_present.all())) == (district.other_station, [district.other_deputy])


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"consent": None}, "consent", "请确认已向群众告知个人信息用途并取得同意。"),
        ({"title": ""}, "title", "这个字段是必填项。"),
        ({"title": "长" * 101}, "title", "不超过 100 字符"),
        ({"details": "   "}, "details", "这个字段是必填项。"),
        ({"contact_phone": "12345"}, "contact_phone", "请填写正确的手机号码或固定电话。"),
        ({"request_type": "bogus"}, "request_type", "选择一个有效的选项"),
        ({"station": "OTHER"}, "station", "选择一个有效的选项"),  # station staff may not register for another station
        ({"station": "abc"}, "station", "选择一个有效的选项"),
        ({"deputies_present": ["OTHER_DEPUTY"]}, "deputies_present", "不在可用的选项中"),
        ({"deputies_present": ["999999"]}, "deputies_present", "不在可用的选项中"),
        ({"resolve_on_spot": "on", "resolve_message": ""}, "resolve_message", "选择当场答复时，请填写答复内容。"),
        ({"category": "abc"}, "category", "选择一个有效的选项"),
    ],
)
def test_walk_in_bad_input_stores_nothing(client, district, overrides, field, message):
    client.force_login(district.station_staff)
    data = _form(**{"station": district.station.pk, **overrides})
    if data.get("station") == "OTHER":
        data["station"] = district.other_station.pk
    if data.get("deputies_present") == ["OTHER_DEPUTY"]:
        data["deputies_present"] = [district.other_deputy.pk]
    response = client.post(WALK_IN, data)
    assert response.status_code == 422
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors
    assert message in response.content.decode()
    assert not Case.objects.exists()
    assert not AuditEntry.objects.filter(subject_type="case").exists()


def test_deputy_records_a_visit_in_their_grid(client, district):
    client.force_login(district.deputy_user)
    page = client.get(VISIT)
    assert list(page.context["form"].fields["grid"].queryset) == [district.grid]
    response = client.post(VISIT, _form(grid=district.grid.pk, resolve_on_spot="on", resolve_message="已解释。"))
    case = Case.objects.get()
    assert response.status_code == 302
    assert (case.channel, case.deputy, case.division, case.status) == (
        "visit",
        district.deputy,
        district.grid,
        "resolved",
    )
    # The station of that street sees the visit in its queue.
    client.force_login(district.station_staff)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200


def test_visit_in_someone_elses_grid_is_refused(client, district):
    client.force_login(district.deputy_user)
    response = client.post(VISIT, _form(grid=district.other_grid.pk))
    assert response.status_code == 422
    assert "请选择您联系的网格。" in response.content.decode()
    assert not Case.objects.exists()
