"""Erasing commenters' full names and phones once CONSULTATION_CONTACT_RETENTION_DAYS have passed since the
consultation closed (PIPL). The comments, their public masked name and every count stay."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from lianxin.audit.retention import erase_personal_data
from lianxin.consultations.enums import ConsultationStatus
from lianxin.consultations.models import Comment, Consultation


def erase_expired_commenters(now: dt.datetime | None = None) -> int:
    """The daily job; audited with the count on every run."""
    now = now or timezone.now()
    days = settings.CONSULTATION_CONTACT_RETENTION_DAYS
    cutoff = now - dt.timedelta(days=days)
    closed = (
        Consultation.objects.filter(status=ConsultationStatus.CLOSED)
        .annotate(ended=Coalesce("closed_at", "deadline"))
        .filter(ended__lt=cutoff)
    )
    return erase_personal_data(
        rows=Comment.objects.filter(consultation__in=closed).filter(
            Q(name_enc__gt="") | Q(phone_enc__gt="") | Q(phone_hash__gt="") | Q(phone_masked__gt="")
        ),
        fields={"name_enc": "", "phone_enc": "", "phone_hash": "", "phone_masked": ""},
        days=days,
        cutoff=cutoff,
        action="consultations.commenters_erased",
        subject_type="consultation",
        message="征求意见结束满 {days} 天，删除意见人姓名和手机号 {count} 条。",
    )
