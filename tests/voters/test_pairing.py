"""Pairing households (结对) and recording contacts: storage, masking, the minimum, bad input, permissions."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lianxin import privacy
from lianxin.audit.models import AuditEntry
from lianxin.cases.models import Case
from lianxin.errors import InvalidInput, NotAllowed, NotFound
from lianxin.voters import selectors, services
from lianxin.voters.models import Household, VoterContact
from tests.voters.helpers import pair

pytestmark = pytest.mark.django_db


def test_pairing_stores_personal_data_encrypted_and_masked(district):
    [household] = pair(district)
    household.refresh_from_db()
    assert household.head_phone_masked == "138****0000"
    assert household.head_name_masked == "张*"
    assert household.address_masked == "东湖街道春晖路****"
    assert privacy.decrypt(household.head_phone_enc) == "13812340000"
    assert privacy.decrypt(household.address_enc) == "东湖街道春晖路1号3栋301"
    assert "13812340000" not in household.head_phone_enc
    entry = AuditEntry.objects.get(action="voters.household_paired")
    assert "13812340000" not in str(entry.data) and entry.data["phone"] == "138****0000"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("address", "", "请填写地址。"),
        ("address", "路" * 201, "地址不能超过 200 个字。"),
        ("head_name", "  ", "请填写户主姓名。"),
        ("head_phone", "", "请填写户主电话。"),
        ("head_phone", "12345", "请填写正确的手机号码或固定电话。"),
        ("head_phone", ["138"], "请填写户主电话。"),
        ("grid_id", "abc", "请选择网格。"),
        ("paired_on", dt.date(2999, 1, 1), "结对日期不能晚于今天。"),
        ("paired_on", "2024-01-01", "请填写正确的结对日期。"),
    ],
)
def test_pairing_refuses_bad_input_and_stores_nothing(district, field, value, message):
    values = {
        "deputy_id": district.deputy.pk,
        "grid_id": district.grid.pk,
        "address": "春晖路1号",
        "head_name": "张三",
        "head_phone": "13812341234",
        field: value,
    }
    with pytest.raises(InvalidInput) as exc:
        services.household_pair(actor=district.deputy_user, **values)
    assert exc.value.message == message
    assert Household.objects.count() == 0


def test_a_street_is_not_a_grid(district):
    with pytest.raises(InvalidInput) as exc:
        services.household_pair(
            actor=district.deputy_user,
            deputy_id=district.deputy.pk,
            grid_id=district.street.pk,
            address="春晖路1号",
            head_name="张三",
            head_phone="13812341234",
        )
    assert exc.value.fields == {"grid": ["请选择网格。"]}


def test_the_same_household_is_paired_once_per_deputy(district):
    pair(district)
    with pytest.raises(InvalidInput) as exc:
        pair(district)
    assert exc.value.message == "该户已与这位代表结对。"
    assert Household.objects.count() == 1


@pytest.mark.parametrize(
    "persona", ["other_deputy_user", "station_staff", "unit_user", "leader", "auditor", "outsider"]
)
def test_only_the_deputy_and_their_office_pair(district, persona):
    from tests.factories import make_user

    actor = make_user("d2") if persona == "other_deputy_user" else district.persona(persona)
    if persona == "other_deputy_user":
        district.other_deputy.user = actor
        district.other_deputy.save()
    with pytest.raises(NotFound):
        pair(district, actor=actor)
    assert Household.objects.count() == 0


def test_the_office_pairs_for_a_deputy_and_ends_a_pairing(district):
    [household] = pair(district, actor=district.office)
    services.household_end(actor=district.deputy_user, household_id=household.pk)
    household.refresh_from_db()
    assert (household.active, household.ended_on) == (False, timezone.localdate())
    with pytest.raises(NotAllowed):
        services.household_end(actor=district.deputy_user, household_id=household.pk)
    with pytest.raises(NotFound):
        services.household_end(actor=district.outsider, household_id=household.pk)


def test_the_office_sees_deputies_below_the_minimum(district, settings, client, django_assert_max_num_queries):
    settings.VOTERS_PAIRING_MINIMUM = 3
    pair(district, 3)
    rows = selectors.deputy_rows(district.office, timezone.localdate())
    assert [(r.deputy.code, r.households, r.below_minimum) for r in rows] == [("d-li", 0, True), ("d-wang", 3, False)]
    below = selectors.deputy_rows(district.office, timezone.localdate(), only_below=True)
    assert [r.deputy.code for r in below] == ["d-li"]

    services.household_end(actor=district.office, household_id=Household.objects.first().pk)
    assert [r.below_minimum for r in selectors.deputy_rows(district.office, timezone.localdate())] == [True, True]

    from lianxin.organisation.models import Deputy

    for i in range(5):  # more deputies, same number of queries
        Deputy.objects.create(code=f"d-x{i}", name=f"代表{i}").stations.add(district.station)
    client.force_login(district.office)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("voters:contacts") + "?below=1")
    assert response.status_code == 200
    assert len(response.context["rows"]) == 7


def test_a_deputy_below_the_minimum_is_told_on_their_page(district, client, settings):
    settings.VOTERS_PAIRING_MINIMUM = 2
    pair(district, 1)
    client.force_login(district.deputy_user)
    page = client.get(reverse("voters:contacts")).content.decode()
    assert "未达到最低结对数" in page
    pair(district, 1, start=1)
    assert "未达到最低结对数" not in client.get(reverse("voters:contacts")).content.decode()


# --- contacts -------------------------------------------------------------------------------------------------------


def test_a_contact_can_become_a_case_linked_to_it(district):
    [household] = pair(district)
    contact = services.contact_record(
        actor=district.deputy_user,
        deputy_id=district.deputy.pk,
        household_id=household.pk,
        contacted_on=timezone.localdate(),
        way="visit",
        summary="入户走访。",
        raised="小区门口路灯不亮，晚上出行不便。",
        create_case=True,
        case_title="春晖路路灯不亮",
    )
    case = contact.case
    assert (case.channel, case.deputy, case.division, case.title) == (
        "visit",
        district.deputy,
        district.grid,
        "春晖路路灯不亮",
    )
    assert case.contact_phone_masked == "138****0000"
    assert case.created_by == district.deputy_user


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"way": "carrier_pigeon"}, "way"),
        ({"summary": ""}, "summary"),
        ({"summary": "字" * 2001}, "summary"),
        ({"contacted_on": dt.date(2999, 1, 1)}, "contacted_on"),
        ({"contacted_on": None}, "contacted_on"),
        ({"household_id": "x"}, "household"),
        ({"create_case": True, "raised": ""}, "raised"),
        ({"create_case": True, "raised": "路灯坏了", "case_title": "题" * 101}, "case_title"),
    ],
)
def test_bad_contacts_store_nothing(district, changes, field):
    values = {
        "deputy_id": district.deputy.pk,
        "contacted_on": timezone.localdate(),
        "way": "phone",
        "summary": "电话问候。",
        **changes,
    }
    with pytest.raises(InvalidInput) as exc:
        services.contact_record(actor=district.deputy_user, **values)
    assert field in exc.value.fields
    assert (VoterContact.objects.count(), Case.objects.count()) == (0, 0)


def test_someone_elses_household_is_not_accepted(district):
    [household] = pair(district, actor=district.office)
    other = services.household_pair(
        actor=district.office,
        deputy_id=district.other_deputy.pk,
        grid_id=district.other_grid.pk,
        address="西山村五组",
        head_name="李四",
        head_phone="13900001111",
    )
    with pytest.raises(InvalidInput) as exc:
        services.contact_record(
            actor=district.deputy_user,
            deputy_id=district.deputy.pk,
            household_id=other.pk,
            contacted_on=timezone.localdate(),
            way="visit",
            summary="走访",
        )
    assert exc.value.fields == {"household": ["结对户无效。"]}
    assert household.contacts.count() == 0


def test_the_deputy_page_lists_contacts_with_a_fixed_number_of_queries(district, client, django_assert_max_num_queries):
    households = pair(district, 3)
    for i in range(12):
        services.contact_record(
            actor=district.deputy_user,
            deputy_id=district.deputy.pk,
            household_id=households[i % 3].pk,
            contacted_on=timezone.localdate(),
            way="wechat",
            summary=f"第{i}次联系",
        )
    client.force_login(district.deputy_user)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("voters:deputy", args=[district.deputy.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("138****000") == 3  # the three households, masked
    assert len(response.context["page"].object_list) == 12
    assert "13812340000" not in page and "春晖路1号" not in page


def test_the_work_pages_are_closed_to_everyone_else(district, client):
    for persona in ("station_staff", "unit_user", "leader", "auditor", "outsider"):
        client.force_login(district.persona(persona))
        assert client.get(reverse("voters:contacts")).status_code == 404, persona
        assert client.get(reverse("voters:deputy", args=[district.deputy.pk])).status_code == 404, persona
        assert client.get(reverse("voters:samples")).status_code == 404, persona
    client.force_login(district.deputy_user)
    assert client.get(reverse("voters:deputy", args=[district.other_deputy.pk])).status_code == 404
    assert client.get(reverse("voters:samples")).status_code == 404


def test_the_contact_form_shows_errors_and_stores_nothing(district, client):
    client.force_login(district.deputy_user)
    response = client.post(
        reverse("voters:contact_add", args=[district.deputy.pk]),
        {"contacted_on": "2999-01-01", "way": "visit", "summary": "走访"},
    )
    assert response.status_code == 422
    assert "联系日期不能晚于今天。" in response.content.decode()
    assert VoterContact.objects.count() == 0
    response = client.post(
        reverse("voters:contact_add", args=[district.deputy.pk]),
        {
            "contacted_on": timezone.localdate().isoformat(),
            "way": "visit",
            "summary": "走访",
            "raised": "路灯坏了",
            "create_case": "on",
        },
    )
    assert response.status_code == 302
    assert VoterContact.objects.get().case.channel == "visit"


def test_the_deputy_page_narrows_contacts_to_dates(district, client, django_assert_max_num_queries):
    """The cockpit's deputies' table links to ?from=&to=; bad dates show everything with a message."""
    today = timezone.localdate()
    for days in (0, 3, 40, 400):
        VoterContact.objects.create(
            deputy=district.deputy, contacted_on=today - dt.timedelta(days=days), way="visit", summary=f"{days}天前"
        )
    VoterContact.objects.create(deputy=district.other_deputy, contacted_on=today, way="visit", summary="别人的")
    url = reverse("voters:deputy", args=[district.deputy.pk])
    client.force_login(district.office)
    window = {"from": (today - dt.timedelta(days=30)).isoformat(), "to": today.isoformat()}
    with django_assert_max_num_queries(16):
        response = client.get(url, window)
    assert [c.summary for c in response.context["page"]] == ["0天前", "3天前"]
    assert response.context["page"].paginator.count == 2
    assert client.get(url, {"from": window["from"]}).context["page"].paginator.count == 2
    assert client.get(url, {"to": (today - dt.timedelta(days=30)).isoformat()}).context["page"].paginator.count == 2
    for bad, message in (
        ({"from": "2026-13-01"}, "日期格式不正确"),
        ({"from": "2026-03-01", "to": "2026-01-01"}, "开始日期不能晚于结束日期"),
    ):
        response = client.get(url, bad)
        assert response.status_code == 200 and message in response.content.decode()
        assert response.context["page"].paginator.count == 4
    client.force_login(district.leader)
    assert client.get(url, window).status_code == 404
