"""Register the triage jobs as django-q schedules: new cases classified every minute, retraining weekly."""

from django.db import migrations
from django.utils import timezone

SCHEDULES = {
    "triage.classify_new_cases": ("lianxin.triage.tasks.classify_new_cases", "I", 1),
    "triage.retrain": ("lianxin.triage.tasks.retrain", "W", None),
}


def add_schedules(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    for name, (func, kind, minutes) in SCHEDULES.items():
        defaults = {"func": func, "schedule_type": kind, "repeats": -1, "next_run": timezone.now()}
        if minutes:
            defaults["minutes"] = minutes
        Schedule.objects.update_or_create(name=name, defaults=defaults)


def remove_schedules(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.filter(name__in=list(SCHEDULES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("triage", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(add_schedules, remove_schedules)]
