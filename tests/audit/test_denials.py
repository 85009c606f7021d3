"""Refused reveals are audit entries with result "denied" (and a granted one stays "ok")."""

from __future__ import annotations

import pytest

from lianxin.audit.models import AuditEntry
from lianxin.cases.services import case_reveal_contact
from lianxin.errors import NotAllowed
from tests.factories import submit_case

pytestmark = pytest.mark.django_db


def test_refused_case_reveal_is_audited_as_denied(district):
    case = submit_case()
    with pytest.raises(NotAllowed):
        case_reveal_contact(actor=district.leader, case_id=case.pk)
    entry = AuditEntry.objects.get(action="case.contact_revealed", subject_id=case.pk)
    assert entry.result == "denied" and entry.actor_username == "leader"
    assert case_reveal_contact(actor=district.office, case_id=case.pk)["phone"] == "13812341234"
    granted = AuditEntry.objects.filter(action="case.contact_revealed", result="ok").get()
    assert granted.actor_username == "office"


def test_refused_reveal_through_the_work_page(client, district):
    case = submit_case()
    client.force_login(district.leader)
    response = client.post(f"/work/cases/{case.pk}/reveal")
    assert response.status_code == 403
    assert AuditEntry.objects.filter(action="case.contact_revealed", result="denied").count() == 1
