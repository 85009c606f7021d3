"""The appraisal models, taken over from the performance app: created in Django's state only, on the tables
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
                    name="AppraisalItemDefault",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=60, unique=True, verbose_name="评议项目")),
                        ("weight", models.DecimalField(decimal_places=1, max_digits=5, verbose_name="权重")),
                        (
                            "source",
                            models.CharField(
                                choices=[
                                    ("case_handling", "系统计算：民意件办理（办复率、按期率、满意度）"),
                                    ("suggestion_handling", "系统计算：代表建议办理（办复率、按期率、满意度）"),
                                    ("station_visits", "系统计算：负责人进站次数"),
                                    ("member_scores", "录入：常委会组成人员评分"),
                                    ("office_score", "录入：人大办考核评分"),
                                    ("survey", "评议意见征集：满意度测评"),
                                ],
                                max_length=30,
                                verbose_name="数据来源",
                            ),
                        ),
                        ("params", models.JSONField(blank=True, default=dict, verbose_name="计算参数")),
                        ("description", models.CharField(blank=True, max_length=300, verbose_name="说明")),
                        ("order", models.PositiveSmallIntegerField(default=0, verbose_name="顺序")),
                        ("active", models.BooleanField(default=True, verbose_name="启用")),
                    ],
                    options={
                        "verbose_name": "默认评议项目",
                        "verbose_name_plural": "默认评议项目",
                        "db_table": "performance_appraisalitemdefault",
                        "ordering": ["order", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="AppraisalRound",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("year", models.PositiveSmallIntegerField(unique=True, verbose_name="年度")),
                        ("title", models.CharField(max_length=100, verbose_name="名称")),
                        ("period_start", models.DateField(verbose_name="统计起始日")),
                        ("period_end", models.DateField(help_text="含当日", verbose_name="统计截止日")),
                        ("opinion_opens_at", models.DateTimeField(verbose_name="意见征集开始")),
                        ("opinion_closes_at", models.DateTimeField(verbose_name="意见征集截止")),
                        (
                            "state",
                            models.CharField(
                                choices=[
                                    ("draft", "筹备中"),
                                    ("collecting", "意见征集中"),
                                    ("scoring", "评分汇总中"),
                                    ("published", "已公布"),
                                ],
                                default="draft",
                                max_length=20,
                                verbose_name="状态",
                            ),
                        ),
                        (
                            "score_satisfied",
                            models.DecimalField(decimal_places=1, default=100, max_digits=5, verbose_name="满意计分"),
                        ),
                        (
                            "score_basically_satisfied",
                            models.DecimalField(
                                decimal_places=1, default=70, max_digits=5, verbose_name="基本满意计分"
                            ),
                        ),
                        (
                            "score_unsatisfied",
                            models.DecimalField(decimal_places=1, default=30, max_digits=5, verbose_name="不满意计分"),
                        ),
                        ("published_at", models.DateTimeField(blank=True, null=True)),
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
                            "published_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "units",
                            models.ManyToManyField(
                                related_name="appraisal_rounds", to="organisation.handlingunit", verbose_name="参评单位"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "评议年度",
                        "verbose_name_plural": "评议年度",
                        "db_table": "performance_appraisalround",
                        "ordering": ["-year"],
                    },
                ),
                migrations.CreateModel(
                    name="AppraisalResult",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("total", models.DecimalField(decimal_places=2, max_digits=6, null=True, verbose_name="总分")),
                        ("rank", models.PositiveIntegerField(null=True, verbose_name="名次")),
                        ("ranked", models.BooleanField(default=False, verbose_name="参与排名")),
                        ("note", models.CharField(blank=True, max_length=300, verbose_name="说明")),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="organisation.handlingunit",
                            ),
                        ),
                        (
                            "round",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="results",
                                to="appraisal.appraisalround",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "评议结果",
                        "verbose_name_plural": "评议结果",
                        "db_table": "performance_appraisalresult",
                        "ordering": ["round_id", "rank", "unit_id"],
                    },
                ),
                migrations.CreateModel(
                    name="AppraisalOpinion",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "rater_kind",
                            models.CharField(
                                choices=[("deputy", "代表"), ("citizen", "群众")], max_length=10, verbose_name="评议人"
                            ),
                        ),
                        ("phone_hash", models.CharField(blank=True, max_length=64)),
                        ("phone_masked", models.CharField(blank=True, max_length=20, verbose_name="手机号")),
                        (
                            "rating",
                            models.CharField(
                                choices=[
                                    ("satisfied", "满意"),
                                    ("basically_satisfied", "基本满意"),
                                    ("unsatisfied", "不满意"),
                                    ("unknown", "不了解"),
                                ],
                                max_length=30,
                                verbose_name="评价",
                            ),
                        ),
                        ("comment", models.TextField(blank=True, max_length=1000, verbose_name="意见")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "deputy",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="organisation.deputy",
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="organisation.handlingunit",
                            ),
                        ),
                        (
                            "round",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="opinions",
                                to="appraisal.appraisalround",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "评议意见",
                        "verbose_name_plural": "评议意见",
                        "db_table": "performance_appraisalopinion",
                        "ordering": ["id"],
                    },
                ),
                migrations.CreateModel(
                    name="AppraisalItem",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=60, verbose_name="评议项目")),
                        ("weight", models.DecimalField(decimal_places=1, max_digits=5, verbose_name="权重")),
                        (
                            "source",
                            models.CharField(
                                choices=[
                                    ("case_handling", "系统计算：民意件办理（办复率、按期率、满意度）"),
                                    ("suggestion_handling", "系统计算：代表建议办理（办复率、按期率、满意度）"),
                                    ("station_visits", "系统计算：负责人进站次数"),
                                    ("member_scores", "录入：常委会组成人员评分"),
                                    ("office_score", "录入：人大办考核评分"),
                                    ("survey", "评议意见征集：满意度测评"),
                                ],
                                max_length=30,
                                verbose_name="数据来源",
                            ),
                        ),
                        ("params", models.JSONField(blank=True, default=dict, verbose_name="计算参数")),
                        ("description", models.CharField(blank=True, max_length=300, verbose_name="说明")),
                        ("order", models.PositiveSmallIntegerField(default=0, verbose_name="顺序")),
                        (
                            "round",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="items",
                                to="appraisal.appraisalround",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "评议项目",
                        "verbose_name_plural": "评议项目",
                        "db_table": "performance_appraisalitem",
                        "ordering": ["order", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="AppraisalScore",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("score", models.DecimalField(decimal_places=1, max_digits=5, verbose_name="得分")),
                        ("note", models.CharField(blank=True, max_length=500, verbose_name="说明")),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "item",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="scores",
                                to="appraisal.appraisalitem",
                            ),
                        ),
                        (
                            "scorer",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="organisation.handlingunit",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "评议评分",
                        "verbose_name_plural": "评议评分",
                        "db_table": "performance_appraisalscore",
                        "ordering": ["item_id", "unit_id", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="AppraisalItemResult",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("score", models.DecimalField(decimal_places=2, max_digits=6, null=True, verbose_name="得分")),
                        ("sample", models.PositiveIntegerField(default=0, verbose_name="样本量")),
                        ("enough", models.BooleanField(default=False, verbose_name="样本充足")),
                        ("details", models.JSONField(default=dict, verbose_name="计算明细")),
                        (
                            "item",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="appraisal.appraisalitem",
                            ),
                        ),
                        (
                            "result",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="items",
                                to="appraisal.appraisalresult",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "performance_appraisalitemresult",
                        "ordering": ["result_id", "item__order", "item_id"],
                        "constraints": [
                            models.UniqueConstraint(fields=("result", "item"), name="appraisal_item_result_unique")
                        ],
                    },
                ),
                migrations.AddConstraint(
                    model_name="appraisalround",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("period_end__gte", models.F("period_start"))), name="appraisal_period"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="appraisalround",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("opinion_closes_at__gt", models.F("opinion_opens_at"))),
                        name="appraisal_opinion_period",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="appraisalresult",
                    constraint=models.UniqueConstraint(fields=("round", "unit"), name="appraisal_result_unique"),
                ),
                migrations.AddIndex(
                    model_name="appraisalopinion",
                    index=models.Index(fields=["round", "unit"], name="opinion_round_unit_idx"),
                ),
                migrations.AddConstraint(
                    model_name="appraisalopinion",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("deputy__isnull", False)),
                        fields=("round", "unit", "deputy"),
                        name="opinion_one_per_deputy",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="appraisalopinion",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("phone_hash", ""), _negated=True),
                        fields=("round", "unit", "phone_hash"),
                        name="opinion_one_per_phone",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="appraisalitem",
                    constraint=models.UniqueConstraint(fields=("round", "name"), name="appraisal_item_name_unique"),
                ),
                migrations.AddConstraint(
                    model_name="appraisalscore",
                    constraint=models.UniqueConstraint(
                        fields=("item", "unit", "scorer"), name="appraisal_score_unique"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="appraisalscore",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("score__gte", 0), ("score__lte", 100)), name="appraisal_score_range"
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
