"""Register the outbox sweep: every 5 minutes, rows still pending (a lost task, a failed channel) are retried."""

from django.db import migrations
from django.utils import timezone

NAME = "notifications.retry_pending"


def add_schedule(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name=NAME,
        defaults={
            "func": "lianxin.notifications.tasks.retry_pending_notifications",
            "schedule_type": "I",
            "minutes": 5,
            "repeats": -1,
            "next_run": timezone.now(),
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_notification_address"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(add_schedule, remove_schedule)]
