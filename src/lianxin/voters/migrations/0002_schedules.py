"""Register the voters area's periodic jobs as django-q schedules."""

from django.db import migrations
from django.utils import timezone

SCHEDULES = {
    # name: (func, schedule_type, minutes)
    "voters.draw_monthly_sample": ("lianxin.voters.tasks.draw_monthly_sample", "M", None),
    "voters.publish_due_results": ("lianxin.voters.tasks.publish_due_results", "H", None),
    "voters.purge_personal_data": ("lianxin.voters.tasks.purge_personal_data", "D", None),
}


def add_schedules(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    for name, (func, schedule_type, minutes) in SCHEDULES.items():
        Schedule.objects.update_or_create(
            name=name,
            defaults={
                "func": func,
                "schedule_type": schedule_type,
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
        ("voters", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(add_schedules, remove_schedules)]
