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
import functools
from collections.abc import Callable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init

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
_plans: dict[tuple[type[models.Model], str], _Plan] = {}


def build(model: type[models.Model], **values: Any) -> models.Model:
    """`model(**values)`, through the positional __init__ that Model.from_db() uses.

    Keyword __init__ walks every field, popping kwargs and checking descriptors; for a 50-column
    model on the intake path that was the largest cost left in building the row. Here each concrete
    field takes its value from `values` (by name, or by attname such as `station_id`) or its default
    (a callable default is called for each instance). A related object given by name is cached on
    the instance as the keyword __init__ would. Unknown names are a TypeError."""
    fields = _fields.get(model)
    if fields is None:
        _attnames[model] = [f.attname for f in model._meta.concrete_fields]  # first: _fields says both are there
        fields = _fields[model] = [
            (f.name, f.attname, f.is_relation, f.has_default() and callable(f.default), f)
            for f in model._meta.concrete_fields
        ]
    args = []
    related = []
    for name, attname, is_relation, call_default, field in fields:
        if name in values:
            value = values.pop(name)
            if is_relation and name != attname:
                related.append((field, value))
                value = None if value is None else value.pk
        elif attname in values:
            value = values.pop(attname)
        else:
            value = field.get_default() if call_default else _constant_default(field)
        args.append(value)
    if values:
        raise TypeError(f"{model.__name__} has no field(s) {', '.join(sorted(values))}")
    if pre_init.has_listeners(model) or post_init.has_listeners(model):
        obj = model(*args)
    else:
        # What the positional __init__ does for a new instance without init signals, minus a setattr through
        # the descriptors per field (75 µs for a case under load, 6 µs so): the field values in __dict__.
        obj = model.__new__(model)
        obj._state = ModelState()
        obj.__dict__.update(zip(_attnames[model], args, strict=True))
    for field, value in related:
        field.set_cached_value(obj, value)
    return obj


_fields: dict[type[models.Model], list] = {}
_attnames: dict[type[models.Model], list[str]] = {}
_defaults: dict[models.Field, Any] = {}


def _constant_default(field: models.Field) -> Any:
    try:
        return _defaults[field]
    except KeyError:
        value = _defaults[field] = field.get_default()
        return value


def insert_row(obj: models.Model, *, using: str = DEFAULT_DB_ALIAS) -> models.Model:
    """INSERT `obj` (unsaved, no pk) as Model.save() would; sets obj.pk. Returns obj."""
    return insert_rows([obj], using=using)[0]


def insert_rows(objs: list[models.Model], *, using: str = DEFAULT_DB_ALIAS) -> list[models.Model]:
    """INSERT unsaved objects of one model in one statement, as Model.save() would each; sets their pks.

    The pks come back from RETURNING in the order of the VALUES rows, as Django's bulk_create takes
    them on PostgreSQL and SQLite ≥ 3.35. One statement per model and number of rows, built once."""
    if not objs:
        return []
    connection = connections[using]
    model = type(objs[0])
    plan = _plans.get((model, using))
    if plan is None:
        plan = _plans[(model, using)] = _Plan(model, connection)
    if not plan.returning and len(objs) > 1:  # pragma: no cover - SQLite before 3.35: one row at a time
        return [insert_row(obj, using=using) for obj in objs]
    params = []
    for obj in objs:
        if type(obj) is not model:
            raise TypeError("insert_rows takes objects of one model")
        for attname, convert, field in plan.columns:
            params.append(convert(field.pre_save(obj, True) if field is not None else getattr(obj, attname)))
    with prepared_cursor(connection) as cursor:
        cursor.execute(plan.statement(len(objs)), params)
        if plan.returning:
            pks = [row[0] for row in cursor.fetchall()]
        else:  # pragma: no cover - SQLite before 3.35
            pks = [connection.ops.last_insert_id(cursor, model._meta.db_table, model._meta.pk.column)]
    for obj, pk in zip(objs, pks, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = using
    return objs


class _Plan:
    """The columns of a model's INSERT, how to convert each value, and its statement for n rows."""

    def __init__(self, model: type[models.Model], connection):
        meta = model._meta
        quote = connection.ops.quote_name
        self.columns: list[tuple[str, Callable[[Any], Any], Any]] = []
        names = []
        for field in meta.concrete_fields:
            if field.primary_key and isinstance(field, (models.AutoField, models.BigAutoField, models.SmallAutoField)):
                continue
            names.append(quote(field.column))
            needs_pre_save = _sets_value_on_save(field)
            self.columns.append((field.attname, _converter(field, connection), field if needs_pre_save else None))
        # identifiers from the model's meta, quoted by the backend; values are parameters
        self.head = "INSERT INTO {} ({}) VALUES ".format(quote(meta.db_table), ", ".join(names))  # noqa: S608
        self.returning = bool(connection.features.can_return_columns_from_insert)
        self.tail = f" RETURNING {quote(meta.pk.column)}" if self.returning else ""
        self.numbered = connection.vendor == "postgresql"  # $1, $2 ... for psycopg's RawCursor (see prepared_cursor)
        self.statements: dict[int, str] = {}

    def statement(self, rows: int) -> str:
        sql = self.statements.get(rows)
        if sql is None:
            width = len(self.columns)
            if self.numbered:
                groups = (
                    "(" + ", ".join(f"${row * width + n}" for n in range(1, width + 1)) + ")" for row in range(rows)
                )
            else:
                groups = ("(" + ", ".join(["%s"] * width) + ")" for _ in range(rows))
            sql = self.statements[rows] = self.head + ", ".join(groups) + self.tail
        return sql


_qmark: dict[str, str] = {}


def placeholders(connection, count: int, start: int = 0) -> list[str]:
    """The parameter markers of `count` values for a statement run through prepared_cursor: $n on
    PostgreSQL (numbered from start + 1), %s on SQLite."""
    if connection.vendor == "postgresql":
        return [f"${n}" for n in range(start + 1, start + count + 1)]
    return ["%s"] * count


def prepared_cursor(connection):
    """Django's cursor (queries counted and logged, errors wrapped) around a driver cursor that does
    not parse the statement again for every row. Statements take $1, $2 ... on PostgreSQL and %s on
    SQLite (`placeholders`).

    - PostgreSQL: Django's cursors format every parameter into the SQL text on the client (psycopg's
      ClientCursor) and the server parses and plans each INSERT anew. psycopg's RawCursor takes the
      server's own $n placeholders as they are and binds the values on the server, so the statement
      is prepared once per connection (psycopg prepares a query from its 5th run); psycopg would
      otherwise re-split a long statement (a batch of rows) with a regular expression every time.
    - SQLite: Django turns every %s into ? with a regular expression for every execution; here the
      converted statement is kept."""
    if connection.vendor == "postgresql":
        from psycopg import RawCursor  # noqa: PLC0415 — backend-specific: only the driver of the database in use is imported

        connection.ensure_connection()
        with connection.wrap_database_errors:
            return connection._prepare_cursor(RawCursor(connection.connection))
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with connection.wrap_database_errors:
            return connection._prepare_cursor(connection.connection.cursor(factory=_sqlite_cursor_class()))
    return connection.cursor()


@functools.cache
def _sqlite_cursor_class():  # made once Django's SQLite backend is importable
    from django.db.backends.sqlite3.base import SQLiteCursorWrapper  # noqa: PLC0415 — backend-specific: only the driver of the database in use is imported

    class CachedQmarkCursor(SQLiteCursorWrapper):
        def convert_query(self, query, *, param_names=None):
            if param_names is not None:
                return super().convert_query(query, param_names=param_names)
            converted = _qmark.get(query)
            if converted is None:
                converted = _qmark[query] = super().convert_query(query)
            return converted

    return CachedQmarkCursor


def _sets_value_on_save(field: models.Field) -> bool:
    """Whether the field's pre_save() gives something other than the attribute (auto_now, file names...)."""
    if isinstance(field, (models.DateField, models.TimeField)):  # DateTimeField is a DateField
        return bool(field.auto_now or field.auto_now_add)
    return type(field).pre_save is not models.Field.pre_save


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
            # aware (the norm with USE_TZ): the backend's adaptation; None stays NULL; naive: the field's own
            if value is None:
                return None
            if type(value) is dt.datetime and value.tzinfo is not None:
                return adapt(value)
            return field_value(value)

        return datetime_value
    return field_value
