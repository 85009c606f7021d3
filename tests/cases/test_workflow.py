"""The whole loop through the services, by the right personas, and the rules that guard it."""

import pytest

from lianxin.audit.models import AuditEntry
from lianxin.cases import services
from lianxin.cases.codes import follow_up_token
from lianxin.cases.enums import Status
from lianxin.cases.rules import allowed_actions, visible_cases
from lianxin.errors import InvalidInput, NotAllowed, NotFound
from tests.factories import submit_case

pytestmark = pytest.mark.django_db


def test_full_loop_closes_with_rating(district):
    case = submit_case()
    assert case.status == Status.REGISTERED
    assert case.contact_phone_masked == "138****1234"
    assert "13812341234" not in case.contact_phone_enc

    services.case_acknowledge(actor=district.deputy_user, case_id=case.pk, message="收到，我来跟进。")
    services.case_dispatch(actor=district.station_staff, case_id=case.pk, unit_id=district.unit.pk, request_type="help")
    case.refresh_from_db()
    assert case.status == Status.DISPATCHED
    assert allowed_actions(district.unit_user, case) == ["claim", "return", "note", "call_back"]
    assert allowed_actions(district.other_unit_user, case) == []

    services.case_claim(actor=district.unit_user, case_id=case.pk)
    services.case_reply(actor=district.unit_user, case_id=case.pk, message="已更换灯泡。")
    services.case_feedback(actor=district.deputy_user, case_id=case.pk, message="路灯已修好，请您查看。")
    services.case_rate(tracking_code=case.tracking_code, token=follow_up_token(case.tracking_code), rating="satisfied")
    case.refresh_from_db()
    assert case.status == Status.RATED
    services.case_close(actor=district.station_staff, case_id=case.pk)
    case.refresh_from_db()
    assert case.status == Status.CLOSED

    actions = list(AuditEntry.objects.filter(subject_type="case", subject_id=case.pk).values_list("action", flat=True))
    assert actions == [
        "case.registered",
        "case.acknowledged",
        "case.dispatched",
        "case.claimed",
        "case.replied",
        "case.fed_back",
        "case.rated",
        "case.closed",
    ]


def test_unsatisfied_rating_reopens_with_shorter_deadline(district, settings):
    case = submit_case()
    services.case_acknowledge(actor=district.deputy_user, case_id=case.pk, message="收到")
    services.case_dispatch(actor=district.office, case_id=case.pk, unit_id=district.unit.pk, request_type="complaint")
    services.case_claim(actor=district.unit_user, case_id=case.pk)
    services.case_reply(actor=district.unit_user, case_id=case.pk, message="已处理")
    services.case_feedback(actor=district.station_staff, case_id=case.pk, message="已处理")
    token = follow_up_token(case.tracking_code)
    with pytest.raises(InvalidInput):
        services.case_rate(tracking_code=case.tracking_code, token=token, rating="unsatisfied", comment="")
    services.case_rate(tracking_code=case.tracking_code, token=token, rating="unsatisfied", comment="还是不亮")
    case.refresh_from_db()
    assert (case.status, case.reopen_count) == (Status.REOPENED, 1)
    services.case_dispatch(actor=district.station_staff, case_id=case.pk, unit_id=district.unit.pk)
    case.refresh_from_db()
    dispatch = case.dispatches.last()
    assert dispatch.rehandle is True


def test_two_returns_send_the_case_to_the_arbiter(district):
    case = submit_case()
    services.case_acknowledge(actor=district.station_staff, case_id=case.pk, message="收到")
    for _ in range(2):
        services.case_dispatch(actor=district.station_staff, case_id=case.pk, unit_id=district.unit.pk)
        with pytest.raises(InvalidInput):
            services.case_return(actor=district.unit_user, case_id=case.pk, reason="  ")
        services.case_return(actor=district.unit_user, case_id=case.pk, reason="不属于本单位职责")
    case.refresh_from_db()
    assert case.needs_arbitration is True
    services.case_dispatch(actor=district.station_staff, case_id=case.pk, unit_id=district.unit.pk)
    case.refresh_from_db()
    assert case.arbitrated is True
    assert "return" not in allowed_actions(district.unit_user, case)


def test_wrong_state_and_foreign_actor(district):
    case = submit_case()
    with pytest.raises(NotAllowed):
        services.case_feedback(actor=district.station_staff, case_id=case.pk, message="x")
    with pytest.raises(NotFound):
        services.case_acknowledge(actor=district.outsider, case_id=case.pk, message="x")
    with pytest.raises(NotFound):
        services.case_acknowledge(actor=district.auditor, case_id=case.pk, message="x")
    assert list(visible_cases(district.outsider)) == []
    assert list(visible_cases(district.office)) == [case]


def test_escalation_moves_the_case_up_one_level(district):
    case = submit_case(grid_code="G0001")
    assert case.handling_division == district.grid
    services.case_acknowledge(actor=district.deputy_user, case_id=case.pk, message="收到")
    services.case_escalate(actor=district.deputy_user, case_id=case.pk, message="网格解决不了")
    case.refresh_from_db()
    assert case.handling_division == district.community
    assert case.status == Status.ESCALATED


def test_actors_are_notified_through_the_outbox(district, django_capture_on_commit_callbacks):
    from lianxin.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        case = submit_case()
    citizen = Notification.objects.filter(subject_type="case", subject_id=case.pk, recipient_kind="citizen")
    assert list(citizen.values_list("event", "state")) == [("case.registered", "sent")]
    assert "13812341234" not in citizen.get().body
    staff = set(
        Notification.objects.filter(subject_type="case", subject_id=case.pk, recipient_kind="user").values_list(
            "recipient_user__username", flat=True
        )
    )
    assert staff == {"station"}  # the case is addressed to the station, not to a deputy
    with django_capture_on_commit_callbacks(execute=True):
        services.case_acknowledge(actor=district.deputy_user, case_id=case.pk, message="收到")
        services.case_dispatch(actor=district.station_staff, case_id=case.pk, unit_id=district.unit.pk)
    assert (
        Notification.objects.filter(
            subject_type="case", subject_id=case.pk, event="case.dispatched", recipient_user=district.unit_user
        ).count()
        == 1
    )
