"""The auditor searches the audit log and exports what was found; nobody else reads it."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from lianxin.audit.models import AuditEntry
from lianxin.audit.services import log_action

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(district):
    old = timezone.now() - dt.timedelta(days=40)
    log_action(actor=district.office, action="case.dispatched", subject_type="case", subject_id=7, created_at=old)
    log_action(actor=district.station_staff, action="case.noted", subject_type="case", subject_id=8)
    log_action(
        actor=district.leader,
        action="case.contact_revealed",
        subject_type="case",
        subject_id=7,
        result="denied",
        message="=HYPERLINK(1)",
    )


def _actions(response) -> list[str]:
    return [e.action for e in response.context["page"]]


def test_search_by_each_criterion(client, district, entries):
    client.force_login(district.auditor)
    assert _actions(client.get("/audit/", {"actor": "offi"})) == ["case.dispatched"]
    assert _actions(client.get("/audit/", {"result": "denied"})) == ["case.contact_revealed"]
    assert _actions(client.get("/audit/", {"subject_type": "case", "subject_id": "7"})) == [
        "case.contact_revealed",
        "case.dispatched",
    ]
    today = timezone.localdate().isoformat()
    assert "case.dispatched" not in _actions(client.get("/audit/", {"date_from": today}))
    assert _actions(client.get("/audit/", {"date_to": (timezone.localdate() - dt.timedelta(days=30)).isoformat()})) == [
        "case.dispatched"
    ]
    assert _actions(client.get("/audit/", {"action": "case.no"})) == ["case.noted"]
    assert client.get("/audit/", {"date_from": "not-a-date", "subject_id": "x"}).status_code == 200


def test_export_csv_and_excel_of_the_search(client, district, entries):
    client.force_login(district.auditor)
    response = client.get("/audit/export.csv", {"subject_id": "7"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][0] == "编号" and [r[4] for r in rows[1:]] == ["case.contact_revealed", "case.dispatched"]
    assert rows[1][2] == "leader" and rows[1][7] == "denied" and rows[1][8] == "'=HYPERLINK(1)"
    response = client.get("/audit/export.xlsx", {"result": "denied"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][0] == "编号" and len(values) == 2 and values[1][4] == "case.contact_revealed"
    exported = AuditEntry.objects.filter(action="audit.exported").order_by("id")
    assert [e.data["format"] for e in exported] == ["csv", "xlsx"] and exported[0].data["rows"] == 2
    assert client.get("/audit/export.pdf").status_code == 404


def test_others_get_404_and_the_refusal_is_audited(client, district, entries):
    client.force_login(district.office)
    assert client.get("/audit/").status_code == 404
    assert client.get("/audit/export.csv").status_code == 404
    denied = AuditEntry.objects.filter(action="audit.log_viewed", result="denied", actor_username="office")
    assert denied.count() == 2
