"""Does the configured field key open this database's personal data? (issue 13, item 5)

Personal data is encrypted with LIANXIN_FIELD_KEY and phone numbers are looked up by keyed hashes made with
LIANXIN_FIELD_HASH_KEY (lianxin/privacy.py). A process started with other keys would show every name and phone
as blank and find nobody by phone, without an error. The database keeps a check value of both keys
(`FieldKeyCheck`); every process compares it with its own keys when it starts (a system check for manage.py
commands — runserver, qcluster, migrate — and `refuse_wrong_key()` in lianxin/wsgi.py for gunicorn) and
refuses to start when they differ.

Encrypted columns are found by their name: every text column of a lianxin model whose name ends in `_enc`.
"""

from __future__ import annotations

import os

from cryptography.fernet import InvalidToken
from django.apps import apps as global_apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin import privacy

CHECK_ID = 1


def encrypted_columns(registry=global_apps) -> list[tuple[type, list[str]]]:
    """(model, [column names]) of every lianxin model with encrypted columns (`*_enc`), in a stable order."""
    found = []
    for model in registry.get_models():
        if not model.__module__.startswith(("lianxin.", "__fake__")) or model._meta.proxy:
            continue
        names = [field.attname for field in model._meta.concrete_fields if field.attname.endswith("_enc")]
        if names:
            found.append((model, names))
    return sorted(found, key=lambda item: item[0]._meta.db_table)


def unreadable_sample(registry=global_apps, db=connection) -> str | None:
    """`table.column` of the first stored encrypted value the configured key cannot open (one value per column
    is tried), or None when every sample opens or nothing is stored."""
    tables = set(db.introspection.table_names())
    for model, names in encrypted_columns(registry):
        if model._meta.db_table not in tables:
            continue
        for name in names:
            value = (
                model._base_manager.using(db.alias)
                .exclude(**{name: ""})
                .order_by("pk")
                .values_list(name, flat=True)
                .first()
            )
            if value:
                try:
                    privacy.decrypt_with(settings.FIELD_ENCRYPTION_KEY, value)
                except InvalidToken:
                    return f"{model._meta.db_table}.{name}"
    return None


def record_key_check(
    registry=global_apps, db=connection, *, encryption_key: str | None = None, rotated: bool = False
) -> None:
    """Store the check values of the configured keys (a new database) or of a new field key (a rotation)."""
    model = registry.get_model("maintenance", "FieldKeyCheck")
    values = {"encryption_check": privacy.encryption_key_check(encryption_key), "hash_check": privacy.hash_key_check()}
    if rotated:
        values["rotated_at"] = timezone.now()
    else:
        values["recorded_at"] = timezone.now()
    updated = model._base_manager.using(db.alias).filter(pk=CHECK_ID).update(**values)
    if not updated:
        values.setdefault("recorded_at", timezone.now())
        model._base_manager.using(db.alias).create(pk=CHECK_ID, **values)


def key_problem(db=connection) -> str | None:
    """Why the configured keys cannot be used with this database (translated), or None."""
    if db.vendor == "sqlite":
        name = str(db.settings_dict["NAME"])
        if name != ":memory:" and "mode=memory" not in name and not os.path.exists(name):
            return None  # not created yet: nothing stored to protect (and connecting would create the file)
    try:
        tables = db.introspection.table_names()
    except DatabaseError:
        return None  # an unreachable database is reported by whatever needs it first
    model = global_apps.get_model("maintenance", "FieldKeyCheck")
    if model._meta.db_table not in tables:
        return None  # not migrated yet: nothing stored to protect
    row = model._base_manager.using(db.alias).filter(pk=CHECK_ID).first()
    if row is None:
        column = unreadable_sample(db=db)
        if column is None:
            return None
        return _(
            "配置的字段密钥（LIANXIN_FIELD_KEY）打不开本库已加密的个人信息（%(column)s）：姓名、电话会显示为空。"
            "请设置加密这些数据时所用的密钥（见 docs/backup.md），再启动。"
        ) % {"column": column}
    if row.encryption_check != privacy.encryption_key_check():
        return _(
            "配置的字段密钥（LIANXIN_FIELD_KEY）不是加密本库个人信息所用的密钥：姓名、电话会显示为空。"
            "请设置原来的密钥（恢复备份时：备份所属实例的密钥，见 docs/backup.md），再启动。"
        )
    if row.hash_check != privacy.hash_key_check():
        return _(
            "配置的哈希密钥（LIANXIN_FIELD_HASH_KEY，未设置时即 LIANXIN_FIELD_KEY）不是本库所用的密钥："
            "按电话查找会查不到，已发给群众的跟进链接会失效。请设置原来的密钥（见 docs/backup.md），再启动。"
        )
    return None


def refuse_wrong_key() -> None:
    """Stop a process (gunicorn's workers import lianxin.wsgi) whose keys do not open this database."""
    problem = key_problem()
    if problem is not None:
        raise ImproperlyConfigured(problem)
