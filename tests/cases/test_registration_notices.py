"""The "new matter" notice goes to the station and the deputy, never to the person who registered the matter."""

import pytest

from lianxin.accounts.enums import Role
from lianxin.cases.intake import Submission, case_register
from lianxin.notifications.models import Notification
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _told(case) -> set[str]:
    return set(
        Notification.objects.filter(
            subject_type="case", subject_id=case.pk, event="case.registered", recipient_kind="user"
        ).values_list("recipient_user__username", flat=True)
    )


def test_the_station_staff_who_registered_a_walk_in_is_not_told_of_it(district, django_capture_on_commit_callbacks):
    make_user("station2", Role.STATION, station=district.station)
    with django_capture_on_commit_callbacks(execute=True):
        case, _ = case_register(
            submission=Submission(
                channel="walk_in",
                station_code="donghu",
                deputy_code=district.deputy.code,
                title="楼道堆物",
                details="5 栋楼道堆物。",
                consent=True,
            ),
            actor=district.station_staff,
        )
    assert _told(case) == {"station2", district.deputy_user.username}


def test_the_deputy_who_recorded_a_visit_is_not_told_of_it(district, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case, _ = case_register(
            submission=Submission(
                channel="visit",
                deputy_code=district.deputy.code,
                division_id=district.grid.pk,
                station_code="donghu",
                title="排水沟",
                details="村口排水沟堵塞。",
                consent=True,
            ),
            actor=district.deputy_user,
        )
    assert case.deputy_id == district.deputy.pk and case.station_id == district.station.pk
    assert _told(case) == {"station"}  # the station hears of it; the deputy who recorded it does not


def test_a_matter_registered_by_the_office_reaches_station_and_deputy(district, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case, _ = case_register(
            submission=Submission(
                channel="visit",
                deputy_code=district.deputy.code,
                division_id=district.grid.pk,
                station_code="donghu",
                title="排水沟",
                details="村口排水沟堵塞。",
                consent=True,
            ),
            actor=district.office,
        )
    assert _told(case) == {"station", district.deputy_user.username}
