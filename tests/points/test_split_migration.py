"""The split of the performance app (performance 0004_split, points 0001, appraisal 0001) keeps every row.

A database is taken back to the last state before the split, rows of both areas are written through the
performance app's historical models, and the database is migrated to the head again: the rows are read through the
points and appraisal models (same tables), the content types (and so the permissions that point at them) and the
points scan's schedule have moved to the new apps. The test database itself was built by the fresh path (every
migration from zero), which is the other way through the same migrations.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("performance", "0003_schedules"), ("points", None), ("appraisal", None)]
MOVED = {
    "points": ["pointsrule", "pointsentry", "pointscontest", "pointspublication", "assessmentstandard"],
    "appraisal": ["appraisalround", "appraisalitem", "appraisalopinion", "appraisalresult", "appraisalitemdefault"],
}


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    ContentType.objects.clear_cache()


def head() -> list:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_points_and_appraisal_rows_survive_the_split(district):
    try:
        migrate(BEFORE)
        old = MigrationExecutor(connection).loader.project_state([("performance", "0003_schedules")]).apps
        assert not {"points", "appraisal"} & {model._meta.app_label for model in old.get_models()}
        ids = _write_before(old, district)

        migrate(head())

        _check_rows(ids, district)
        _check_content_types(ids)
        from django_q.models import Schedule

        assert list(Schedule.objects.filter(name__contains="scan_points").values_list("name", "func")) == [
            ("points.scan_points", "lianxin.points.tasks.scan_points")
        ]
    finally:
        migrate(head())


def _write_before(old, district) -> dict:
    """Rows of both areas, a content type of each moved model and a permission, through the historical models."""
    OldContentType = old.get_model("contenttypes", "ContentType")
    Schedule = old.get_model("django_q", "Schedule")
    assert list(Schedule.objects.filter(name__contains="scan_points").values_list("name", "func")) == [
        ("performance.scan_points", "lianxin.performance.tasks.scan_points")
    ]
    content_types = {
        model: OldContentType.objects.get_or_create(app_label="performance", model=model)[0].pk
        for models in MOVED.values()
        for model in models
    }
    assert not OldContentType.objects.filter(app_label__in=list(MOVED)).exists()
    # an interrupted migrate may have made the new app's content type already: the old one (and its id) wins
    OldContentType.objects.create(app_label="appraisal", model="appraisalresult")
    permission = Permission.objects.get_or_create(
        content_type_id=content_types["pointsentry"], codename="change_pointsentry", defaults={"name": "改积分"}
    )[0]

    rule = old.get_model("performance", "PointsRule").objects.get(activity="duty_attended", active=True)
    entry = old.get_model("performance", "PointsEntry").objects.create(
        deputy_id=district.deputy.pk,
        rule=rule,
        activity="duty_attended",
        points=Decimal("2.0"),
        occurred_on=dt.date(2026, 3, 2),
        evidence_type="duty_shift",
        evidence_id=991,
        evidence_label="3月2日值班",
    )
    contest = old.get_model("performance", "PointsContest").objects.create(entry=entry, reason="当天请假")
    now = timezone.now()
    round_ = old.get_model("performance", "AppraisalRound").objects.create(
        year=2031,
        title="2031 年度部门工作评议",
        period_start=dt.date(2031, 1, 1),
        period_end=dt.date(2031, 12, 31),
        opinion_opens_at=now,
        opinion_closes_at=now + dt.timedelta(days=30),
        state="published",
    )
    round_.units.add(district.unit.pk)
    item = old.get_model("performance", "AppraisalItem").objects.create(
        round=round_, name="依法行政", weight=Decimal("10.0"), source="survey", order=1
    )
    opinion = old.get_model("performance", "AppraisalOpinion").objects.create(
        round=round_, unit_id=district.unit.pk, rater_kind="deputy", deputy_id=district.deputy.pk, rating="satisfied"
    )
    result = old.get_model("performance", "AppraisalResult").objects.create(
        round=round_, unit_id=district.unit.pk, total=Decimal("88.50"), rank=1, ranked=True
    )
    old.get_model("performance", "AppraisalItemResult").objects.create(
        result=result, item=item, score=Decimal("88.50"), sample=9, enough=True, details={"satisfied": 9}
    )
    return {
        "entry": entry.pk,
        "contest": contest.pk,
        "round": round_.pk,
        "opinion": opinion.pk,
        "permission": permission.pk,
        "content_types": content_types,
    }


def _check_rows(ids, district) -> None:
    from lianxin.appraisal.models import AppraisalOpinion, AppraisalRound
    from lianxin.points.models import PointsContest, PointsEntry

    entry = PointsEntry.objects.select_related("rule").get(pk=ids["entry"])
    assert (entry.deputy_id, entry.points, entry.rule.activity, entry.evidence_label) == (
        district.deputy.pk,
        Decimal("2.0"),
        "duty_attended",
        "3月2日值班",
    )
    assert PointsContest.objects.get(pk=ids["contest"]).entry_id == entry.pk
    round_ = AppraisalRound.objects.get(pk=ids["round"])
    assert list(round_.units.values_list("pk", flat=True)) == [district.unit.pk]
    assert [(r.unit_id, r.total, r.rank) for r in round_.results.all()] == [(district.unit.pk, Decimal("88.50"), 1)]
    assert [(i.score, i.details) for i in round_.results.get().items.all()] == [(Decimal("88.50"), {"satisfied": 9})]
    assert AppraisalOpinion.objects.get(pk=ids["opinion"]).deputy_id == district.deputy.pk
    assert district.deputy.points_entries.filter(pk=entry.pk).exists()  # the reverse accessor of the new model


def _check_content_types(ids) -> None:
    assert not ContentType.objects.filter(app_label="performance").exists()
    moved = {(app, model): ids["content_types"][model] for app, models in MOVED.items() for model in models}
    found = {
        (ct.app_label, ct.model): ct.pk
        for ct in ContentType.objects.filter(app_label__in=list(MOVED), model__in=[m for _a, m in moved])
    }
    assert found == moved
    permission = Permission.objects.select_related("content_type").get(pk=ids["permission"])
    assert (permission.content_type.app_label, permission.content_type.model) == ("points", "pointsentry")
    assert ContentType.objects.get_for_id(ids["content_types"]["appraisalresult"]).model_class().__module__ == (
        "lianxin.appraisal.models"
    )
