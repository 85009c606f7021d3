"""The split of the performance app into `points` and `appraisal` (issue 11 item 7), keeping every row.

The tables stay where they are (the new apps' models name them with `Meta.db_table`): points 0001 and appraisal
0001 create the models in Django's state only, and this migration deletes them from performance's state only —
no table is created, dropped or copied. Then, in the database:

- the content types `performance.<model>` become `points.<model>` / `appraisal.<model>`, so the permissions that
  point at them (and every group or user holding one) stay as they are; if `migrate` was stopped between points
  0001 and this migration and created the new content types already (post_migrate), those fresh rows — and the
  default permissions made for them — give way to the old ones;
- the hourly points scan's django-q schedule calls `lianxin.points.tasks.scan_points` under the name
  `points.scan_points`.

The audit log needs nothing: its subject types (`points_entry`, `appraisal_round`, …) and action codes
(`points.*`, `appraisal.*`) never named the app. Reversible: going back renames everything back.
"""

from django.db import migrations

POINTS = [
    "pointsrule",
    "pointsentry",
    "pointscontest",
    "pointspublication",
    "assessmentstandard",
    "assessmentrequirement",
]
APPRAISAL = [
    "appraisalitemdefault",
    "appraisalround",
    "appraisalitem",
    "appraisalscore",
    "appraisalopinion",
    "appraisalresult",
    "appraisalitemresult",
]
MOVES = [(model, "points") for model in POINTS] + [(model, "appraisal") for model in APPRAISAL]
SCHEDULE = (
    ("performance.scan_points", "lianxin.performance.tasks.scan_points"),
    ("points.scan_points", "lianxin.points.tasks.scan_points"),
)


def _rename_content_types(apps, forward: bool) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model, app in MOVES:
        old, new = ("performance", app) if forward else (app, "performance")
        if not ContentType.objects.filter(app_label=old, model=model).exists():
            continue  # a fresh database: post_migrate creates the new ones after the last migration
        ContentType.objects.filter(app_label=new, model=model).delete()  # made by an interrupted migrate
        ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def _rename_schedule(apps, forward: bool) -> None:
    Schedule = apps.get_model("django_q", "Schedule")
    (old_name, old_func), (new_name, new_func) = SCHEDULE if forward else reversed(SCHEDULE)
    Schedule.objects.filter(func=old_func).update(func=new_func)
    if not Schedule.objects.filter(name=new_name).exists():
        Schedule.objects.filter(name=old_name).update(name=new_name)


def forwards(apps, schema_editor):
    _rename_content_types(apps, forward=True)
    _rename_schedule(apps, forward=True)


def backwards(apps, schema_editor):
    _rename_content_types(apps, forward=False)
    _rename_schedule(apps, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("performance", "0003_schedules"),
        ("points", "0001_initial"),
        ("appraisal", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="appraisalitem",
                    name="round",
                ),
                migrations.RemoveField(
                    model_name="appraisalitemresult",
                    name="item",
                ),
                migrations.RemoveField(
                    model_name="appraisalscore",
                    name="item",
                ),
                migrations.DeleteModel(
                    name="AppraisalItemDefault",
                ),
                migrations.RemoveField(
                    model_name="appraisalitemresult",
                    name="result",
                ),
                migrations.RemoveField(
                    model_name="appraisalopinion",
                    name="deputy",
                ),
                migrations.RemoveField(
                    model_name="appraisalopinion",
                    name="round",
                ),
                migrations.RemoveField(
                    model_name="appraisalopinion",
                    name="unit",
                ),
                migrations.RemoveField(
                    model_name="appraisalresult",
                    name="round",
                ),
                migrations.RemoveField(
                    model_name="appraisalresult",
                    name="unit",
                ),
                migrations.RemoveField(
                    model_name="appraisalround",
                    name="created_by",
                ),
                migrations.RemoveField(
                    model_name="appraisalround",
                    name="published_by",
                ),
                migrations.RemoveField(
                    model_name="appraisalround",
                    name="units",
                ),
                migrations.RemoveField(
                    model_name="appraisalscore",
                    name="scorer",
                ),
                migrations.RemoveField(
                    model_name="appraisalscore",
                    name="unit",
                ),
                migrations.RemoveField(
                    model_name="assessmentrequirement",
                    name="standard",
                ),
                migrations.RemoveField(
                    model_name="pointscontest",
                    name="decided_by",
                ),
                migrations.RemoveField(
                    model_name="pointscontest",
                    name="entry",
                ),
                migrations.RemoveField(
                    model_name="pointscontest",
                    name="raised_by",
                ),
                migrations.RemoveField(
                    model_name="pointsentry",
                    name="created_by",
                ),
                migrations.RemoveField(
                    model_name="pointsentry",
                    name="decided_by",
                ),
                migrations.RemoveField(
                    model_name="pointsentry",
                    name="deputy",
                ),
                migrations.RemoveField(
                    model_name="pointsentry",
                    name="rule",
                ),
                migrations.RemoveField(
                    model_name="pointspublication",
                    name="published_by",
                ),
                migrations.RemoveField(
                    model_name="pointsrule",
                    name="created_by",
                ),
                migrations.DeleteModel(
                    name="AppraisalItem",
                ),
                migrations.DeleteModel(
                    name="AppraisalItemResult",
                ),
                migrations.DeleteModel(
                    name="AppraisalOpinion",
                ),
                migrations.DeleteModel(
                    name="AppraisalResult",
                ),
                migrations.DeleteModel(
                    name="AppraisalRound",
                ),
                migrations.DeleteModel(
                    name="AppraisalScore",
                ),
                migrations.DeleteModel(
                    name="AssessmentRequirement",
                ),
                migrations.DeleteModel(
                    name="AssessmentStandard",
                ),
                migrations.DeleteModel(
                    name="PointsContest",
                ),
                migrations.DeleteModel(
                    name="PointsEntry",
                ),
                migrations.DeleteModel(
                    name="PointsPublication",
                ),
                migrations.DeleteModel(
                    name="PointsRule",
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
