"""Register the suggestion jobs as django-q schedules (lights every 10 minutes, the others hourly)."""

from django.db import migrations
from django.utils import timezone

SCHEDULES = {
    "suggestions.recompute_lights": ("lianxin.suggestions.tasks.recompute_lights", 10),
    "suggestions.release_queued": ("lianxin.suggestions.tasks.release_queued", 60),
    "suggestions.close_unrated": ("lianxin.suggestions.tasks.close_unrated", 60),
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
        ("suggestions", "0002_lifecycle"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(add_schedules, remove_schedules)]
