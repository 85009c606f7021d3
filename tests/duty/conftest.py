import datetime as dt

import pytest
from django.utils import timezone

from lianxin.organisation.enums import ReceptionRule
from lianxin.organisation.models import Deputy


@pytest.fixture
def duty(district):
    """The test district with a monthly reception day (the 20th) at 东湖 and four more deputies there."""
    station = district.station
    station.reception_rule = ReceptionRule.MONTHLY
    station.reception_monthday = 20
    station.address = "东湖路1号"
    station.lat, station.lng = 30.25, 120.15
    station.opening_hours = "工作日 8:30–17:00"
    station.save()
    for i in range(4):
        deputy = Deputy.objects.create(code=f"d-{i}", name=f"代表{i}", public=i != 3)
        deputy.stations.add(station)
    other = district.other_station
    other.reception_rule = ReceptionRule.WEEKLY
    other.reception_weekday = 3
    other.save()
    return district


def next_year_range():
    today = timezone.localdate()
    return today + dt.timedelta(days=1), today + dt.timedelta(days=365)
