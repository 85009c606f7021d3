"""Seed the defaults of domain.md §8 as data: the points rules (version 1), the assessment standards and the
seven appraisal items with their weights and sources. Each district edits them afterwards."""

from decimal import Decimal

from django.db import migrations

# activity: (points, cap, cap period, needs approval, note)
RULES = {
    "base": (60, None, "year", False, "每年基础分"),
    "case_acknowledged": (1, 20, "year", False, "民意件在24小时时限内由代表本人回应"),
    "duty_attended": (2, 24, "year", False, "按排班到站值班并签到"),
    "duty_late": (1, None, "year", False, "值班迟到（仍计到岗，分值减半）"),
    "duty_absent": (-1, 10, "year", False, "排班未到岗，每次扣1分"),
    "voter_contact_verified": (1, 12, "year", False, "联系选民记录经抽查回访属实"),
    "voter_report": (5, 5, "year", False, "向选民述职并接受评议"),
    "suggestion_lead": (3, None, "year", False, "领衔提出的建议经审查立案"),
    "suggestion_cosign": (1, None, "year", False, "附议的建议经审查立案"),
}

# level: (excellent, pass, {metric: minimum}, note)
STANDARDS = {
    "": (90, 70, {"voter_contacts": 10, "duty_attended": 2}, "默认标准"),
    "township": (80, 60, {"voter_contacts": 6, "duty_attended": 2}, "乡镇人大代表"),
}

RATES = {"answered": 40, "on_time": 30, "satisfaction": 30}
ITEMS = [
    ("常委会组成人员评价", 20, "member_scores", {}, "常委会组成人员对部门工作的评分（0–100），取平均分"),
    ("政府工作报告落实", 10, "office_score", {}, "人大办根据政府工作报告目标任务完成情况评分"),
    ("人大决定决议落实", 10, "office_score", {}, "人大办根据人大常委会决定决议和审议意见落实情况评分"),
    ("民生实事办理", 20, "case_handling", RATES, "交办民意件的办复率、按期办结率和群众满意度"),
    ("议案建议办理", 20, "suggestion_handling", RATES, "主办、分办代表建议的办复率、按期答复率和代表满意度"),
    ("进基层单元情况", 10, "station_visits", {"target": 4}, "部门负责人进联络站（局长·代表面对面）次数"),
    ("依法行政", 10, "survey", {}, "评议意见征集期间代表和群众的满意度测评"),
]


def seed(apps, schema_editor):
    seed_models(
        apps.get_model("performance", "PointsRule"),
        apps.get_model("performance", "AssessmentStandard"),
        apps.get_model("performance", "AssessmentRequirement"),
        apps.get_model("performance", "AppraisalItemDefault"),
    )


def seed_models(PointsRule, AssessmentStandard, AssessmentRequirement, AppraisalItemDefault):
    """Add what is missing of the defaults (also called by tests with the points and appraisal models, which
    own these tables since 0004_split)."""
    for activity, (points, cap, cap_period, approval, note) in RULES.items():
        PointsRule.objects.get_or_create(
            activity=activity,
            version=1,
            defaults={
                "points": Decimal(points),
                "cap": None if cap is None else Decimal(cap),
                "cap_period": cap_period,
                "needs_approval": approval,
                "note": note,
                "active": True,
            },
        )
    for level, (excellent, passing, minimums, note) in STANDARDS.items():
        standard, _ = AssessmentStandard.objects.get_or_create(
            level=level,
            defaults={"excellent_points": Decimal(excellent), "pass_points": Decimal(passing), "note": note},
        )
        for metric, minimum in minimums.items():
            AssessmentRequirement.objects.get_or_create(standard=standard, metric=metric, defaults={"minimum": minimum})
    for order, (name, weight, source, params, description) in enumerate(ITEMS, start=1):
        AppraisalItemDefault.objects.get_or_create(
            name=name,
            defaults={
                "weight": Decimal(weight),
                "source": source,
                "params": params,
                "description": description,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("performance", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
