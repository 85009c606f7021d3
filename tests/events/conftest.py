import datetime as dt

import pytest
from django.utils import timezone

from lianxin.events import services
from lianxin.events.enums import EventKind


def event_input(district, **fields) -> services.EventInput:
    start = timezone.now() + dt.timedelta(days=3)
    values = {
        "station_id": district.station.pk,
        "kind": EventKind.THEME,
        "title": "垃圾分类主题活动",
        "description": "社区垃圾分类宣传和意见征集。",
        "location": "东湖街道联络站二楼",
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=2),
        "capacity": 3,
    }
    values.update(fields)
    return services.EventInput(**values)


def make_event(district, *, publish: bool = True, actor=None, **fields):
    return services.event_create(
        actor=actor or district.station_staff, data=event_input(district, **fields), publish=publish
    )


def sign_up(event, n: int, *, name: str = "张三", consent: bool = True):
    """Sign up the n-th citizen (a distinct phone per n)."""
    return services.signup_create(event_id=event.pk, name=name, phone=f"1380000{n:04d}", consent=consent)


@pytest.fixture
def event(district):
    return make_event(district)
