"""The demo district gets a year of points and one published appraisal round; a second run adds nothing."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from lianxin.appraisal.models import AppraisalOpinion, AppraisalResult, AppraisalRound, AppraisalScore
from lianxin.points.models import PointsContest, PointsEntry, PointsPublication

pytestmark = pytest.mark.django_db


def _counts():
    models = (PointsEntry, PointsContest, PointsPublication, AppraisalRound, AppraisalOpinion, AppraisalScore)
    return tuple(model.objects.count() for model in models)


def test_seed_demo_twice(settings, client):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = io.StringIO()
    call_command("seed_demo", cases=200, stdout=out)
    assert "履职积分：自动生成" in out.getvalue()
    counts = _counts()
    entries, contests, publications, rounds, opinions, scores = counts
    assert entries > 200 and contests == 2 and publications >= 2 and rounds == 1 and opinions > 100
    activities = set(PointsEntry.objects.values_list("activity", flat=True))
    assert {"base", "duty_attended", "case_acknowledged", "voter_contact_verified", "manual"} <= activities
    round_ = AppraisalRound.objects.get()
    assert round_.state == "published"
    assert scores == round_.units.count() * 3  # three entered items, every unit
    ranked = AppraisalResult.objects.filter(round=round_, ranked=True).count()
    assert 0 < ranked < AppraisalResult.objects.filter(round=round_).count()  # some units lack the minimum sample

    year = timezone.localdate().year
    page = client.get(reverse("appraisal:leaderboard", args=[year]))
    assert page.status_code == 200 and "计算方法" in page.content.decode()
    client.force_login(PointsEntry.objects.filter(deputy__user__username="deputy").first().deputy.user)
    assert client.get(reverse("points:points")).status_code in (200, 302)

    again = io.StringIO()
    call_command("seed_demo", cases=200, stdout=again)
    assert "演示数据已存在" in again.getvalue()
    assert _counts() == counts
