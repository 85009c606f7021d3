"""Register the case loop's periodic jobs as django-q schedules (every 10 minutes)."""

from django.db import migrations
from django.utils import timezone

SCHEDULES = {
    "cases.recompute_lights": "lianxin.cases.tasks.recompute_lights",
    "cases.close_unrated_cases": "lianxin.cases.tasks.close_unrated_cases",
    "cases.remind_overdue": "lianxin.cases.tasks.remind_overdue",
}


def add_schedules(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    for name, func in SCHEDULES.items():
        Schedule.objects.update_or_create(
            name=name,
            defaults={"func": func, "schedule_type": "I", "minutes": 10, "repeats": -1, "next_run": timezone.now()},
        )


def remove_schedules(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.filter(name__in=list(SCHEDULES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(add_schedules, remove_schedules)]
