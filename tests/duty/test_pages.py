"""Public station pages, directory and feeds; the work screens with their personas and bad input."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lianxin.duty import services
from lianxin.duty.codes import check_in_token, feed_token
from lianxin.duty.models import DutyShift, Reception
from lianxin.duty.selectors import upcoming_reception_days
from tests.duty.conftest import next_year_range

pytestmark = pytest.mark.django_db


def _roster(district):
    start, end = next_year_range()
    services.roster_generate(
        actor=district.station_staff, station_id=district.station.pk, start=start, end=end, per_shift=2, minimum=0
    )


def test_directory_lists_every_active_station_by_kind(duty, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get("/stations/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "东湖街道代表联络站" in text and "西山镇代表联络站" in text
    assert reverse("duty:station", args=["donghu"]) in text
    assert "每月20日为代表接待日" in text


def test_station_page_shows_rule_policy_deputies_and_published_names(duty, client, settings):
    settings.DUTY_PUBLISH_DAYS = 400
    _roster(duty)
    response = client.get("/stations/donghu/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "每月20日为代表接待日" in text and "不见不散" in text
    assert 'href="/s/donghu"' in text and "有事找代表" in text
    assert 'data-pin="30.25,120.15"' in text
    first = upcoming_reception_days(duty.station)[0]
    assert first.published and len(first.names) == 2
    assert "值班代表：" + "、".join(first.names) in text
    # The deputy without a public profile is never named.
    assert "代表3" not in text


def test_names_are_published_only_within_the_window(duty, client, settings):
    settings.DUTY_PUBLISH_DAYS = 0
    _roster(duty)
    text = client.get("/stations/donghu/").content.decode()
    assert "值班代表：" not in text
    assert "值班代表将在接待日前 0 天公布" in text


def test_station_page_query_count_and_unknown_station(duty, client, django_assert_max_num_queries):
    _roster(duty)
    with django_assert_max_num_queries(8):
        assert client.get("/stations/donghu/").status_code == 200
    assert client.get("/stations/nope/").status_code == 404
    duty.other_station.active = False
    duty.other_station.save()
    assert client.get("/stations/xishan/").status_code == 404


def test_station_ics_is_rfc5545(duty, client, settings):
    settings.DUTY_PUBLISH_DAYS = 400
    _roster(duty)
    response = client.get("/stations/donghu/duty.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    lines = body.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert "\n" not in body.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in lines)
    assert body.count("BEGIN:VEVENT") == DutyShift.objects.filter(station=duty.station).count() == 24
    shift = DutyShift.objects.filter(station=duty.station).order_by("starts_at").first()
    utc = shift.starts_at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{utc}" in body and f"UID:duty-{shift.pk}@" in body


def test_deputy_ics_public_private_and_hidden(duty, client, settings):
    settings.DUTY_PUBLISH_DAYS = 0
    _roster(duty)
    hidden = duty.station.deputies.get(code="d-3")
    assert client.get(f"/deputies/{hidden.code}/duty.ics").status_code == 404
    private = client.get(f"/deputies/{hidden.code}/duty.ics?t={feed_token(hidden.code)}")
    assert private.status_code == 200
    assert private.content.decode().count("BEGIN:VEVENT") == DutyShift.objects.filter(deputy=hidden).count() > 0
    assert client.get(f"/deputies/{hidden.code}/duty.ics?t={feed_token('d-wang')}").status_code == 404
    public = client.get("/deputies/d-wang/duty.ics").content.decode()
    assert "BEGIN:VEVENT" not in public  # nothing published with a zero-day window


def test_check_in_page_needs_login_and_a_deputy(duty, client):
    url = f"/stations/donghu/check-in?t={check_in_token('donghu', timezone.localdate())}"
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    client.force_login(duty.station_staff)
    assert client.get(url).status_code == 403


def test_check_in_through_the_page(duty, client):
    now = timezone.localtime()
    start = now - dt.timedelta(minutes=5)
    shift = DutyShift.objects.create(
        station=duty.station,
        deputy=duty.deputy,
        date=now.date(),
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
    )
    client.force_login(duty.deputy_user)
    url = "/stations/donghu/check-in"
    page = client.get(f"{url}?t={check_in_token('donghu', now.date())}").content.decode()
    assert 'id="check-in-button"' in page
    bad = client.post(url, {"t": check_in_token("donghu", now.date() - dt.timedelta(days=1))})
    assert bad.status_code == 422 and "签到码无效或已过期" in bad.content.decode()
    done = client.post(url, {"t": check_in_token("donghu", now.date())})
    assert done.status_code == 200 and "签到成功" in done.content.decode()
    shift.refresh_from_db()
    assert shift.state == "present"


# --- work screens -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("station_staff", 200),
        ("office", 200),
        ("deputy_user", 200),
        ("outsider", 200),
        ("unit_user", 404),
        ("auditor", 404),
        ("leader", 404),
    ],
)
def test_roster_page_personas(duty, client, persona, status):
    client.force_login(duty.persona(persona))
    response = client.get(reverse("duty:roster"), {"station": duty.station.pk})
    assert response.status_code == status
    if persona == "outsider":  # their own station, never ours
        assert response.context["station"] == duty.other_station
    if persona == "deputy_user":
        assert response.context["manage"] is False and 'id="generate-form"' not in response.content.decode()


def test_roster_page_query_count(duty, client, django_assert_max_num_queries):
    _roster(duty)
    client.force_login(duty.station_staff)
    month = (timezone.localdate().replace(day=1) + dt.timedelta(days=40)).strftime("%Y-%m")
    with django_assert_max_num_queries(16):
        response = client.get(reverse("duty:roster"), {"station": duty.station.pk, "month": month})
    assert response.status_code == 200
    shifts = [s for week in response.context["weeks"] for day in week for s in day.shifts]
    assert len(shifts) == 2


def test_roster_page_bad_month_falls_back(duty, client):
    client.force_login(duty.station_staff)
    response = client.get(reverse("duty:roster"), {"month": "2026-99"})
    assert response.status_code == 200 and "月份格式不正确" in response.content.decode()


def test_generate_through_the_form_and_its_errors(duty, client):
    client.force_login(duty.station_staff)
    start, end = next_year_range()
    data = {
        "station": duty.station.pk,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "per_shift": "2",
        "minimum": "1",
        "start_time": "09:00",
        "end_time": "11:30",
    }
    bad = client.post(reverse("duty:generate"), data | {"end_time": "08:00"})
    assert bad.status_code == 422 and "结束时间须晚于开始时间" in bad.content.decode()
    assert DutyShift.objects.count() == 0
    ok = client.post(reverse("duty:generate"), data)
    assert ok.status_code == 302 and DutyShift.objects.count() == 24
    client.force_login(duty.outsider)
    assert client.post(reverse("duty:generate"), data | {"replace": "on"}).status_code == 404
    assert DutyShift.objects.count() == 24


def test_shift_page_actions(duty, client):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    shift = services.shift_create(
        actor=duty.station_staff, station_id=duty.station.pk, deputy_id=duty.deputy.pk, date=tomorrow
    )
    client.force_login(duty.deputy_user)
    page = client.get(reverse("duty:shift", args=[shift.pk])).content.decode()
    assert 'id="swap-form"' in page and 'id="shift-edit-form"' not in page
    assert client.post(reverse("duty:shift_delete", args=[shift.pk])).status_code == 404
    client.force_login(duty.outsider)
    assert client.get(reverse("duty:shift", args=[shift.pk])).status_code == 404
    client.force_login(duty.station_staff)
    bad = client.post(reverse("duty:shift_edit", args=[shift.pk]), {"date": "x", "start_time": "9", "end_time": ""})
    assert bad.status_code == 422 and "日期格式不正确" in bad.content.decode()
    assert client.post(reverse("duty:shift_delete", args=[shift.pk])).status_code == 302
    assert DutyShift.objects.count() == 0


def test_mine_page_and_unavailability(duty, client):
    client.force_login(duty.deputy_user)
    page = client.get(reverse("duty:mine")).content.decode()
    assert feed_token("d-wang") in page
    bad = client.post(reverse("duty:unavailability_add"), {"start": "2026-02-30", "end": ""})
    assert bad.status_code == 422
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert client.post(reverse("duty:unavailability_add"), {"start": tomorrow, "end": tomorrow}).status_code == 302
    client.force_login(duty.station_staff)
    assert client.get(reverse("duty:mine")).status_code == 404


def test_check_in_code_page(duty, client):
    client.force_login(duty.station_staff)
    response = client.get(reverse("duty:check_in_code", args=[duty.station.pk]))
    assert response.status_code == 200
    assert check_in_token("donghu", timezone.localdate()) in response.content.decode()
    assert "<svg" in response.content.decode()
    assert client.get(reverse("duty:check_in_code", args=[duty.other_station.pk])).status_code == 404


def test_reception_screens(duty, client, django_assert_max_num_queries):
    client.force_login(duty.station_staff)
    today = timezone.localdate().isoformat()
    opened = client.post(reverse("duty:reception_open"), {"station": duty.station.pk, "date": today})
    record = Reception.objects.get()
    assert opened["Location"] == reverse("duty:reception", args=[record.pk])
    matter = {
        "title": "路灯不亮",
        "details": "东湖路路灯坏了。",
        "request_type": "help",
        "consent": "on",
        "resolve_on_spot": "on",
        "resolve_message": "已联系街道维修。",
    }
    bad = client.post(reverse("duty:reception_matter", args=[record.pk]), matter | {"consent": ""})
    assert bad.status_code == 422 and record.cases.count() == 0
    assert client.post(reverse("duty:reception_matter", args=[record.pk]), matter).status_code == 302
    assert record.cases.get().status == "resolved"
    with django_assert_max_num_queries(12):
        printed = client.get(reverse("duty:reception_print"), {"from": today, "to": today})
    text = printed.content.decode()
    assert "路灯不亮" in text and "已联系街道维修。" in text and "接待 1 次" in text
    assert client.get(reverse("duty:reception_print"), {"from": "x"}).status_code == 200
    assert client.get(reverse("duty:receptions"), {"station": "abc"}).status_code == 404
    client.force_login(duty.outsider)
    assert client.get(reverse("duty:reception", args=[record.pk])).status_code == 404
    assert client.get(reverse("duty:receptions"), {"station": duty.station.pk}).status_code == 404
    client.force_login(duty.deputy_user)
    assert client.get(reverse("duty:receptions")).status_code == 404


def test_the_roster_has_a_year_view(duty, client, district, django_assert_max_num_queries):
    """The roster is planned for a year: one page shows every month's reception days and who is on duty."""
    _roster(district)
    start, end = next_year_range()
    year = end.year
    shifts = DutyShift.objects.filter(station=district.station, date__year=year).select_related("deputy")
    assert shifts.exists()
    client.force_login(district.station_staff)
    month_page = client.get(reverse("duty:roster")).content.decode()
    assert 'id="roster-year-link"' in month_page
    with django_assert_max_num_queries(12):
        response = client.get(reverse("duty:roster_year"), {"station": district.station.pk, "year": year})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('class="year-day') >= 12 - (start.year == year) * (start.month - 1)  # the 20th of every month
    shift = shifts.order_by("date").first()
    day = body[body.index(f'data-date="{shift.date:%Y-%m-%d}"') :]
    assert shift.deputy.name in day[: day.index("</li>")]
    for m in range(1, 13):
        assert f'id="month-{m}"' in body
    bad = client.get(reverse("duty:roster_year"), {"station": district.station.pk, "year": "20x6"})
    assert bad.status_code == 422 and "年份格式不正确" in bad.content.decode()
    # a station the user does not reach is not shown: the first visible one is
    other = client.get(reverse("duty:roster_year"), {"station": district.other_station.pk, "year": year})
    assert district.other_station.name not in other.content.decode()
    client.force_login(district.unit_user)
    assert client.get(reverse("duty:roster_year")).status_code == 404
