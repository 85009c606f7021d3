"""The demo district gets pairings, a year of contacts with monthly call-backs and a rated report; twice adds nothing."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from lianxin.voters.models import ContactCheck, Household, ReportRating, SampleDraw, VoterContact, VoterReport

pytestmark = pytest.mark.django_db


def _counts():
    models = (Household, VoterContact, SampleDraw, ContactCheck, VoterReport, ReportRating)
    return tuple(model.objects.count() for model in models)


def test_seed_demo_twice(settings, client):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = io.StringIO()
    call_command("seed_demo", cases=200, stdout=out)
    assert "联系选民：结对" in out.getvalue()
    counts = _counts()
    households, contacts, draws, checks, reports, ratings = counts
    assert households >= 800 and contacts > 1500 and draws >= 10 and checks >= draws * 3
    assert (reports, ratings) == (2, 46)
    assert ContactCheck.objects.filter(result="pending").exists()
    assert ContactCheck.objects.filter(result="confirmed").exists()
    published = VoterReport.objects.get(status="result_published")
    assert published.rated == 46 and published.deputy.user.username == "deputy"
    assert VoterReport.objects.get(status="published").ratings.count() == 0

    # the pages of the demo render: the office's list (some deputies below the minimum), public stats, the report
    client.force_login(published.created_by)
    rows = client.get(reverse("voters:contacts")).context["rows"]
    assert any(row.below_minimum for row in rows) and not all(row.below_minimum for row in rows)
    public = client.get(reverse("voters:public_contacts", args=[published.deputy.code]))
    assert public.status_code == 200
    assert "满意率" in client.get(reverse("voters:public_report", args=[published.pk])).content.decode()

    again = io.StringIO()
    call_command("seed_demo", cases=200, stdout=again)
    assert _counts() == counts
