"""The word-count hot issues are gone (topics' clustered hot issues replaced them): their table and their
15-minute schedule."""

from django.db import migrations


def remove_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name="cockpit.hot_issues").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cockpit", "0002_schedules"),
    ]

    operations = [
        migrations.RunPython(remove_schedule, migrations.RunPython.noop),
        migrations.DeleteModel(name="HotIssue"),
    ]
