"""The topics area's cockpit hook: hot issues grouped by text and place, labelled, on the overview, wall and API;
and the monthly list (每月一题) the office takes a topic up from."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lianxin.audit.models import AuditEntry
from lianxin.cases.models import Case
from lianxin.topics import services
from lianxin.topics.models import HotTopic, MonthlyTopic, Period
from tests.factories import submit_case

pytestmark = pytest.mark.django_db

LAMPS = ["春晖小区路灯不亮", "春晖小区3栋路灯坏了", "春晖小区路灯晚上不亮"]


def _matters(district, when=None):
    for i, title in enumerate(LAMPS):
        case = submit_case(title=title, details=f"{title}，晚上出行很不方便，请尽快维修路灯。", contact_phone=f"1380000000{i}",
                           grid_code=district.grid.code)  # fmt: skip
        if when:
            Case.objects.filter(pk=case.pk).update(created_at=when)
    submit_case(title="西山村垃圾没人清运", details="西山村垃圾堆了三天没人清运。", station_code="xishan")


def test_refresh_groups_and_labels_by_place_and_the_cockpit_shows_them(client, district):
    _matters(district)
    assert services.refresh_hot_topics() > 0
    top = HotTopic.objects.get(scope_id=district.district.pk, period=Period.RECENT, rank=1)
    assert (top.place, top.cases, top.citizens) == ("东湖街道", 3, 3)
    assert "路灯" in top.what and top.label == f"东湖街道 · {top.what}"
    assert HotTopic.objects.get(scope_id=district.street.pk, rank=1).place == "春晖社区"

    client.force_login(district.office)
    page = client.get(reverse("cockpit:overview")).content.decode()
    assert top.label in page
    wall = client.get(reverse("cockpit:wall")).content.decode()
    assert top.label in wall


def test_monthly_list_and_take_up(client, district):
    now = timezone.now()
    last_month = timezone.localtime(now).replace(day=1) - dt.timedelta(days=3)
    _matters(district, when=last_month)
    services.refresh_hot_topics(now)
    topic = HotTopic.objects.get(scope_id=district.district.pk, period=Period.MONTH, rank=1)
    client.force_login(district.office)
    page = client.get(reverse("topics:monthly")).content.decode()
    assert topic.label in page and "列为每月一题" in page
    client.post(reverse("topics:take_up", args=[topic.pk]), {"note": "请住建局牵头专题督办"})
    taken = MonthlyTopic.objects.get()
    assert taken.label == topic.label and len(taken.case_ids) == 3 and taken.note == "请住建局牵头专题督办"
    assert AuditEntry.objects.filter(action="topics.monthly_taken_up", subject_id=taken.pk).exists()
    client.post(reverse("topics:take_up", args=[topic.pk]))
    assert MonthlyTopic.objects.count() == 1  # once per month and label

    client.force_login(district.leader)
    page = client.get(reverse("topics:monthly")).content.decode()
    assert topic.label in page and reverse("topics:take_up", args=[topic.pk]) not in page  # leaders read
    client.post(reverse("topics:take_up", args=[topic.pk]))
    assert MonthlyTopic.objects.count() == 1
    client.force_login(district.station_staff)
    assert client.get(reverse("topics:monthly")).status_code == 404
