"""Fuzzing the JSON API against the committed OpenAPI schema (docs/openapi.json) with schemathesis.

Every operation gets generated requests, valid and invalid (wrong types, huge and odd strings, control
characters, missing fields), once anonymously and once with an office token, on whichever database the
suite runs on. Each response must be no server error and must match the schema: its status code is one the
operation documents, its body matches that status's schema, its content type is the documented one.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.helpers import bearer
from tests.factories import make_district, submit_case

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
EXAMPLES = int(os.environ.get("LIANXIN_FUZZ_EXAMPLES", "15"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

# Derandomised: the same examples on every run and database, so a failure is found again by the next run.
FUZZING = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None
)

schema = schemathesis.openapi.from_path(str(SCHEMA_FILE))
schema.app = get_wsgi_application()


@pytest.fixture
def fuzz_district(db, settings):
    """A district with a case, so that ids and tracking codes can hit real rows, and limits left open:
    the fuzzing is about what one request does, not about a flood (the abuse tests cover that)."""
    settings.ALLOWED_HOSTS = ["*"]
    settings.THROTTLE_ENABLED = False
    district = make_district()
    submit_case()
    # The WSGI handler closes the database connection at the end of each request; inside the test's transaction
    # that would end it (PostgreSQL). Django's test client disconnects the same receivers while it calls a view.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield district
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _run(case, headers):
    case.call_and_validate(headers=headers, checks=CHECKS)


@pytest.mark.django_db
@schema.parametrize()
@FUZZING
def test_api_anonymous(case, fuzz_district):
    _run(case, {})


@pytest.mark.django_db
@schema.parametrize()
@FUZZING
def test_api_with_office_token(case, fuzz_district):
    key = bearer(fuzz_district.office)["HTTP_AUTHORIZATION"]
    _run(case, {"Authorization": key})
