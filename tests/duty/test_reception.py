"""The reception register: record a day, add matters (walk-in cases linked to it), answer on the spot."""

import datetime as dt

import pytest
from django.utils import timezone

from lianxin.audit.models import AuditEntry
from lianxin.cases.models import Case
from lianxin.duty import reception
from lianxin.duty.enums import ShiftState
from lianxin.duty.models import DutyShift, Reception
from lianxin.errors import InvalidInput, NotFound

pytestmark = pytest.mark.django_db

MATTER = {"title": "楼道灯坏了", "details": "3幢2单元楼道灯不亮。", "contact_phone": "13812345678", "consent": True}


def _record(district, **kwargs):
    values = {
        "actor": district.station_staff,
        "station_id": district.station.pk,
        "date": timezone.localdate(),
        "deputy_ids": [district.deputy.pk],
        "visitor_count": 3,
    }
    return reception.reception_record(**(values | kwargs))


def test_record_then_update_the_same_day(duty):
    record, created = _record(duty, notes="来访群众 3 人")
    again, created_again = _record(duty, visitor_count=5)
    assert (created, created_again, again.pk) == (True, False, record.pk)
    again.refresh_from_db()
    assert again.visitor_count == 5 and list(again.deputies_present.all()) == [duty.deputy]


@pytest.mark.parametrize(
    "changes",
    [
        {"date": timezone.localdate() + dt.timedelta(days=1)},
        {"date": "昨天"},
        {"deputy_ids": [999999]},
        {"deputy_ids": "1,2"},
        {"deputy_ids": ["x"]},
        {"visitor_count": -1},
        {"visitor_count": "很多"},
        {"notes": "长" * 5001},
    ],
)
def test_record_bad_input_stores_nothing(duty, changes):
    with pytest.raises(InvalidInput):
        _record(duty, **changes)
    assert Reception.objects.count() == 0


def test_deputy_of_another_station_and_foreign_station(duty):
    with pytest.raises(InvalidInput):
        _record(duty, deputy_ids=[duty.other_deputy.pk])
    for persona in ("outsider", "deputy_user", "unit_user", "auditor"):
        with pytest.raises(NotFound):
            _record(duty, actor=duty.persona(persona))
    assert Reception.objects.count() == 0


def test_matter_becomes_a_walk_in_case_linked_to_the_reception(duty):
    record, _ = _record(duty)
    case = reception.reception_add_matter(actor=duty.station_staff, reception_id=record.pk, fields=MATTER)
    assert (case.channel, case.station, case.status) == ("walk_in", duty.station, "registered")
    assert list(case.deputies_present.all()) == [duty.deputy]
    assert list(record.cases.all()) == [case]
    assert case.contact_phone_masked == "138****5678"
    answered = reception.reception_add_matter(
        actor=duty.station_staff, reception_id=record.pk, fields=MATTER | {"title": "咨询医保"}, answer="已当场解答。"
    )
    assert (answered.status, answered.public_answer) == ("resolved", "已当场解答。")
    assert AuditEntry.objects.filter(action="duty.reception_matter_added", subject_id=record.pk).count() == 2


@pytest.mark.parametrize(
    "fields",
    [
        MATTER | {"title": ""},
        MATTER | {"consent": False},
        MATTER | {"contact_phone": "12"},
        MATTER | {"title": "长" * 101},
        MATTER | {"station_code": "xishan"},  # not a field the register accepts
    ],
)
def test_bad_matter_stores_nothing(duty, fields):
    record, _ = _record(duty)
    before = (Case.objects.count(), AuditEntry.objects.count())
    with pytest.raises(InvalidInput):
        reception.reception_add_matter(actor=duty.station_staff, reception_id=record.pk, fields=fields)
    assert (Case.objects.count(), AuditEntry.objects.count()) == before
    assert record.cases.count() == 0


def test_answer_too_long_stores_nothing(duty):
    record, _ = _record(duty)
    with pytest.raises(InvalidInput):
        reception.reception_add_matter(
            actor=duty.station_staff, reception_id=record.pk, fields=MATTER, answer="长" * 5001
        )
    assert Case.objects.count() == 0


def test_foreign_reception_is_not_found(duty):
    record, _ = _record(duty)
    with pytest.raises(NotFound):
        reception.reception_add_matter(actor=duty.outsider, reception_id=record.pk, fields=MATTER)
    assert Case.objects.count() == 0


def test_attended_deputies_are_the_default_present(duty):
    day = timezone.localdate()
    tz = timezone.get_current_timezone()
    colleague = duty.station.deputies.exclude(pk=duty.deputy.pk).order_by("code").first()
    for deputy, state in ((duty.deputy, ShiftState.PRESENT), (colleague, ShiftState.ABSENT)):
        DutyShift.objects.create(
            station=duty.station,
            deputy=deputy,
            date=day,
            state=state,
            starts_at=dt.datetime.combine(day, dt.time(9), tz),
            ends_at=dt.datetime.combine(day, dt.time(11), tz),
        )
    assert reception.attended_deputy_ids(duty.station, day) == [duty.deputy.pk]


def test_receipt_slip_prints_the_tracking_code_and_a_qr_of_the_follow_up_link(duty, client, settings):
    """A walk-in visitor (often elderly, no smartphone habit) gets a slip to keep: the code and the link's QR."""
    import segno

    from lianxin.cases.codes import follow_up_token
    from lianxin.notifications.models import Notification

    settings.SITE_URL = "https://lianxin.example.gov.cn"
    record, _ = _record(duty)
    case = reception.reception_add_matter(actor=duty.station_staff, reception_id=record.pk, fields=MATTER)
    link = f"https://lianxin.example.gov.cn/track/{case.tracking_code}?token={follow_up_token(case.tracking_code)}"
    # the registration SMS carries the same link
    body = Notification.objects.get(subject_id=case.pk, recipient_kind="citizen").body
    assert link in body
    client.force_login(duty.station_staff)
    page = client.get(f"/work/duty/receptions/{record.pk}/")
    slip_url = f"/work/duty/receptions/{record.pk}/matters/{case.pk}/slip"
    assert slip_url in page.content.decode()
    response = client.get(slip_url)
    text = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert f'id="slip-code">{case.tracking_code}<' in text
    assert segno.make(link, error="m").svg_inline(scale=4, dark="#000", light="#fff") in text
    assert "13812345678" not in text
    # another station's staff, or a case of another reception: 404
    client.force_login(duty.outsider)
    assert client.get(slip_url).status_code == 404
    other = reception.reception_add_matter(
        actor=duty.station_staff,
        reception_id=_record(duty, date=timezone.localdate() - dt.timedelta(days=1))[0].pk,
        fields=MATTER | {"title": "另一件"},
    )
    client.force_login(duty.station_staff)
    assert client.get(f"/work/duty/receptions/{record.pk}/matters/{other.pk}/slip").status_code == 404
    assert client.get(f"/work/duty/receptions/{record.pk}/matters/{case.pk}/slip").status_code == 200
