"""The demo district gets suggestions in every state through the real services; a second run adds nothing."""

import io

import pytest
from django.core.management import call_command

from lianxin.audit.models import AuditEntry
from lianxin.cases.models import Case
from lianxin.suggestions.enums import State
from lianxin.suggestions.models import Suggestion

pytestmark = pytest.mark.django_db


def test_seed_demo_twice(settings, client):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = io.StringIO()
    call_command("seed_demo", cases=200, stdout=out)
    assert "代表建议：22 件" in out.getvalue()
    states = set(Suggestion.objects.values_list("state", flat=True))
    assert states == set(State.values)
    assert Suggestion.objects.filter(round=2, state=State.CLOSED).exists()
    assert Suggestion.objects.filter(key=True, leader__username="leader").exists()
    assert Suggestion.objects.filter(light="red").exists()
    assert Case.objects.filter(suggestion__isnull=False, status="fed_back").exists()
    counts = (Suggestion.objects.count(), AuditEntry.objects.filter(subject_type="suggestion").count())
    call_command("seed_demo", cases=200, stdout=io.StringIO())
    assert (Suggestion.objects.count(), AuditEntry.objects.filter(subject_type="suggestion").count()) == counts

    from lianxin.accounts.models import User

    for username in ("office", "deputy", "unit", "leader"):
        client.force_login(User.objects.get(username=username))
        response = client.get("/work/suggestions/")
        assert response.status_code == 200 and response.context["page"].paginator.count > 0, username
    s = Suggestion.objects.filter(state=State.HANDLING, assignments__unit__code="zjj").first()
    client.force_login(User.objects.get(username="unit"))
    assert client.get(f"/work/suggestions/{s.pk}/").status_code == 200
    assert len(client.get("/public/suggestions/").context["items"]) >= 3
