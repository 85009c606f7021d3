"""Register the hot-issue refresh as a django-q schedule (hourly: clustering costs seconds of CPU per area)."""

from django.db import migrations
from django.utils import timezone

SCHEDULES = {"topics.refresh_hot_topics": ("lianxin.topics.tasks.refresh_hot_topics", "I", 60)}


def add_schedules(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    for name, (func, kind, minutes) in SCHEDULES.items():
        Schedule.objects.update_or_create(
            name=name,
            defaults={
                "func": func,
                "schedule_type": kind,
                "repeats": -1,
                "next_run": timezone.now(),
                "minutes": minutes,
            },
        )


def remove_schedules(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.filter(name__in=list(SCHEDULES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("topics", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(add_schedules, remove_schedules)]
