"""Changing the field key: every encrypted column re-encrypted in one transaction (issue 13, item 5)."""

from __future__ import annotations

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from lianxin import privacy
from lianxin.audit.services import log_action
from lianxin.maintenance import keys
from lianxin.maintenance.errors import EXIT_FAILED, EXIT_KEY, BackupError

BATCH = 500
MIN_KEY_LENGTH = 32


def field_key_rotate(*, new_key: str, actor=None) -> dict[str, int]:
    """Re-encrypt every `*_enc` column of every lianxin model from the configured LIANXIN_FIELD_KEY to `new_key`
    and store the new key's check value, all in one transaction; returns the rows changed per table.

    Keyed hashes and signed links keep their key (LIANXIN_FIELD_HASH_KEY): the follow-up links already sent to
    citizens and the phone lookups go on working, so the operator sets LIANXIN_FIELD_HASH_KEY to the old key
    when it was not set. The processes must be stopped while this runs and restarted with the new key."""
    old_key = settings.FIELD_ENCRYPTION_KEY
    if not isinstance(new_key, str) or len(new_key) < MIN_KEY_LENGTH or new_key != new_key.strip():
        raise BackupError(
            _("新密钥须至少 %(min)s 个字符，且首尾没有空白。") % {"min": MIN_KEY_LENGTH}, code=EXIT_FAILED
        )
    if new_key == old_key:
        raise BackupError(_("新密钥与现在的密钥相同。"), code=EXIT_FAILED)
    problem = keys.key_problem()
    if problem is not None:
        raise BackupError(problem, code=EXIT_KEY)
    changed: dict[str, int] = {}
    with transaction.atomic():
        for model, names in keys.encrypted_columns():
            manager = model._base_manager
            table = model._meta.db_table
            last = None
            count = 0
            while True:
                rows = manager.order_by("pk").only("pk", *names)
                if last is not None:
                    rows = rows.filter(pk__gt=last)
                batch = list(rows[:BATCH])
                if not batch:
                    break
                last = batch[-1].pk
                touched = []
                for row in batch:
                    values = {name: getattr(row, name) for name in names if getattr(row, name)}
                    if not values:
                        continue
                    for name, value in values.items():
                        try:
                            plain = privacy.decrypt_with(old_key, value)
                        except InvalidToken as exc:
                            raise BackupError(
                                _("%(table)s 第 %(pk)s 行的 %(column)s 用现在的密钥打不开：未做任何改动。")
                                % {"table": table, "pk": row.pk, "column": name},
                                code=EXIT_KEY,
                            ) from exc
                        setattr(row, name, privacy.encrypt_with(new_key, plain))
                    touched.append(row)
                if touched:
                    manager.bulk_update(touched, names)
                    count += len(touched)
            changed[table] = count
        keys.record_key_check(encryption_key=new_key, rotated=True)
        log_action(
            actor=actor,
            action="maintenance.field_key_rotated",
            subject_type="field_key",
            subject_id=None,
            data={"rows": changed, "check": privacy.encryption_key_check(new_key)[:12]},
        )
    return changed
