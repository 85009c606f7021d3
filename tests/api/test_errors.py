"""The error shape holds everywhere, and the committed OpenAPI schema matches the code."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.api.helpers import BASE, assert_error, bearer, row_counts
from tests.factories import submit_case

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]


def test_unknown_api_path_is_a_json_404(client):
    assert_error(client.get(f"{BASE}/no-such-thing"), 404, "not_found")
    assert_error(client.get(f"{BASE}/cases/1/nope"), 404, "not_found")


def test_wrong_method_is_a_json_405(client, db):
    response = client.delete(f"{BASE}/stations")
    assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"


def test_authentication_comes_before_reading_the_body(client, district):
    case = submit_case()
    response = client.post(f"{BASE}/cases/{case.pk}/transitions", b"{not json", content_type="application/json")
    assert_error(response, 401, "unauthorized")


def test_wrong_content_type_on_a_json_endpoint_is_415(client, district):
    case = submit_case()
    headers = bearer(district.office)
    before = row_counts()
    response = client.post(
        f"{BASE}/cases/{case.pk}/transitions",
        "action=note&message=x",
        content_type="application/x-www-form-urlencoded",
        **headers,
    )
    assert_error(response, 415, "unsupported_media_type")
    assert row_counts() == before


@pytest.mark.parametrize("endpoint", ["transitions", "rating", "token"])
def test_huge_bodies_are_413(client, district, settings, endpoint):
    case = submit_case()
    headers = bearer(district.office)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    url = {
        "transitions": f"{BASE}/cases/{case.pk}/transitions",
        "rating": f"{BASE}/cases/track/{case.tracking_code}/rating",
        "token": f"{BASE}/auth/token",
    }[endpoint]
    before = row_counts()
    body = json.dumps({"action": "note", "message": "长" * 2000, "token": "x", "rating": "satisfied"})
    response = client.post(url, body, content_type="application/json", **headers)
    assert_error(response, 413, "too_large")
    assert row_counts() == before


def test_openapi_json_is_served(client, db):
    response = client.get(f"{BASE}/openapi.json")
    assert response.status_code == 200
    paths = set(response.json()["paths"])
    # The foundation's contract paths (other areas add their own).
    assert paths >= {
        "/api/v1/auth/token",
        "/api/v1/me",
        "/api/v1/stations",
        "/api/v1/units",
        "/api/v1/cases",
        "/api/v1/cases/track/{tracking_code}",
        "/api/v1/cases/track/{tracking_code}/rating",
        "/api/v1/cases/{case_id}",
        "/api/v1/cases/{case_id}/transitions",
        "/api/v1/cases/{case_id}/photos/{photo_id}",
    }


def test_committed_schema_matches_the_code(db):
    out = io.StringIO()
    call_command("export_openapi", stdout=out)
    committed = (REPO / "docs" / "openapi.json").read_text(encoding="utf-8")
    assert out.getvalue().strip() == committed.strip(), "run `make schema` and commit docs/openapi.json"
    schema = json.loads(committed)
    intake = schema["paths"]["/api/v1/cases"]["post"]
    assert set(intake["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
    assert {"200", "201", "422"} <= set(intake["responses"])
    assert "CaseSubmissionIn" in schema["components"]["schemas"]
