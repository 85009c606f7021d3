"""Event pages: the public list, detail and sign-up, the private sign-up page, and the staff screens."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from lianxin.cases.models import Case
from lianxin.events import services
from lianxin.events.codes import signup_token
from lianxin.events.models import SignUp
from tests.events.conftest import make_event, sign_up


def login(client, user):
    client.force_login(user)
    return client


def test_public_list_shows_published_events_without_people(client, district, django_assert_max_num_queries):
    events = [make_event(district, title=f"活动{n}") for n in range(5)]
    make_event(district, title="草稿活动", publish=False)
    for n in range(3):
        sign_up(events[0], n, name="王秘密")
    with django_assert_max_num_queries(3):
        response = client.get(reverse("events:list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert all(f"活动{n}" in body for n in range(5))
    assert "草稿活动" not in body
    assert "王" not in body.replace("王代表", "") and "1380000" not in body
    assert "已报名 3 / 3 人" not in body and "名额已满，可候补" in body


def test_public_list_by_station(client, district):
    make_event(district, title="东湖的活动")
    make_event(district, title="西山的活动", station_id=district.other_station.pk, actor=district.office)
    body = client.get(reverse("events:list") + "?station=xishan").content.decode()
    assert "西山的活动" in body and "东湖的活动" not in body


def test_sign_up_on_the_page_leads_to_the_private_link(client, district, event):
    response = client.post(
        reverse("events:public_detail", args=[event.pk]), {"name": "张三", "phone": "13812341234", "consent": "on"}
    )
    signup = SignUp.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/events/signup/{signup.code}/?token={signup_token(signup.code)}"
    assert response["Cache-Control"] == "private, no-store"
    page = client.get(response["Location"])
    body = page.content.decode()
    assert signup.checkin_code in body and signup.code in body and "<svg" in body
    assert "13812341234" not in body and "张三" not in body
    assert page["Referrer-Policy"] == "same-origin"


def test_bad_sign_up_on_the_page_shows_errors_and_stores_nothing(client, event):
    url = reverse("events:public_detail", args=[event.pk])
    response = client.post(url, {"name": "", "phone": "12345"})
    body = response.content.decode()
    assert response.status_code == 422
    assert "这个字段是必填项" in body or "必填" in body
    response = client.post(url, {"name": "张三", "phone": "12345", "consent": "on"})
    assert response.status_code == 422
    assert "请填写正确的手机号码或固定电话。" in response.content.decode()
    sign_up(event, 1)
    response = client.post(url, {"name": "张三", "phone": "13800000001", "consent": "on"})
    assert response.status_code == 409
    assert "该手机号已报名此活动。" in response.content.decode()
    assert SignUp.objects.count() == 1


def test_private_page_needs_the_token_and_cancels(client, event):
    signup = sign_up(event, 1)
    url = reverse("events:signup", args=[signup.code])
    assert client.get(url).status_code == 404
    assert client.get(url + "?token=wrong").status_code == 404
    assert client.post(reverse("events:signup_cancel", args=[signup.code]), {"token": "wrong"}).status_code == 404
    signup.refresh_from_db()
    assert signup.status == "confirmed"
    response = client.post(reverse("events:signup_cancel", args=[signup.code]), {"token": signup_token(signup.code)})
    assert response.status_code == 302
    signup.refresh_from_db()
    assert signup.status == "cancelled"
    assert "已取消报名。" in client.get(response["Location"]).content.decode()


def test_unknown_and_draft_events_are_not_found(client, district):
    draft = make_event(district, publish=False)
    assert client.get(reverse("events:public_detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("events:public_detail", args=[999999])).status_code == 404
    assert client.get("/events/abc/").status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("office", 200),
        ("station_staff", 200),
        ("outsider", 200),
        ("deputy_user", 404),
        ("unit_user", 404),
        ("auditor", 404),
    ],
)
def test_staff_list_is_for_station_and_office_staff(client, district, event, persona, status):
    response = login(client, district.persona(persona)).get(reverse("events:manage"))
    assert response.status_code == status
    if persona == "outsider":
        assert event.title not in response.content.decode()


def test_anonymous_staff_pages_redirect_to_login(client, event):
    response = client.get(reverse("events:manage"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_staff_list_query_count(client, district, django_assert_max_num_queries):
    for n in range(6):
        event = make_event(district, title=f"活动{n}")
        sign_up(event, n)
    login(client, district.station_staff)
    client.get(reverse("events:manage"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("events:manage"))
    assert response.content.decode().count("/work/events/") >= 6


def test_foreign_event_detail_is_a_404(client, district, event):
    login(client, district.outsider)
    assert client.get(reverse("events:detail", args=[event.pk])).status_code == 404
    assert client.post(reverse("events:checkin", args=[event.pk]), {"checkin_code": "123456"}).status_code == 404


def test_staff_detail_masks_people_and_checks_in(client, district, event, django_assert_max_num_queries):
    signups = [
        services.signup_create(event_id=event.pk, name="赵六", phone=f"1370000000{n}", consent=True) for n in range(4)
    ]
    login(client, district.station_staff)
    url = reverse("events:detail", args=[event.pk])
    client.get(url)
    with django_assert_max_num_queries(12):
        body = client.get(url).content.decode()
    assert "赵*" in body and "137****0000" in body and "赵六" not in body and "13700000000" not in body
    response = client.post(reverse("events:checkin", args=[event.pk]), {"checkin_code": signups[0].checkin_code})
    assert response.status_code == 302
    signups[0].refresh_from_db()
    assert signups[0].attended_at is not None
    response = client.post(reverse("events:checkin", args=[event.pk]), {"checkin_code": signups[3].checkin_code})
    assert response.status_code == 409
    assert "候补中" in response.content.decode()


def test_staff_create_page(client, district):
    login(client, district.station_staff)
    start = timezone.localtime() + dt.timedelta(days=2)
    data = {
        "station": district.station.pk,
        "kind": "station_visit",
        "unit": district.unit.pk,
        "title": "住建局长进站面对面",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "capacity": 30,
        "publish": "on",
    }
    bad = client.post(reverse("events:create"), {**data, "unit": ""})
    assert bad.status_code == 422 and "部门进站活动须选择进站的部门。" in bad.content.decode()
    foreign = client.post(reverse("events:create"), {**data, "station": district.other_station.pk})
    assert foreign.status_code == 422
    response = client.post(reverse("events:create"), data)
    assert response.status_code == 302
    event_id = int(re.search(r"/work/events/(\d+)/", response["Location"]).group(1))
    assert client.get(reverse("events:public_detail", args=[event_id])).status_code == 200


def test_staff_register_a_matter_from_the_event_page(client, district, event):
    login(client, district.station_staff)
    url = reverse("events:add_case", args=[event.pk])
    bad = client.post(url, {"title": "停车难", "details": "", "request_type": "help", "consent": "on"})
    assert bad.status_code == 422
    assert Case.objects.count() == 0
    ok = client.post(url, {"title": "停车难", "details": "车位不足", "request_type": "help", "consent": "on"})
    assert ok.status_code == 302
    case = Case.objects.get()
    assert case.channel == "walk_in" and list(event.cases.all()) == [case]
    assert case.tracking_code in client.get(reverse("events:detail", args=[event.pk])).content.decode()


def test_the_station_page_links_each_upcoming_event_to_its_page(client, district, event):
    body = client.get(f"/stations/{district.station.code}/").content.decode()
    section = body[body.index('id="station-events"') :]
    assert f'<a href="/events/{event.pk}/">{event.title}</a>' in section
    assert client.get(f"/events/{event.pk}/").status_code == 200
