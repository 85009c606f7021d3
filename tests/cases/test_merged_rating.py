"""Merged matters: one handling, and every citizen of the merged cases is asked to rate it with their own link."""

import pytest
from django.urls import reverse

from lianxin.audit.models import AuditEntry
from lianxin.cases import services
from lianxin.cases.codes import follow_up_token
from lianxin.cases.enums import Rating, Status
from lianxin.cases.support import case_merge
from lianxin.errors import NotAllowed
from lianxin.notifications.models import Notification
from tests.factories import submit_case

pytestmark = pytest.mark.django_db


def _merged_pair(district):
    handling = submit_case(title="春晖小区路灯不亮", details="3栋门口路灯坏了两周。")
    merged = submit_case(title="春晖小区路灯坏了", details="3栋路灯两周不亮。", contact_phone="13700002222")
    case_merge(actor=district.station_staff, case_id=merged.pk, into_id=handling.pk)
    return handling, merged


def _fed_back(district, case):
    services.case_acknowledge(actor=district.deputy_user, case_id=case.pk, message="收到")
    services.case_resolve_on_spot(actor=district.station_staff, case_id=case.pk, message="已请物业修好路灯。")
    services.case_feedback(actor=district.station_staff, case_id=case.pk, message="路灯已修复，请查看。")


def test_the_merged_citizen_is_asked_to_rate_with_his_own_link_and_rates_on_his_page(
    client, district, django_capture_on_commit_callbacks
):
    handling, merged = _merged_pair(district)
    token = follow_up_token(merged.tracking_code, merged.follow_up_generation)
    page = client.get(reverse("cases:track", args=[merged.tracking_code]), {"token": token}).content.decode()
    assert handling.tracking_code in page and 'id="rating-form"' not in page  # not handled yet: nothing to rate
    with pytest.raises(NotAllowed):
        services.case_rate(tracking_code=merged.tracking_code, token=token, rating=Rating.SATISFIED)

    with django_capture_on_commit_callbacks(execute=True):
        _fed_back(district, handling)
    asked = Notification.objects.filter(subject_id=handling.pk, event="case.fed_back", recipient_kind="citizen")
    bodies = sorted(n.body for n in asked)
    assert len(bodies) == 2  # the handling case's citizen and the merged case's citizen
    own = [b for b in bodies if "合并办理" in b]
    assert len(own) == 1 and token in own[0] and merged.tracking_code in own[0]

    page = client.get(reverse("cases:track", args=[merged.tracking_code]), {"token": token}).content.decode()
    assert "路灯已修复" in page and 'id="rating-form"' in page
    answer = client.post(
        reverse("cases:track_rate", args=[merged.tracking_code]), {"token": token, "rating": Rating.SATISFIED}
    )
    assert answer.status_code == 302
    merged.refresh_from_db()
    handling.refresh_from_db()
    assert merged.rating == Rating.SATISFIED and merged.rated_at and merged.status == Status.DECLINED
    assert handling.status == Status.FED_BACK and not handling.rating  # its own citizen still rates it
    assert AuditEntry.objects.filter(action="case.merged_rated", subject_id=handling.pk).exists()
    with pytest.raises(NotAllowed):  # once
        services.case_rate(tracking_code=merged.tracking_code, token=token, rating=Rating.SATISFIED)

    # The handling case's own citizen rates as before.
    own_token = follow_up_token(handling.tracking_code, handling.follow_up_generation)
    services.case_rate(tracking_code=handling.tracking_code, token=own_token, rating=Rating.BASICALLY_SATISFIED)
    handling.refresh_from_db()
    assert handling.status == Status.RATED


def test_an_unsatisfied_merged_citizen_is_put_before_the_station_through_the_api(
    client, district, django_capture_on_commit_callbacks
):
    handling, merged = _merged_pair(district)
    with django_capture_on_commit_callbacks(execute=True):
        _fed_back(district, handling)
    token = follow_up_token(merged.tracking_code, merged.follow_up_generation)
    url = f"/api/v1/cases/track/{merged.tracking_code}"
    view = client.get(url, {"token": token}).json()
    assert view["can_rate"] is True and view["merged_into"]["tracking_code"] == handling.tracking_code
    assert "路灯已修复" in view["merged_into"]["answer"]
    refused = client.post(
        f"{url}/rating", {"token": token, "rating": Rating.UNSATISFIED}, content_type="application/json"
    )
    assert refused.status_code == 422  # an unsatisfied rating needs a comment; nothing stored
    merged.refresh_from_db()
    assert merged.rated_at is None
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            f"{url}/rating",
            {"token": token, "rating": Rating.UNSATISFIED, "comment": "还是不亮"},
            content_type="application/json",
        )
    assert answer.status_code == 200, answer.content
    handling.refresh_from_db()
    assert handling.status == Status.FED_BACK  # one citizen's rating does not reopen the others' handling
    station = Notification.objects.filter(
        subject_id=handling.pk, event="case.merged_unsatisfied", recipient_kind="user"
    )
    assert station.exists()
    assert client.get(url, {"token": token}).json()["can_rate"] is False
