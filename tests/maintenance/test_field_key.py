"""A process whose field key does not open the stored personal data refuses to start, with a message saying
which key to set, instead of showing every name and phone as blank (issue 13, item 5)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from lianxin import privacy
from lianxin.cases.models import Case
from lianxin.maintenance.checks import field_key_opens_the_data
from lianxin.maintenance.keys import encrypted_columns, key_problem, record_key_check, refuse_wrong_key
from lianxin.maintenance.models import FieldKeyCheck
from tests.factories import submit_case

pytestmark = pytest.mark.django_db

OTHER_KEY = "a-key-of-another-instance-" + "z" * 30


def test_the_configured_key_matches_the_check_recorded_by_the_migration():
    stored = FieldKeyCheck.objects.get(pk=1)
    assert stored.encryption_check == privacy.encryption_key_check()
    assert stored.hash_check == privacy.hash_key_check()
    assert key_problem() is None
    assert field_key_opens_the_data() == []
    refuse_wrong_key()  # does not raise


def test_another_field_key_refuses_to_start():
    with override_settings(FIELD_ENCRYPTION_KEY=OTHER_KEY):
        problem = key_problem()
        assert "LIANXIN_FIELD_KEY" in problem
        [error] = field_key_opens_the_data()
        assert error.id == "lianxin.E010"
        assert error.msg == problem
        with pytest.raises(ImproperlyConfigured, match="LIANXIN_FIELD_KEY"):
            refuse_wrong_key()


def test_another_hash_key_refuses_to_start():
    with override_settings(FIELD_HASH_KEY=OTHER_KEY):
        assert "LIANXIN_FIELD_HASH_KEY" in key_problem()


def test_only_check_values_are_stored_never_the_keys(settings):
    stored = FieldKeyCheck.objects.get(pk=1)
    for value in (stored.encryption_check, stored.hash_check):
        assert len(value) == 64 and int(value, 16) >= 0
        assert settings.FIELD_ENCRYPTION_KEY not in value and settings.FIELD_HASH_KEY not in value


def test_without_a_stored_check_the_data_itself_is_tried(district):
    submit_case()
    FieldKeyCheck.objects.all().delete()
    assert key_problem() is None  # the stored contacts open with the configured key
    with override_settings(FIELD_ENCRYPTION_KEY=OTHER_KEY):
        assert "cases_case.contact_name_enc" in key_problem()
    record_key_check()
    assert FieldKeyCheck.objects.get(pk=1).encryption_check == privacy.encryption_key_check()


def test_every_encrypted_column_is_found():
    found = {model._meta.db_table: names for model, names in encrypted_columns()}
    assert found["cases_case"] == ["contact_name_enc", "contact_phone_enc"]
    assert "address_enc" in found["notifications_notification"]
    assert {"events_signup", "consultations_comment", "voters_household"} <= set(found)
    assert Case in {model for model, _names in encrypted_columns()}
