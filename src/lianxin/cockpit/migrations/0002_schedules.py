"""Register the cockpit's periodic jobs as django-q schedules: refresh every minute, hot issues every 15
minutes, a full rebuild every night."""

import datetime as dt

from django.db import migrations
from django.utils import timezone

SCHEDULES = {
    "cockpit.refresh": ("lianxin.cockpit.tasks.refresh_rollups", "I", 1),
    "cockpit.hot_issues": ("lianxin.cockpit.tasks.refresh_hot_issues", "I", 15),
    "cockpit.rebuild": ("lianxin.cockpit.tasks.rebuild_rollups", "D", None),
}


def add_schedules(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    now = timezone.now()
    local = timezone.localtime(now)
    night = local.replace(hour=2, minute=30, second=0, microsecond=0)
    if night <= local:
        night += dt.timedelta(days=1)
    for name, (func, kind, minutes) in SCHEDULES.items():
        defaults = {"func": func, "schedule_type": kind, "repeats": -1, "next_run": now if kind == "I" else night}
        if minutes:
            defaults["minutes"] = minutes
        Schedule.objects.update_or_create(name=name, defaults=defaults)


def remove_schedules(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.filter(name__in=list(SCHEDULES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cockpit", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(add_schedules, remove_schedules)]
