"""The demo district gets events (past and upcoming, with sign-ups) and one open consultation; a second run adds
nothing. Seeds once for this module, for both areas (events and consultations), inside a rolled-back transaction."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from lianxin.cases.models import Case
from lianxin.consultations.models import Comment, Consultation
from lianxin.events import selectors
from lianxin.events.models import Event, SignUp
from lianxin.organisation.models import Station

pytestmark = pytest.mark.django_db


def _counts():
    return {m.__name__: m.objects.count() for m in (Event, SignUp, Consultation, Comment, Case)}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=fast), transaction.atomic():
        try:
            first, second = io.StringIO(), io.StringIO()
            call_command("seed_demo", cases=200, stdout=first)
            after_first = _counts()
            call_command("seed_demo", cases=200, stdout=second)
            yield {"first": first.getvalue(), "second": second.getvalue(), "counts": (after_first, _counts())}
        finally:
            transaction.set_rollback(True)


def test_demo_adds_events_and_a_consultation_once(demo):
    first, second = demo["counts"]
    assert first == second
    assert first["Event"] >= 30 and first["SignUp"] >= 300 and first["Consultation"] == 1
    assert "活动：" in demo["first"] and "意见征求：1 项征求中" in demo["first"]
    assert "活动：演示活动已存在，未重复创建。" in demo["second"]
    assert "意见征求：演示数据已存在，未重复创建。" in demo["second"]


def test_demo_events_are_past_and_upcoming_with_a_waitlist_and_visits(demo):
    now = timezone.now()
    assert Event.objects.filter(starts_at__lt=now).exists() and Event.objects.filter(starts_at__gt=now).exists()
    assert SignUp.objects.filter(status="waitlisted").exists()
    assert SignUp.objects.filter(attended_at__isnull=False, event__starts_at__lt=now).exists()
    assert not SignUp.objects.filter(attended_at__isnull=False, event__starts_at__gt=now).exists()
    for event in Event.objects.all():
        assert event.signups.filter(status="confirmed").count() <= event.capacity
    visits = selectors.department_visits()
    assert len(visits) >= 5 and sum(visits.values()) >= 10
    jianshe = Station.objects.get(code="jianshe")
    assert len(selectors.upcoming_events_for_station(jianshe, limit=3)) >= 2
    assert Case.objects.filter(events__isnull=False, channel="walk_in").count() == 3


def test_demo_consultation_is_open_with_moderated_comments(demo):
    consultation = Consultation.objects.get()
    assert consultation.status == "open" and consultation.deadline > timezone.now()
    assert consultation.articles.count() == 7
    statuses = set(Comment.objects.values_list("status", flat=True))
    assert statuses == {"approved", "pending", "rejected"}
    assert Comment.objects.filter(author_kind="deputy").exists()
