"""Register the duty area's periodic jobs as django-q schedules: no-shows every 10 minutes, reminders hourly."""

from django.db import migrations
from django.utils import timezone

SCHEDULES = {
    "duty.mark_no_shows": ("lianxin.duty.tasks.mark_no_shows", 10),
    "duty.remind_shifts": ("lianxin.duty.tasks.remind_shifts", 60),
}


def add_schedules(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    for name, (func, minutes) in SCHEDULES.items():
        Schedule.objects.update_or_create(
            name=name,
            defaults={
                "func": func,
                "schedule_type": "I",
                "minutes": minutes,
                "repeats": -1,
                "next_run": timezone.now(),
            },
        )


def remove_schedules(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.filter(name__in=list(SCHEDULES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("duty", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(add_schedules, remove_schedules)]
