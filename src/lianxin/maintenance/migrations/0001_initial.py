"""The field key's check value (recorded now when the stored data opens with the configured key) and the nightly
backup's schedule (it does nothing while LIANXIN_BACKUP_DIR is blank)."""

import datetime as dt

from django.db import migrations, models
from django.utils import timezone

SCHEDULES = {"maintenance.scheduled_backup": ("lianxin.maintenance.tasks.scheduled_backup", "D")}
BACKUP_TIME = dt.time(2, 30)  # local time, when the offices are closed


def record_check(apps, schema_editor):
    from django.db import connection

    from lianxin.maintenance import keys

    db = schema_editor.connection if schema_editor is not None else connection  # tests re-run it without one
    # An existing database whose data the configured key cannot open gets no row: the system check then names
    # the column it could not open, instead of a check value that would bless the wrong key.
    if keys.unreadable_sample(apps, db) is None:
        keys.record_key_check(apps, db)


def next_backup_time():
    now = timezone.localtime()
    run = now.replace(hour=BACKUP_TIME.hour, minute=BACKUP_TIME.minute, second=0, microsecond=0)
    return run if run > now else run + dt.timedelta(days=1)


def add_schedules(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    for name, (func, schedule_type) in SCHEDULES.items():
        Schedule.objects.update_or_create(
            name=name,
            defaults={"func": func, "schedule_type": schedule_type, "repeats": -1, "next_run": next_backup_time()},
        )


def remove_schedules(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.filter(name__in=list(SCHEDULES)).delete()


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [
        migrations.CreateModel(
            name="FieldKeyCheck",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("encryption_check", models.CharField(max_length=64)),
                ("hash_check", models.CharField(max_length=64)),
                ("recorded_at", models.DateTimeField()),
                ("rotated_at", models.DateTimeField(blank=True, null=True)),
            ],
        ),
        migrations.RunPython(record_check, migrations.RunPython.noop),
        migrations.RunPython(add_schedules, remove_schedules),
    ]
