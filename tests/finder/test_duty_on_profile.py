"""A deputy's public profile lists their own published duty shifts ahead (when they agreed to show duty days)."""

import datetime as dt

import pytest
from django.utils import timezone

from lianxin.duty.models import DutyShift

pytestmark = pytest.mark.django_db


def test_profile_shows_the_deputys_next_published_shifts(client, district):
    starts = timezone.now() + dt.timedelta(days=2)
    DutyShift.objects.create(
        station=district.station,
        deputy=district.deputy,
        date=timezone.localdate(starts),
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
    )
    body = client.get(f"/deputies/{district.deputy.code}/").content.decode()
    assert 'id="deputy-duty"' in body
    assert district.station.name in body
