"""One prepared INSERT per model, for the rows written on the hot path of citizen intake.

`Model.save()` and `bulk_create()` compile their INSERT anew for every row: on this project's
2-core machine that cost 0.3–0.9 ms of CPU per row (the statement itself runs in ~20 µs), the
largest share of an intake request. `insert_row(obj)` builds the statement once per model and
database, converts each value the way the field does, and runs it through Django's cursor (so it
is counted, logged, wrapped in Django's database errors and joins the current transaction).

What it does not do: signals (pre_save/post_save; none is connected for the models it is used on),
many-to-many values, expressions as values, updates. tests/perf/test_rows.py compares rows written
here with rows written by the ORM, field by field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models

# Values the database drivers take as the field would give them: a value of exactly these types
# (or None) goes as is; anything else (an enum member, a str for an int, ...) takes the field's own
# conversion. Exact field classes only: a subclass such as EmailField may convert differently.
_PLAIN_TYPES: dict[type[models.Field], tuple[type, ...]] = {
    models.CharField: (str,),
    models.TextField: (str,),
    models.BooleanField: (bool,),
    models.IntegerField: (int,),
    models.BigIntegerField: (int,),
    models.SmallIntegerField: (int,),
    models.PositiveIntegerField: (int,),
    models.PositiveSmallIntegerField: (int,),
    models.PositiveBigIntegerField: (int,),
    models.FloatField: (float,),
}
_INTEGER_KEYS = (models.AutoField, models.BigAutoField, models.SmallAutoField, models.IntegerField)
_plans: dict[tuple[type[models.Model], str], tuple[str, list[tuple[str, Callable[[Any], Any], Any]], bool]] = {}


def insert_row(obj: models.Model, *, using: str = DEFAULT_DB_ALIAS) -> models.Model:
    """INSERT `obj` (unsaved, no pk) as Model.save() would; sets obj.pk. Returns obj."""
    connection = connections[using]
    key = (type(obj), using)
    plan = _plans.get(key)
    if plan is None:
        plan = _plans[key] = _plan(type(obj), connection)
    sql, columns, returning = plan
    params = []
    for attname, convert, field in columns:
        if field is not None:  # auto_now / auto_now_add / file fields set their value on save
            value = field.pre_save(obj, True)
        else:
            value = getattr(obj, attname)
        params.append(convert(value))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if returning:
            pk = cursor.fetchone()[0]
        else:  # pragma: no cover - SQLite before 3.35
            pk = connection.ops.last_insert_id(cursor, obj._meta.db_table, obj._meta.pk.column)
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = using
    return obj


def _plan(model: type[models.Model], connection):
    meta = model._meta
    quote = connection.ops.quote_name
    columns: list[tuple[str, Callable[[Any], Any], Any]] = []
    names = []
    for field in meta.concrete_fields:
        if field.primary_key and isinstance(field, (models.AutoField, models.BigAutoField, models.SmallAutoField)):
            continue
        names.append(quote(field.column))
        needs_pre_save = type(field).pre_save is not models.Field.pre_save
        columns.append((field.attname, _converter(field, connection), field if needs_pre_save else None))
    # identifiers from the model's meta, quoted by the backend; values are parameters
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(meta.db_table), ", ".join(names), ", ".join(["%s"] * len(names))
    )
    returning = bool(connection.features.can_return_columns_from_insert)
    if returning:
        sql += f" RETURNING {quote(meta.pk.column)}"
    return sql, columns, returning


def _converter(field: models.Field, connection) -> Callable[[Any], Any]:
    def field_value(value):
        return field.get_db_prep_save(value, connection)

    plain = _PLAIN_TYPES.get(type(field))
    if plain is None and isinstance(field, models.ForeignKey) and isinstance(field.target_field, _INTEGER_KEYS):
        plain = (int,)
    if plain is not None:

        def plain_value(value):
            return value if value is None or type(value) in plain else field_value(value)

        return plain_value
    if type(field) is models.DateTimeField:
        adapt = connection.ops.adapt_datetimefield_value

        def datetime_value(value):
            # aware (the norm with USE_TZ): the backend's adaptation; None or naive: the field's own
            if type(value) is dt.datetime and value.tzinfo is not None:
                return adapt(value)
            return field_value(value)

        return datetime_value
    return field_value
