"""The outbox becomes generic: a row names what it is about (subject_type, subject_id) instead of a case.

Existing rows keep their meaning: a row of a case becomes ("case", its id); a citizen's row of a case that
is still pending gets the case's encrypted phone as its address, so the sweep can still deliver it."""

from django.db import migrations, models

# Plain SQL (the same on SQLite and PostgreSQL): it runs once, on the table as it is at this point.
FORWARDS = [
    "UPDATE notifications_notification SET subject_type = 'case', subject_id = case_id WHERE case_id IS NOT NULL",
    "UPDATE notifications_notification SET address_enc = ("
    " SELECT contact_phone_enc FROM cases_case WHERE cases_case.id = notifications_notification.case_id)"
    " WHERE case_id IS NOT NULL AND recipient_kind = 'citizen' AND state = 'pending' AND address_enc = ''",
]
BACKWARDS = [
    "UPDATE notifications_notification SET case_id = subject_id"
    " WHERE subject_type = 'case' AND subject_id IN (SELECT id FROM cases_case)",
]


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_fewer_indexes"),
        ("notifications", "0004_index_without_like_copy"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="subject_type",
            field=models.CharField(blank=True, max_length=40),
        ),
        migrations.AddField(
            model_name="notification",
            name="subject_id",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.RunSQL(FORWARDS, BACKWARDS),
        migrations.RemoveField(model_name="notification", name="case"),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(fields=["subject_type", "subject_id"], name="notification_subject_idx"),
        ),
    ]
