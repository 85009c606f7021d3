"""Commenters' full names and phones are erased once the retention period after the consultation closes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lianxin.audit.models import AuditEntry
from lianxin.consultations.enums import ConsultationStatus
from lianxin.consultations.models import Comment, Consultation
from lianxin.consultations.retention import erase_expired_commenters
from tests.consultations.conftest import comment, make_consultation

pytestmark = pytest.mark.django_db


def test_commenters_are_erased_after_the_consultation_closes_and_the_period(settings, district):
    settings.CONSULTATION_CONTACT_RETENTION_DAYS = 180
    old = make_consultation(district)
    current = make_consultation(district, title="新的征求意见")
    erased, kept = comment(old), comment(current)
    Consultation.objects.filter(pk=old.pk).update(
        status=ConsultationStatus.CLOSED, closed_at=timezone.now() - dt.timedelta(days=200)
    )
    assert erase_expired_commenters() == 1
    erased.refresh_from_db()
    assert (erased.name_enc, erased.phone_enc, erased.phone_hash, erased.phone_masked) == ("", "", "", "")
    assert erased.body == "建议增加业主监督条款。" and erased.name_masked  # the comment and its public name stay
    kept.refresh_from_db()
    assert kept.phone_enc and kept.phone_hash
    assert Comment.objects.count() == 2
    assert AuditEntry.objects.get(action="consultations.commenters_erased").data["erased"] == 1
    assert erase_expired_commenters() == 0


def test_the_comment_notice_states_the_period(client, settings, district, consultation):
    settings.CONSULTATION_CONTACT_RETENTION_DAYS = 77
    page = client.get(f"/consultations/{consultation.pk}/").content.decode()
    assert "征求结束 77 天后删除" in page
