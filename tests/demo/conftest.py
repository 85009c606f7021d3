import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

DEMO_CASES = 200
DEMO_PASSWORD = "Demo-Pass-2026!"


def _counts():
    from lianxin.accounts.models import Membership, User
    from lianxin.audit.models import AuditEntry
    from lianxin.cases.models import Case, Dispatch, ExtensionRequest
    from lianxin.organisation.models import Deputy, DeputyMandate, Division, HandlingUnit, RoutingRule, Station
    from lianxin.suggestions.models import Suggestion

    models = [
        User,
        Membership,
        Division,
        Station,
        HandlingUnit,
        Deputy,
        DeputyMandate,
        RoutingRule,
        Case,
        Dispatch,
        ExtensionRequest,
        AuditEntry,
        Suggestion,
    ]
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Seed once per module inside a transaction that is rolled back afterwards (other tests never see it)."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=fast), transaction.atomic():
        import os

        os.environ["LIANXIN_DEMO_PASSWORD"] = DEMO_PASSWORD
        try:
            first, second = io.StringIO(), io.StringIO()
            call_command("seed_demo", cases=DEMO_CASES, district_only=True, stdout=first)
            after_first = _counts()
            call_command("seed_demo", cases=DEMO_CASES, district_only=True, stdout=second)
            after_second = _counts()
            yield {"first": first.getvalue(), "second": second.getvalue(), "counts": (after_first, after_second)}
        finally:
            os.environ.pop("LIANXIN_DEMO_PASSWORD", None)
            transaction.set_rollback(True)
