"""`manage.py rotate_field_key` re-encrypts every encrypted column in one transaction and records the new key's
check value; keyed hashes and follow-up links keep working; a value it cannot open changes nothing."""

import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings

from lianxin import privacy
from lianxin.audit.models import AuditEntry
from lianxin.cases.codes import follow_up_token
from lianxin.cases.models import Case
from lianxin.maintenance.errors import EXIT_KEY
from lianxin.maintenance.keys import key_problem
from lianxin.maintenance.models import FieldKeyCheck
from lianxin.notifications.models import Notification
from tests.factories import submit_case

pytestmark = pytest.mark.django_db

NEW_KEY = "the-new-field-key-" + "n" * 40


def rotate(monkeypatch, key=NEW_KEY, *args):
    monkeypatch.setattr(settings, "NEW_FIELD_KEY", key)
    out = io.StringIO()
    call_command("rotate_field_key", "--no-input", *args, stdout=out)
    return out.getvalue()


def test_rotation_re_encrypts_everything_and_says_what_to_set(district, monkeypatch, settings):
    first = submit_case(contact_name="王小明", contact_phone="13912345678")
    second = submit_case(contact_name="李四", contact_phone="13700001111")
    old_values = dict(Case.objects.values_list("pk", "contact_name_enc"))
    token, phone_hash = follow_up_token(first.tracking_code), first.contact_phone_hash
    outbox = Notification.objects.exclude(address_enc="").count()

    output = rotate(monkeypatch)

    assert "LIANXIN_FIELD_KEY" in output and "LIANXIN_FIELD_HASH_KEY" in output
    assert NEW_KEY not in output  # the key is never printed
    assert key_problem() is not None  # this process still has the old key: it would refuse to start
    with override_settings(FIELD_ENCRYPTION_KEY=NEW_KEY):
        assert key_problem() is None
        first.refresh_from_db()
        second.refresh_from_db()
        assert privacy.decrypt(first.contact_name_enc) == "王小明"
        assert privacy.decrypt(first.contact_phone_enc) == "13912345678"
        assert privacy.decrypt(second.contact_name_enc) == "李四"
        assert first.contact_name_enc != old_values[first.pk]
        # keyed hashes and the links sent to citizens keep their key
        assert first.contact_phone_hash == phone_hash == privacy.keyed_hash("13912345678")
        assert follow_up_token(first.tracking_code) == token
        for row in Notification.objects.exclude(address_enc=""):
            assert privacy.decrypt(row.address_enc)
    assert Notification.objects.exclude(address_enc="").count() == outbox
    assert FieldKeyCheck.objects.get(pk=1).rotated_at is not None
    entry = AuditEntry.objects.get(action="maintenance.field_key_rotated")
    assert entry.data["rows"]["cases_case"] == 2
    assert NEW_KEY not in str(entry.data)


def test_a_value_the_key_cannot_open_changes_nothing(district, monkeypatch):
    good = submit_case()
    bad = submit_case()
    Case.objects.filter(pk=bad.pk).update(contact_name_enc="gAAAAAnot-a-token")
    check = FieldKeyCheck.objects.get(pk=1).encryption_check
    with pytest.raises(CommandError, match=f"cases_case 第 {bad.pk} 行") as refused:
        rotate(monkeypatch)
    assert refused.value.returncode == EXIT_KEY
    good_before = good.contact_name_enc
    good.refresh_from_db()
    assert good.contact_name_enc == good_before
    assert FieldKeyCheck.objects.get(pk=1).encryption_check == check
    assert not AuditEntry.objects.filter(action="maintenance.field_key_rotated").exists()


@pytest.mark.parametrize(
    ("key", "message"),
    [("short", "至少 32 个字符"), (" " + "k" * 40, "首尾没有空白")],
)
def test_a_weak_new_key_is_refused(monkeypatch, key, message):
    with pytest.raises(CommandError, match=message):
        rotate(monkeypatch, key)


def test_the_same_key_is_refused(monkeypatch, settings):
    with pytest.raises(CommandError, match="相同"):
        rotate(monkeypatch, settings.FIELD_ENCRYPTION_KEY)


def test_a_configured_key_that_does_not_open_the_data_is_refused(monkeypatch):
    with override_settings(FIELD_ENCRYPTION_KEY="a-wrong-current-key-" + "w" * 30):
        with pytest.raises(CommandError, match="LIANXIN_FIELD_KEY") as refused:
            rotate(monkeypatch)
    assert refused.value.returncode == EXIT_KEY


def test_the_new_key_comes_from_a_file_generated_with_mode_600(district, monkeypatch, tmp_path):
    submit_case()
    monkeypatch.setattr(settings, "NEW_FIELD_KEY", "")
    key_file = tmp_path / "new.key"
    out = io.StringIO()
    call_command("rotate_field_key", "--no-input", "--generate", f"--new-key-file={key_file}", stdout=out)
    assert key_file.stat().st_mode & 0o777 == 0o600
    with override_settings(FIELD_ENCRYPTION_KEY=key_file.read_text().strip()):
        assert key_problem() is None
    with pytest.raises(CommandError, match="已存在"):
        call_command("rotate_field_key", "--no-input", "--generate", f"--new-key-file={key_file}")


def test_without_a_new_key_it_says_where_to_give_one(monkeypatch):
    monkeypatch.setattr(settings, "NEW_FIELD_KEY", "")
    with pytest.raises(CommandError, match="LIANXIN_NEW_FIELD_KEY"):
        call_command("rotate_field_key", "--no-input")
