"""The admin: who reaches what, edits go through services and are audited, the audit log is immutable."""

import pytest
from django.urls import reverse

from lianxin.accounts.models import Membership, User
from lianxin.audit.models import AuditEntry
from lianxin.cases.models import Case
from lianxin.organisation.admin_access import admin_groups_sync
from lianxin.organisation.models import Category, Deputy, DeputyMandate, Division, RoutingRuleSet, Station
from lianxin.organisation.routing import RuleChange, ruleset_create_version
from lianxin.workdays.models import CalendarDay
from tests.factories import submit_case

pytestmark = pytest.mark.django_db

REGISTRY_MODELS = [
    "organisation_division",
    "organisation_station",
    "organisation_handlingunit",
    "organisation_deputy",
    "organisation_category",
    "organisation_routingruleset",
    "accounts_user",
    "workdays_calendarday",
    "workdays_calendaryear",
]


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(username="root", password="Root-pass-2026!", email="")


@pytest.fixture
def staff(district):
    """Office and auditor accounts with admin access as documented: is_staff plus their group."""
    office_group, auditor_group = admin_groups_sync()
    district.office.is_staff = True
    district.office.save()
    district.office.groups.add(office_group)
    district.auditor.is_staff = True
    district.auditor.save()
    district.auditor.groups.add(auditor_group)
    return district


def login(client, user):
    client.force_login(user)
    return client


def more_registry_rows(district, n=8):
    """Enough rows that an N+1 in a list would show in the query count."""
    for i in range(n):
        deputy = Deputy.objects.create(code=f"d-{i}", name=f"代表{i}")
        DeputyMandate.objects.create(deputy=deputy, level="district")
        deputy.stations.add(district.station)
        Station.objects.create(code=f"s-{i}", name=f"联络点{i}", kind="point", division=district.street)
        User.objects.create_user(username=f"user{i}").memberships.create(role="station", station=district.station)


@pytest.mark.parametrize("model", [*REGISTRY_MODELS, "audit_auditentry", "cases_case"])
def test_every_changelist_and_add_page_loads_for_a_superuser(
    client, district, superuser, model, django_assert_max_num_queries
):
    more_registry_rows(district)
    submit_case()
    login(client, superuser)
    with django_assert_max_num_queries(16):
        response = client.get(reverse(f"admin:{model}_changelist"))
    assert response.status_code == 200
    add = client.get(reverse(f"admin:{model}_add"))
    assert add.status_code == (403 if model in {"audit_auditentry", "cases_case"} else 200)


@pytest.mark.parametrize("model", REGISTRY_MODELS)
def test_office_staff_reach_the_registry_admin(client, staff, model):
    login(client, staff.office)
    assert client.get(reverse(f"admin:{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:{model}_add")).status_code == 200


def test_office_staff_do_not_reach_audit_or_cases_and_others_reach_nothing(client, staff):
    submit_case()
    login(client, staff.office)
    assert client.get(reverse("admin:audit_auditentry_changelist")).status_code == 403
    assert client.get(reverse("admin:cases_case_changelist")).status_code == 403

    login(client, staff.auditor)
    assert client.get(reverse("admin:audit_auditentry_changelist")).status_code == 200
    for model in REGISTRY_MODELS:
        assert client.get(reverse(f"admin:{model}_changelist")).status_code == 403

    # Staff flag and permissions without an office membership: still no registry.
    Membership.objects.filter(user=staff.office).update(active=False)
    login(client, User.objects.get(pk=staff.office.pk))
    assert client.get(reverse("admin:organisation_division_changelist")).status_code == 403
    # No staff flag at all: the admin login page.
    login(client, staff.station_staff)
    assert client.get(reverse("admin:organisation_division_changelist")).status_code == 302


def test_the_audit_log_is_immutable_even_for_a_superuser(client, district, superuser):
    entry = AuditEntry.objects.create(action="case.registered", subject_type="case", subject_id=1, message="x")
    login(client, superuser)
    change_url = reverse("admin:audit_auditentry_change", args=[entry.pk])
    view = client.get(change_url)
    assert view.status_code == 200
    assert b'name="_save"' not in view.content
    assert client.post(change_url, {"action": "tampered", "message": "y"}).status_code == 403
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    assert client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    bulk = client.post(
        reverse("admin:audit_auditentry_changelist"), {"action": "delete_selected", "_selected_action": [entry.pk]}
    )
    assert bulk.status_code in {200, 302}
    entry.refresh_from_db()
    assert (entry.action, entry.message) == ("case.registered", "x")


def test_case_admin_is_read_only_and_shows_no_personal_data(client, district, superuser):
    case = submit_case()
    login(client, superuser)
    listing = client.get(reverse("admin:cases_case_changelist")).content.decode()
    detail = client.get(reverse("admin:cases_case_change", args=[case.pk])).content.decode()
    for page in (listing, detail):
        assert case.tracking_code in page
        assert "138****1234" not in page and "13812341234" not in page and "张" not in page
    assert "春晖小区3栋" not in detail  # the free text stays on the work screens
    assert client.post(reverse("admin:cases_case_change", args=[case.pk]), {"title": "x"}).status_code == 403
    assert client.post(reverse("admin:cases_case_delete", args=[case.pk]), {"post": "yes"}).status_code == 403
    assert Case.objects.get(pk=case.pk).title == "小区路灯不亮"


def test_adding_and_moving_a_division_in_the_admin_goes_through_the_services(client, staff):
    login(client, staff.office)
    response = client.post(
        reverse("admin:organisation_division_add"),
        {"name": "春晖二网格", "kind": "grid", "parent": staff.community.pk, "code": "G0009", "polygon": "null"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    grid = Division.objects.get(code="G0009")
    assert grid.path == f"{staff.community.path}{grid.pk}/"
    assert AuditEntry.objects.get(action="division.created").actor == staff.office

    response = client.post(
        reverse("admin:organisation_division_change", args=[staff.community.pk]),
        {"name": "春晖社区", "kind": "community", "parent": staff.other_street.pk, "code": "", "polygon": "null"},
    )
    assert response.status_code == 302
    grid.refresh_from_db()
    assert grid.path.startswith(f"{staff.other_street.path}{staff.community.pk}/")
    assert Division.objects.get(pk=staff.community.pk).parent == staff.other_street

    wrong = client.post(
        reverse("admin:organisation_division_add"),
        {"name": "错层网格", "kind": "grid", "parent": staff.street.pk, "polygon": "null"},
    )
    assert wrong.status_code == 200
    assert "上级区划的层级不对" in wrong.content.decode()
    assert not Division.objects.filter(name="错层网格").exists()


def station_form(station, **changes):
    data = {
        "code": station.code,
        "name": station.name,
        "kind": station.kind,
        "division": station.division_id,
        "active": "on",
        "address": "",
        "lat": "",
        "lng": "",
        "opening_hours": "",
        "phone": "",
        "reception_rule": "none",
        "reception_weekday": "",
        "reception_monthday": "",
    }
    data.update(changes)
    return data


def test_station_reception_rule_is_validated_and_changes_are_audited(client, staff):
    login(client, staff.office)
    url = reverse("admin:organisation_station_change", args=[staff.station.pk])
    bad = client.post(url, station_form(staff.station, reception_rule="weekly", reception_weekday="9"))
    assert bad.status_code == 200
    assert "每周接待须填写 1–7" in bad.content.decode()
    assert Station.objects.get(pk=staff.station.pk).reception_rule == "none"

    good = client.post(url, station_form(staff.station, reception_rule="monthly", reception_monthday="20"))
    assert good.status_code == 302
    station = Station.objects.get(pk=staff.station.pk)
    assert (station.reception_rule, station.reception_monthday) == ("monthly", 20)
    entry = AuditEntry.objects.get(action="admin.changed", subject_type="station")
    assert (entry.actor, entry.subject_id, entry.actor_role) == (staff.office, station.pk, "office")


def membership_post(user, **membership):
    data = {
        "username": user.username,
        "display_name": user.display_name,
        "email": "",
        "is_active": "on",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-active": "on",
    }
    data.update({f"memberships-0-{k}": v for k, v in membership.items()})
    return data


@pytest.mark.parametrize(
    ("membership", "error"),
    [
        ({"role": "station"}, "必须选择联络站"),
        ({"role": "unit", "station": "STATION"}, "必须选择承办单位"),
        ({"role": "auditor", "division": "DISTRICT"}, "不能设置行政区划"),
        ({"role": "office", "unit": "UNIT"}, "不能设置承办单位"),
        ({"role": "deputy", "station": "STATION"}, "不能设置联络站"),
    ],
)
def test_membership_needs_exactly_the_scope_of_its_role(client, staff, membership, error):
    ids = {"STATION": staff.station.pk, "UNIT": staff.unit.pk, "DISTRICT": staff.district.pk}
    membership = {k: ids.get(v, v) for k, v in membership.items()}
    user = User.objects.create_user(username="newcomer", display_name="新人")
    login(client, staff.office)
    response = client.post(reverse("admin:accounts_user_change", args=[user.pk]), membership_post(user, **membership))
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Membership.objects.filter(user=user).exists()


def test_office_grants_a_station_role_but_cannot_touch_superusers(client, staff, superuser):
    user = User.objects.create_user(username="newcomer", display_name="新人")
    login(client, staff.office)
    response = client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        membership_post(user, role="station", station=staff.station.pk) | {"is_superuser": "on", "is_staff": "on"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.is_superuser, user.is_staff) == (False, False)  # read-only for office staff
    assert list(user.memberships.values_list("role", "station")) == [("station", staff.station.pk)]
    assert AuditEntry.objects.filter(action="admin.changed", subject_type="user", subject_id=user.pk).exists()
    assert client.get(reverse("admin:accounts_user_change", args=[superuser.pk])).status_code == 200  # view only
    assert client.post(reverse("admin:accounts_user_change", args=[superuser.pk]), {}).status_code == 403


def test_a_new_routing_version_from_the_admin_keeps_the_old_one(client, staff):
    urban = Category.objects.get(name="城乡建设", level=1)
    v1 = ruleset_create_version(actor=staff.office, rules=[RuleChange(urban, staff.district, staff.unit)])
    login(client, staff.office)
    response = client.post(
        reverse("admin:organisation_routingruleset_add"),
        {
            "note": "东湖街道单列",
            "rules-TOTAL_FORMS": "1",
            "rules-INITIAL_FORMS": "0",
            "rules-MIN_NUM_FORMS": "0",
            "rules-MAX_NUM_FORMS": "1000",
            "rules-0-category": urban.pk,
            "rules-0-division": staff.street.pk,
            "rules-0-unit": staff.other_unit.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    v2 = RoutingRuleSet.objects.get(active=True)
    assert (v2.version, v2.note, v2.rules.count()) == (2, "东湖街道单列", 2)
    v1.refresh_from_db()
    assert (v1.active, v1.rules.count()) == (False, 1)
    # Old versions are history: view only.
    assert (
        client.post(reverse("admin:organisation_routingruleset_change", args=[v1.pk]), {"note": "x"}).status_code == 403
    )
    assert (
        client.post(reverse("admin:organisation_routingruleset_delete", args=[v1.pk]), {"post": "yes"}).status_code
        == 403
    )


def test_calendar_day_edits_in_the_admin_take_effect_and_are_audited(client, staff):
    import datetime as dt

    from lianxin.workdays.services import is_working_day

    login(client, staff.office)
    day = dt.date(2026, 6, 1)  # a Monday
    assert is_working_day(day)
    response = client.post(
        reverse("admin:workdays_calendarday_add"), {"date": "2026-06-01", "name": "临时休假", "is_workday": ""}
    )
    assert response.status_code == 302
    assert CalendarDay.objects.get(date=day).is_workday is False
    assert not is_working_day(day)
    assert AuditEntry.objects.filter(action="admin.added", subject_type="calendarday").exists()


def test_categories_get_their_level_from_the_parent_and_stop_at_three(client, staff):
    municipal = Category.objects.get(name="城市建设和市政管理")
    leaf = municipal.children.first()
    login(client, staff.office)
    response = client.post(
        reverse("admin:organisation_category_add"), {"name": "路灯", "parent": municipal.pk, "active": "on"}
    )
    assert response.status_code == 302
    assert Category.objects.get(name="路灯", parent=municipal).level == 3
    too_deep = client.post(reverse("admin:organisation_category_add"), {"name": "第四级", "parent": leaf.pk})
    assert "分类最多三级" in too_deep.content.decode()
    assert not Category.objects.filter(name="第四级").exists()


def test_a_stations_code_cannot_change_once_it_exists(client, staff):
    login(client, staff.office)
    url = reverse("admin:organisation_station_change", args=[staff.station.pk])
    page = client.get(url).content.decode()
    assert "已发布，不能修改：编码印在二维码和海报上" in page

    response = client.post(url, station_form(staff.station, code="donghu-2", name="东湖联络站"))

    assert response.status_code == 302
    station = Station.objects.get(pk=staff.station.pk)
    assert (station.code, station.name) == ("donghu", "东湖联络站")  # the posted code is ignored
    # A new station still gets the code it is given.
    added = client.post(
        reverse("admin:organisation_station_add"),
        station_form(staff.station, code="donghu-2", name="东湖第二联络点"),
    )
    assert added.status_code == 302
    assert Station.objects.filter(code="donghu-2").exists()


def test_a_deputys_code_cannot_change_once_it_exists(client, staff):
    login(client, staff.office)
    deputy = staff.deputy
    url = reverse("admin:organisation_deputy_change", args=[deputy.pk])
    assert "已发布，不能修改" in client.get(url).content.decode()
    data = {
        "code": "d-wang-2",
        "name": "王代表",
        "user": deputy.user_id,
        "constituency": "",
        "sector": "",
        "active": "on",
        "stations": [staff.station.pk],
        "grids": [staff.grid.pk],
        "public": "on",
        "bio": "",
        "mandates-TOTAL_FORMS": "0",
        "mandates-INITIAL_FORMS": "0",
        "mandates-MIN_NUM_FORMS": "0",
        "mandates-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Deputy.objects.get(pk=deputy.pk).code == "d-wang"


def test_deleting_a_station_with_cases_says_why_and_offers_deactivation(client, staff):
    submit_case("donghu")
    submit_case("donghu")
    login(client, staff.office)
    url = reverse("admin:organisation_station_delete", args=[staff.station.pk])

    for response in (client.get(url, follow=True), client.post(url, {"post": "yes"}, follow=True)):
        assert response.status_code == 200
        page = response.content.decode()
        assert "该联络站有关联数据（角色授权 1 条、民意件 2 条），不能删除；可改为停用（取消勾选「启用」）。" in page
    assert Station.objects.filter(pk=staff.station.pk).exists()

    changelist = reverse("admin:organisation_station_changelist")
    response = client.post(
        changelist, {"action": "delete_selected", "_selected_action": [staff.station.pk], "post": "yes"}, follow=True
    )
    assert "东湖街道代表联络站：该联络站有关联数据" in response.content.decode()
    assert Station.objects.filter(pk=staff.station.pk).exists()


def test_deleting_a_division_or_deputy_in_use_says_why(client, staff):
    login(client, staff.office)
    response = client.get(reverse("admin:organisation_division_delete", args=[staff.street.pk]), follow=True)
    page = response.content.decode()
    assert "该行政区划有关联数据（行政区划 1 条、联络站 1 条），不能删除；请先处理这些数据。" in page

    # 李代表 has only a station link: nothing blocks, Django's confirmation page is shown.
    response = client.get(reverse("admin:organisation_deputy_delete", args=[staff.other_deputy.pk]))
    assert response.status_code == 200
    assert "不能删除" not in response.content.decode()
    staff.other_deputy.duty_shifts.create(
        station=staff.other_station,
        date="2026-03-02",
        starts_at="2026-03-02T09:00:00+08:00",
        ends_at="2026-03-02T12:00:00+08:00",
    )
    response = client.get(reverse("admin:organisation_deputy_delete", args=[staff.other_deputy.pk]), follow=True)
    assert "该代表有关联数据（值班 1 条），不能删除；可改为停用（取消勾选「在任」）。" in response.content.decode()


def test_an_unused_station_can_still_be_deleted(client, staff):
    login(client, staff.office)
    spare = Station.objects.create(code="spare", name="备用联络点", kind="point", division=staff.street)
    url = reverse("admin:organisation_station_delete", args=[spare.pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Station.objects.filter(pk=spare.pk).exists()
