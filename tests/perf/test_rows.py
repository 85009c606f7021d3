"""lianxin.rows.insert_row writes the same row as the ORM, column by column."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from lianxin.audit.models import AuditEntry
from lianxin.cases.enums import Channel, Light, RequestType, Status
from lianxin.cases.models import Case
from lianxin.notifications.models import Notification
from lianxin.rows import build, insert_row, insert_rows

pytestmark = pytest.mark.django_db

AUTO_NOW = {"created_at", "updated_at"}


def stored_columns(model, pk) -> dict:
    """The row as the database holds it (no ORM conversion on the way back)."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])
        names = [column[0] for column in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def assert_same_rows(model, orm_pk, raw_pk, *, differ=()):
    orm_row, raw_row = stored_columns(model, orm_pk), stored_columns(model, raw_pk)
    assert list(orm_row) == list(raw_row)
    for column in orm_row:
        if column == "id" or column in differ:
            continue
        if column in AUTO_NOW:
            # set by the field on insert (auto_now / auto_now_add), stored in the same format
            orm_value = model._meta.get_field(column).to_python(orm_row[column])
            raw_value = model._meta.get_field(column).to_python(raw_row[column])
            assert type(orm_row[column]) is type(raw_row[column]), column
            assert abs(raw_value - orm_value) < dt.timedelta(seconds=5), column
            continue
        assert type(orm_row[column]) is type(raw_row[column]), column
        assert orm_row[column] == raw_row[column], column
    orm_values = model.objects.filter(pk=orm_pk).values().get()
    raw_values = model.objects.filter(pk=raw_pk).values().get()
    for name in orm_values:
        if name == "id" or name in differ or name in AUTO_NOW:
            continue
        assert orm_values[name] == raw_values[name], name


NOW = timezone.now()


def a_case(district, n: int, **overrides) -> Case:
    now = NOW
    values = {
        "tracking_code": f"LXROWS{n:04d}",
        "title": "小区路灯不亮",
        "details": "春晖小区3栋门口路灯坏了两周。\n晚上出行不便，'引号' \"双引号\" %s %% ;",
        "channel": Channel.QR_STATION,  # an enum member, as the services pass them
        "request_type": RequestType.COMPLAINT,
        "status": Status.REGISTERED,
        "station": district.station,
        "division": district.street,
        "handling_division": district.street,
        "lat": 30.123456789,
        "lng": 120.5,
        "address": "春晖路 1 号",
        "anonymous": False,
        "consent_at": now,
        "contact_name_enc": "gAAAAB-name",
        "contact_phone_enc": "gAAAAB-phone",
        "contact_phone_hash": "a" * 64,
        "contact_phone_masked": "138****1234",
        "contact_name_masked": "张*",
        "idempotency_key": f"rows-key-{n}",
        "idempotency_fingerprint": "f" * 64,
        "created_by": district.station_staff,
        "ack_due_at": now + dt.timedelta(hours=24),
        "due_at": now + dt.timedelta(hours=24),
        "phase_started_at": now,
        "light": Light.GREEN,
        "return_count": 0,
        "urge_count": 2,
    }
    values.update(overrides)
    return Case(**values)


def test_a_case_row_is_the_one_the_orm_writes(district):
    orm_case = a_case(district, 1)
    orm_case.save()
    raw_case = insert_row(a_case(district, 2))
    assert raw_case.pk and raw_case.pk != orm_case.pk
    assert raw_case._state.adding is False
    assert_same_rows(Case, orm_case.pk, raw_case.pk, differ={"tracking_code", "idempotency_key"})
    assert Case.objects.get(pk=raw_case.pk).station == district.station


def test_several_cases_in_one_insert_are_the_rows_the_orm_writes_in_order(district, django_assert_num_queries):
    orm_case = a_case(district, 10)
    orm_case.save()
    batch = [a_case(district, 11), a_case(district, 12, title="第二件", station=None), a_case(district, 13)]
    with django_assert_num_queries(1):
        insert_rows(batch)
    assert len({case.pk for case in batch}) == 3 and all(not case._state.adding for case in batch)
    for case in batch:  # each object got the id of its own row
        assert Case.objects.get(pk=case.pk).tracking_code == case.tracking_code
    assert_same_rows(Case, orm_case.pk, batch[0].pk, differ={"tracking_code", "idempotency_key"})
    assert Case.objects.get(pk=batch[1].pk).station_id is None
    with pytest.raises(IntegrityError), transaction.atomic():  # a clash anywhere: nothing of the batch is stored
        insert_rows([a_case(district, 14), a_case(district, 15, tracking_code="LXROWS0011")])
    assert not Case.objects.filter(tracking_code="LXROWS0014").exists()
    assert insert_rows([]) == []


def test_empty_and_null_values_and_values_the_field_converts(district):
    # None in nullable columns, a naive-free default set, and an int given to a CharField (the field makes it "7")
    sparse = {
        "station": None,
        "division": None,
        "handling_division": None,
        "lat": None,
        "lng": None,
        "consent_at": None,
        "ack_due_at": None,
        "due_at": None,
        "phase_started_at": None,
        "created_by": None,
        "idempotency_key": None,
        "address": 7,
    }
    orm_case = a_case(district, 3, **sparse)
    orm_case.save()
    raw_case = insert_row(a_case(district, 4, **sparse))
    assert_same_rows(Case, orm_case.pk, raw_case.pk, differ={"tracking_code"})
    assert Case.objects.get(pk=raw_case.pk).address == "7"


def test_an_audit_entry_with_json_data_is_the_one_the_orm_writes(district):
    data = {"channel": "qr_station", "photos": 2, "phone": "138****1234", "nested": {"中文": ["a", 1, None, True]}}
    values = {
        "actor": district.office,
        "actor_role": "office",
        "action": "case.registered",
        "subject_type": "case",
        "subject_id": 12,
        "public": True,
        "message": "您反映的问题已受理，查询码 LX1234。",
        "data": data,
    }
    orm_entry = AuditEntry.objects.create(**values)
    raw_entry = insert_row(AuditEntry(**values))
    assert_same_rows(AuditEntry, orm_entry.pk, raw_entry.pk)
    assert AuditEntry.objects.get(pk=raw_entry.pk).data == data


def test_a_notification_is_the_one_the_orm_writes(district):
    case = insert_row(a_case(district, 5))
    values = {
        "channel": "console",
        "recipient_kind": "user",
        "recipient_user": district.station_staff,
        "subject_type": "case",
        "subject_id": case.pk,
        "event": "case.registered",
        "subject": "[连心] LX case.registered",
        "body": "正文",
    }
    orm_row = Notification.objects.create(**values)
    raw_row = insert_row(Notification(**values))
    assert_same_rows(Notification, orm_row.pk, raw_row.pk)
    assert Notification.objects.get(pk=raw_row.pk).state == Notification.State.PENDING


def test_a_unique_clash_raises_djangos_integrity_error_and_the_savepoint_recovers(district):
    insert_row(a_case(district, 6))
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_row(a_case(district, 7, tracking_code="LXROWS0006"))
    assert Case.objects.filter(tracking_code="LXROWS0006").count() == 1


def test_build_makes_the_instance_the_keyword_init_makes(district):
    values = {
        "title": "标题",
        "station": district.station,
        "division": district.street,
        "created_by": None,
        "status": Status.REGISTERED,
        "ack_due_at": NOW,
    }
    built, made = build(Case, **values), Case(**values)
    for field in Case._meta.concrete_fields:
        assert getattr(built, field.attname) == getattr(made, field.attname), field.name
    assert built.station is district.station and built._state.adding  # cached: no query, not saved
    assert build(Case, station_id=district.station.pk).station_id == district.station.pk
    entry = build(AuditEntry, action="x", subject_type="case", subject_id=1)
    assert entry.data == {} and entry.data is not build(AuditEntry, action="y", subject_type="case", subject_id=2).data
    with pytest.raises(TypeError, match="no field"):
        build(Case, colour="red")


def test_build_sends_the_init_signals_of_a_model_that_has_receivers(district):
    from django.db.models.signals import post_init

    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance.title)

    post_init.connect(receiver, sender=Case)
    try:
        built = build(Case, title="有人在听")
    finally:
        post_init.disconnect(receiver, sender=Case)
    assert seen == ["有人在听"] and built._state.adding
    assert build(Case, title="没人在听").title == "没人在听" and seen == ["有人在听"]
