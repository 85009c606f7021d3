"""Migration 0005 (the generic outbox) keeps the rows written before it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("notifications", "0004_index_without_like_copy"), ("cases", "0003_fewer_indexes")]
AFTER = [("notifications", "0005_generic_subject")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_rows_of_a_case_become_rows_about_the_case_and_a_pending_citizen_row_keeps_its_phone(district):
    from tests.factories import submit_case

    case = submit_case()
    try:
        old = migrate(BEFORE)
        Notification = old.get_model("notifications", "Notification")
        Notification.objects.all().delete()
        pending = Notification.objects.create(
            channel="sms", recipient_kind="citizen", case_id=case.pk, event="case.registered", subject="s", body="b"
        )
        sent = Notification.objects.create(
            channel="sms",
            recipient_kind="citizen",
            case_id=case.pk,
            event="case.acknowledged",
            subject="s",
            body="b",
            state="sent",
        )
        staff = Notification.objects.create(
            channel="console", recipient_kind="user", case_id=case.pk, event="case.registered", subject="s", body="b"
        )
        other = Notification.objects.create(
            channel="console", recipient_kind="user", event="duty.reminder", subject="s", body="b"
        )
        new = migrate(AFTER).get_model("notifications", "Notification")
        rows = {row.pk: row for row in new.objects.all()}
        assert {pk: (rows[pk].subject_type, rows[pk].subject_id) for pk in (pending.pk, sent.pk, staff.pk)} == {
            pk: ("case", case.pk) for pk in (pending.pk, sent.pk, staff.pk)
        }
        assert (rows[other.pk].subject_type, rows[other.pk].subject_id) == ("", None)
        assert rows[pending.pk].address_enc == case.contact_phone_enc  # the sweep can still reach the citizen
        assert rows[sent.pk].address_enc == rows[staff.pk].address_enc == ""  # nothing more to send
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
