"""The queue: role-dependent default tab, tab counts, filters, countdowns, htmx partial, constant query count."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lianxin.cases.enums import Light
from lianxin.cases.models import Case
from lianxin.organisation.models import Category
from tests.factories import submit_case
from tests.work.helpers import case_at

pytestmark = pytest.mark.django_db
QUEUE = reverse("cases:queue")


def _rows(response) -> list[int]:
    return [case.pk for case in response.context["page"].object_list]


def _counts(response) -> dict[str, int]:
    return {t["key"]: t["count"] for t in response.context["tabs"]}


@pytest.mark.parametrize(
    ("persona", "tab"),
    [
        ("deputy_user", "to_acknowledge"),
        ("station_staff", "to_dispatch"),
        ("unit_user", "to_claim"),
        ("office", "all"),
        ("leader", "all"),
    ],
)
def test_default_tab_depends_on_the_role(client, district, persona, tab):
    client.force_login(district.persona(persona))
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert response.context["tab"].key == tab


def test_deputy_inbox_counts_down_the_24_hour_acknowledgement(client, district):
    soon = submit_case(title="路灯")
    late = submit_case(title="井盖")
    now = timezone.now()
    Case.objects.filter(pk=soon.pk).update(due_at=now + dt.timedelta(hours=5) - dt.timedelta(minutes=1))
    Case.objects.filter(pk=late.pk).update(
        due_at=now - dt.timedelta(hours=3) + dt.timedelta(minutes=1), light=Light.RED
    )
    submit_case(station_code="xishan", title="别的站")  # not the deputy's
    client.force_login(district.deputy_user)
    response = client.get(QUEUE)
    assert _rows(response) == [late.pk, soon.pk]  # most urgent first
    body = response.content.decode()
    assert "剩余 5 小时" in body
    assert "已超时 3 小时" in body
    assert 'class="light light-red"' in body
    assert "别的站" not in body


def test_unit_tabs_show_only_what_the_unit_holds(client, district):
    to_claim = case_at(district, "dispatched")
    claimed = case_at(district, "claimed")
    replied = case_at(district, "replied")
    submit_case()  # registered: not the unit's business
    client.force_login(district.unit_user)
    response = client.get(QUEUE)
    assert _counts(response) == {"to_claim": 1, "claimed": 1, "replied": 1, "all": 3}
    assert _rows(response) == [to_claim.pk]
    assert _rows(client.get(QUEUE, {"tab": "claimed"})) == [claimed.pk]
    assert _rows(client.get(QUEUE, {"tab": "replied"})) == [replied.pk]
    client.force_login(district.other_unit_user)
    assert _counts(client.get(QUEUE)) == {"to_claim": 0, "claimed": 0, "replied": 0, "all": 0}


def test_office_overview_counts_every_group(client, district):
    case_at(district, "registered")
    case_at(district, "acknowledged")
    case_at(district, "dispatched")
    case_at(district, "replied")
    case_at(district, "fed_back")
    submit_case(station_code="xishan")
    client.force_login(district.office)
    response = client.get(QUEUE)
    assert _counts(response) == {
        "to_acknowledge": 2,
        "to_dispatch": 1,
        "handling": 1,
        "to_feed_back": 1,
        "to_rate": 1,
        "done": 0,
        "all": 6,
    }
    client.force_login(district.outsider)  # staff of the other station see only theirs
    assert _counts(client.get(QUEUE))["all"] == 1


def test_filters_narrow_the_list(client, district):
    category = Category.objects.filter(level=3).select_related("parent__parent").first()
    lamp = submit_case(title="路灯不亮", category_id=category.pk)
    walk_in = submit_case(title="噪音扰民", channel="walk_in")
    red = submit_case(title="井盖缺失")
    Case.objects.filter(pk=red.pk).update(light=Light.RED)
    old = submit_case(title="旧事")
    Case.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=40))
    client.force_login(district.office)

    def rows(**params):
        return set(_rows(client.get(QUEUE, {"tab": "all", **params})))

    assert rows(q="路灯") == {lamp.pk}
    assert rows(q=lamp.tracking_code.lower()) == {lamp.pk}
    assert rows(channel="walk_in") == {walk_in.pk}
    assert rows(light="red") == {red.pk}
    assert rows(category=category.parent.parent_id) == {lamp.pk}  # a first-level class covers its subtree
    assert rows(station=district.other_station.pk) == set()
    since = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    assert rows(date_from=since) == {lamp.pk, walk_in.pk, red.pk}
    assert rows(date_to=(timezone.localdate() - dt.timedelta(days=30)).isoformat()) == {old.pk}


@pytest.mark.parametrize(
    "params",
    [
        {"station": "abc"},
        {"unit": "999999"},
        {"light": "purple"},
        {"tab": "nope"},
        {"date_from": "2026-13-45"},
        {"q": "x" * 51},
        {"date_from": "2026-05-02", "date_to": "2026-05-01"},
    ],
)
def test_bad_filters_are_named_and_ignored(client, district, params):
    case = submit_case()
    client.force_login(district.office)
    response = client.get(QUEUE, {"tab": "all", **params} if "tab" not in params else params)
    assert response.status_code == 200
    assert "部分筛选条件无效，已忽略" in response.content.decode()
    if "tab" not in params:
        assert case.pk in _rows(response)


def test_htmx_filter_swaps_only_the_results(client, district):
    submit_case(title="路灯不亮")
    client.force_login(district.office)
    response = client.get(QUEUE, {"q": "路灯"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'id="queue-table"' in body
    assert 'id="queue-tab"' in body and 'hx-swap-oob="true"' in body
    full = client.get(QUEUE).content.decode()
    assert 'hx-target="#queue-results"' in full and 'hx-push-url="true"' in full


def test_pages_hold_case_page_size(client, district, settings):
    settings.CASE_PAGE_SIZE = 5
    for _ in range(7):
        submit_case()
    client.force_login(district.office)
    first = client.get(QUEUE)
    assert len(_rows(first)) == 5
    assert len(_rows(client.get(QUEUE, {"page": 2}))) == 2
    assert _counts(first)["all"] == 7


def _fill(district, n):
    """n cases spread over the states a queue shows, all reaching every persona's scope."""
    states = ["registered", "acknowledged", "dispatched", "claimed", "replied"]
    for i in range(n):
        case_at(district, states[i % len(states)], address=f"{i}号")


@pytest.mark.parametrize("persona", ["office", "station_staff", "deputy_user", "unit_user", "leader"])
@pytest.mark.parametrize("tab", ["", "all"])
def test_queue_query_count_does_not_grow_with_cases(
    client, district, django_assert_max_num_queries, persona, tab, settings
):
    settings.CASE_PAGE_SIZE = 50
    user = district.persona(persona)
    _fill(district, 5)
    client.force_login(user)
    params = {"tab": tab} if tab else {}
    with django_assert_max_num_queries(14) as few:
        first = client.get(QUEUE, params)
    assert len(_rows(first)) >= 1
    _fill(district, 25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        many = client.get(QUEUE, params)
    assert len(_rows(many)) > len(_rows(first))
