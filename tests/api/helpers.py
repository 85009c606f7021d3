"""Shared helpers for the API tests: bearer headers, the error shape, and row counts."""

from __future__ import annotations

import json

from lianxin.accounts.services import api_token_issue
from lianxin.audit.models import AuditEntry
from lianxin.cases.models import Case, CasePhoto, Dispatch

BASE = "/api/v1"
JSON = "application/json"


def bearer(user) -> dict[str, str]:
    key, _token = api_token_issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post_json(client, url: str, data, **extra):
    body = data if isinstance(data, (str, bytes)) else json.dumps(data)
    return client.post(url, body, content_type=JSON, **extra)


def assert_error(response, status: int, code: str | None = None) -> dict:
    """The one error shape: {"error": {"code", "message", "fields"}} with the expected status."""
    assert response.status_code == status, response.content.decode()[:500]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert list(body) == ["error"]
    error = body["error"]
    assert sorted(error) == ["code", "fields", "message"]
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["fields"], dict)
    if code is not None:
        assert error["code"] == code
    return error


def row_counts() -> tuple[int, int, int, int]:
    return Case.objects.count(), AuditEntry.objects.count(), CasePhoto.objects.count(), Dispatch.objects.count()
