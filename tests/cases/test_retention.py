"""Case contacts are erased when their retention period ends, or at once when the citizen asks (PIPL)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.utils import timezone

from lianxin.audit.models import AuditEntry
from lianxin.cases.codes import follow_up_token
from lianxin.cases.enums import Status
from lianxin.cases.models import Case
from lianxin.cases.retention import erase_expired_contacts
from lianxin.cockpit import rollups
from lianxin.cockpit.models import RollupBase
from tests.factories import submit_case

pytestmark = pytest.mark.django_db
CONTACT = ("contact_name_enc", "contact_phone_enc", "contact_phone_hash", "contact_name_masked", "contact_phone_masked")


def _finish(case: Case, days_ago: int, status: str = Status.CLOSED) -> Case:
    at = timezone.now() - dt.timedelta(days=days_ago)
    Case.objects.filter(pk=case.pk).update(status=status, closed_at=at)
    case.refresh_from_db()
    return case


def _figures() -> list:
    rollups.rebuild_all()
    rows = []
    for model in apps.get_app_config("cockpit").get_models():
        if issubclass(model, RollupBase):
            rows += sorted(
                tuple(sorted((k, str(v)) for k, v in r.items() if k != "id")) for r in model.objects.values()
            )
    return rows


def test_the_daily_job_erases_contacts_after_the_period_and_keeps_the_figures(settings, district):
    settings.CASE_CONTACT_RETENTION_DAYS = 365
    expired = _finish(submit_case(), 400)
    recent = _finish(submit_case(title="刚办结的"), 10)
    still_open = submit_case(title="办理中的")
    before = _figures()
    assert erase_expired_contacts() == 1
    expired.refresh_from_db()
    assert all(getattr(expired, f) == "" for f in CONTACT)
    assert expired.title == "小区路灯不亮" and expired.status == Status.CLOSED
    for kept in (recent, still_open):
        kept.refresh_from_db()
        assert kept.contact_phone_enc and kept.contact_phone_masked == "138****1234"
    assert _figures() == before and before
    run = AuditEntry.objects.filter(action="cases.contacts_erased").get()
    assert run.data["erased"] == 1 and run.data["days"] == 365
    assert erase_expired_contacts() == 0  # nothing left; the run is still recorded
    assert AuditEntry.objects.filter(action="cases.contacts_erased").count() == 2


def _track(client, case, **extra):
    token = follow_up_token(case.tracking_code)
    return client.post(f"/track/{case.tracking_code}/erase-contact", {"token": token, **extra}), token


def test_citizen_erases_contact_of_a_finished_case_through_the_follow_up_link(client, district):
    case = _finish(submit_case(), 1)
    page = client.get(f"/track/{case.tracking_code}?{urlencode({'token': follow_up_token(case.tracking_code)})}")
    assert "删除我的联系方式" in page.content.decode()
    response, token = _track(client, case)  # no confirmation ticked: nothing erased
    assert response.status_code == 422
    case.refresh_from_db()
    assert case.contact_phone_enc
    response, token = _track(client, case, confirm="yes")
    assert response.status_code == 302
    case.refresh_from_db()
    assert all(getattr(case, f) == "" for f in CONTACT)
    entry = AuditEntry.objects.get(action="case.contact_erased", subject_id=case.pk)
    assert entry.actor_role == "citizen" and entry.public
    again, _ = _track(client, case, confirm="yes")  # idempotent: no error, no second entry
    assert again.status_code == 302
    assert AuditEntry.objects.filter(action="case.contact_erased").count() == 1
    page = client.get(f"/track/{case.tracking_code}?{urlencode({'token': token})}")
    assert page.status_code == 200 and "小区路灯不亮" in page.content.decode()  # the link still works
    assert "删除我的联系方式" not in page.content.decode()


def test_erasure_waits_for_the_case_to_be_finished_and_needs_the_token(client, district):
    case = submit_case()
    response, _ = _track(client, case, confirm="yes")
    assert response.status_code == 409
    case.refresh_from_db()
    assert case.contact_phone_enc
    wrong = client.post(f"/track/{case.tracking_code}/erase-contact", {"token": "x" * 20, "confirm": "yes"})
    assert wrong.status_code == 404
    assert not AuditEntry.objects.filter(action="case.contact_erased").exists()


def test_the_privacy_notice_states_the_period_from_the_setting(client, settings, district):
    settings.CASE_CONTACT_RETENTION_DAYS = 123
    page = client.get(f"/s/{district.station.code}").content.decode()
    assert "办结 123 天后删除" in page
