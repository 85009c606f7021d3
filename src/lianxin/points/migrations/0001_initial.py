"""The points models, taken over from the performance app: created in Django's state only, on the tables
performance 0001 made (`db_table`); performance 0004_split removes them from its own state."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("performance", "0003_schedules"),
        ("organisation", "0002_seed_categories"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AssessmentStandard",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "level",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("national", "全国人大代表"),
                                    ("provincial", "省人大代表"),
                                    ("city", "市人大代表"),
                                    ("district", "区/县人大代表"),
                                    ("township", "乡镇人大代表"),
                                ],
                                max_length=20,
                                verbose_name="代表层级",
                            ),
                        ),
                        (
                            "excellent_points",
                            models.DecimalField(decimal_places=1, max_digits=7, verbose_name="优秀分数线"),
                        ),
                        ("pass_points", models.DecimalField(decimal_places=1, max_digits=7, verbose_name="合格分数线")),
                        ("note", models.CharField(blank=True, max_length=200, verbose_name="说明")),
                    ],
                    options={
                        "verbose_name": "考核标准",
                        "verbose_name_plural": "考核标准",
                        "db_table": "performance_assessmentstandard",
                        "ordering": ["level"],
                        "constraints": [
                            models.UniqueConstraint(fields=("level",), name="assessment_standard_level_unique")
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="PointsRule",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "activity",
                            models.CharField(
                                choices=[
                                    ("base", "年度基础分"),
                                    ("case_acknowledged", "24小时内回应民意件"),
                                    ("duty_attended", "按时到站值班"),
                                    ("duty_late", "值班迟到"),
                                    ("duty_absent", "值班缺勤"),
                                    ("voter_contact_verified", "联系选民（回访属实）"),
                                    ("voter_report", "向选民述职"),
                                    ("suggestion_lead", "领衔提出代表建议（已立案）"),
                                    ("suggestion_cosign", "附议代表建议（已立案）"),
                                    ("manual", "人工加减分"),
                                ],
                                max_length=40,
                                verbose_name="履职活动",
                            ),
                        ),
                        ("version", models.PositiveIntegerField(default=1, verbose_name="版本")),
                        ("points", models.DecimalField(decimal_places=1, max_digits=6, verbose_name="分值（每次）")),
                        (
                            "cap",
                            models.DecimalField(
                                blank=True,
                                decimal_places=1,
                                help_text="空表示不封顶；扣分时为最多扣分",
                                max_digits=7,
                                null=True,
                                verbose_name="每期上限",
                            ),
                        ),
                        (
                            "cap_period",
                            models.CharField(
                                choices=[("quarter", "季度"), ("year", "年度")],
                                default="year",
                                max_length=10,
                                verbose_name="上限周期",
                            ),
                        ),
                        ("needs_approval", models.BooleanField(default=False, verbose_name="需人大办审核")),
                        ("active", models.BooleanField(default=True, verbose_name="现行")),
                        ("note", models.CharField(blank=True, max_length=200, verbose_name="说明")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "积分规则",
                        "verbose_name_plural": "积分规则",
                        "db_table": "performance_pointsrule",
                        "ordering": ["activity", "-version"],
                    },
                ),
                migrations.CreateModel(
                    name="PointsEntry",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "activity",
                            models.CharField(
                                choices=[
                                    ("base", "年度基础分"),
                                    ("case_acknowledged", "24小时内回应民意件"),
                                    ("duty_attended", "按时到站值班"),
                                    ("duty_late", "值班迟到"),
                                    ("duty_absent", "值班缺勤"),
                                    ("voter_contact_verified", "联系选民（回访属实）"),
                                    ("voter_report", "向选民述职"),
                                    ("suggestion_lead", "领衔提出代表建议（已立案）"),
                                    ("suggestion_cosign", "附议代表建议（已立案）"),
                                    ("manual", "人工加减分"),
                                ],
                                max_length=40,
                                verbose_name="履职活动",
                            ),
                        ),
                        ("points", models.DecimalField(decimal_places=1, max_digits=7, verbose_name="分值")),
                        ("occurred_on", models.DateField(db_index=True, verbose_name="发生日期")),
                        ("evidence_type", models.CharField(max_length=30, verbose_name="依据类型")),
                        ("evidence_id", models.BigIntegerField(blank=True, null=True, verbose_name="依据编号")),
                        ("evidence_label", models.CharField(blank=True, max_length=200, verbose_name="依据")),
                        ("reason", models.TextField(blank=True, max_length=1000, verbose_name="理由")),
                        (
                            "state",
                            models.CharField(
                                choices=[
                                    ("counted", "计分"),
                                    ("pending", "待审核"),
                                    ("rejected", "审核未通过"),
                                    ("voided", "异议成立，已撤销"),
                                ],
                                default="counted",
                                max_length=20,
                                verbose_name="状态",
                            ),
                        ),
                        ("decided_at", models.DateTimeField(blank=True, null=True)),
                        ("decision_note", models.CharField(blank=True, max_length=500, verbose_name="审核意见")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "decided_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "deputy",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="points_entries",
                                to="organisation.deputy",
                                verbose_name="代表",
                            ),
                        ),
                        (
                            "rule",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="entries",
                                to="points.pointsrule",
                                verbose_name="规则",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "积分记录",
                        "verbose_name_plural": "积分记录",
                        "db_table": "performance_pointsentry",
                        "ordering": ["-occurred_on", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="AssessmentRequirement",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "metric",
                            models.CharField(
                                choices=[
                                    ("voter_contacts", "联系选民次数"),
                                    ("duty_attended", "到站值班次数"),
                                    ("suggestions", "领衔或附议建议件数"),
                                    ("voter_reports", "向选民述职次数"),
                                ],
                                max_length=30,
                                verbose_name="指标",
                            ),
                        ),
                        ("minimum", models.PositiveIntegerField(verbose_name="最低次数")),
                        (
                            "standard",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="requirements",
                                to="points.assessmentstandard",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "考核最低要求",
                        "verbose_name_plural": "考核最低要求",
                        "db_table": "performance_assessmentrequirement",
                        "ordering": ["standard_id", "metric"],
                        "constraints": [
                            models.UniqueConstraint(fields=("standard", "metric"), name="assessment_requirement_unique")
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="PointsContest",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("reason", models.TextField(max_length=1000, verbose_name="异议理由")),
                        (
                            "state",
                            models.CharField(
                                choices=[("pending", "待处理"), ("upheld", "异议成立"), ("dismissed", "异议不成立")],
                                default="pending",
                                max_length=20,
                                verbose_name="状态",
                            ),
                        ),
                        ("raised_at", models.DateTimeField(auto_now_add=True)),
                        ("decided_at", models.DateTimeField(blank=True, null=True)),
                        ("decision_note", models.CharField(blank=True, max_length=500, verbose_name="处理意见")),
                        (
                            "decided_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "raised_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "entry",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="contests",
                                to="points.pointsentry",
                                verbose_name="积分记录",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "积分异议",
                        "verbose_name_plural": "积分异议",
                        "db_table": "performance_pointscontest",
                        "ordering": ["-raised_at", "-id"],
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("state", "pending")),
                                fields=("entry",),
                                name="points_contest_one_pending",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="PointsPublication",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("year", models.PositiveSmallIntegerField(verbose_name="年度")),
                        ("quarter", models.PositiveSmallIntegerField(default=0, verbose_name="季度")),
                        ("published", models.BooleanField(default=False, verbose_name="已公布")),
                        ("published_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "published_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "积分公布",
                        "verbose_name_plural": "积分公布",
                        "db_table": "performance_pointspublication",
                        "ordering": ["-year", "-quarter"],
                        "constraints": [
                            models.UniqueConstraint(fields=("year", "quarter"), name="points_publication_unique"),
                            models.CheckConstraint(
                                condition=models.Q(("quarter__lte", 4)), name="points_publication_quarter"
                            ),
                        ],
                    },
                ),
                migrations.AddConstraint(
                    model_name="pointsrule",
                    constraint=models.UniqueConstraint(
                        fields=("activity", "version"), name="points_rule_version_unique"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="pointsrule",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("active", True)), fields=("activity",), name="points_rule_one_active"
                    ),
                ),
                migrations.AddIndex(
                    model_name="pointsentry",
                    index=models.Index(fields=["deputy", "occurred_on"], name="points_entry_deputy_day_idx"),
                ),
                migrations.AddIndex(
                    model_name="pointsentry",
                    index=models.Index(fields=["state", "occurred_on"], name="points_entry_state_day_idx"),
                ),
                migrations.AddConstraint(
                    model_name="pointsentry",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("activity", "manual"), _negated=True),
                        fields=("deputy", "activity", "evidence_type", "evidence_id"),
                        name="points_entry_one_per_evidence",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
