"""The demo district gets a year of rosters and past receptions; a second run adds nothing."""

import io

import pytest
from django.core.management import call_command

from lianxin.audit.models import AuditEntry
from lianxin.duty.models import DutyShift, Reception, ShiftSwap

pytestmark = pytest.mark.django_db


def test_seed_demo_twice(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", cases=200, stdout=io.StringIO())
    counts = (DutyShift.objects.count(), Reception.objects.count(), ShiftSwap.objects.count())
    assert counts[0] > 500 and counts[1] > 100 and counts[2] == 1
    assert DutyShift.objects.filter(state="absent").exists() and DutyShift.objects.filter(state="late").exists()
    assert DutyShift.objects.filter(state="planned").exists()
    jianshe = Reception.objects.filter(station__code="jianshe").order_by("-date").first()
    assert jianshe.cases.filter(channel="walk_in").count() == 2
    audit = AuditEntry.objects.filter(action__startswith="duty.").count()
    call_command("seed_demo", cases=200, stdout=io.StringIO())
    assert (DutyShift.objects.count(), Reception.objects.count(), ShiftSwap.objects.count()) == counts
    assert AuditEntry.objects.filter(action__startswith="duty.").count() == audit
