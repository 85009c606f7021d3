"""`suppressed` becomes a state of its own (messages withheld by the SMS caps), with the cap that withheld it.

Rows written as "suppressed" before this migration (the value was stored without being a choice) get their
reason from the message the cap wrote into last_error."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0005_generic_subject"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="reason",
            field=models.CharField(
                blank=True,
                choices=[("sms_hour_cap", "该号码本小时短信已达上限"), ("sms_day_cap", "该号码当日短信已达上限")],
                max_length=20,
                verbose_name="未发送原因",
            ),
        ),
        migrations.AlterField(
            model_name="notification",
            name="state",
            field=models.CharField(
                choices=[
                    ("pending", "待发送"),
                    ("sent", "已发送"),
                    ("failed", "发送失败"),
                    ("suppressed", "未发送（超出上限）"),
                ],
                default="pending",
                max_length=20,
            ),
        ),
        migrations.RunSQL(
            [
                "UPDATE notifications_notification SET reason = 'sms_hour_cap'"
                " WHERE state = 'suppressed' AND reason = '' AND last_error LIKE '%per hour%'",
                "UPDATE notifications_notification SET reason = 'sms_day_cap'"
                " WHERE state = 'suppressed' AND reason = '' AND last_error LIKE '%per day%'",
            ],
            migrations.RunSQL.noop,
        ),
    ]
