"""Erasing citizens' contact data from finished cases (PIPL): by the daily job once the retention period
(CASE_CONTACT_RETENTION_DAYS after the case is finished) ends, or at once when the citizen asks through the
follow-up link. The case, its text, its timeline and every figure stay; only the name and phone go."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.audit.retention import erase_personal_data
from lianxin.audit.services import log_action
from lianxin.cases.codes import token_matches
from lianxin.cases.enums import DONE_STATES
from lianxin.cases.models import Case, CaseSupporter
from lianxin.errors import NotAllowed, NotFound

ERASED = {
    "contact_name_enc": "",
    "contact_phone_enc": "",
    "contact_phone_hash": "",
    "contact_name_masked": "",
    "contact_phone_masked": "",
}
_HAS_CONTACT = Q(contact_name_enc__gt="") | Q(contact_phone_enc__gt="") | Q(contact_phone_hash__gt="")


def has_contact(case: Case) -> bool:
    return bool(case.contact_name_enc or case.contact_phone_enc or case.contact_phone_hash)


def erasable(case: Case) -> bool:
    """The citizen may have the contact data erased once the case is finished."""
    return case.status in DONE_STATES and has_contact(case)


def erase_expired_contacts(now: dt.datetime | None = None) -> int:
    """The daily job: erase the contact data of cases finished more than the retention period ago. Audited with
    the count (also when nothing was due, so every run shows in the log)."""
    now = now or timezone.now()
    days = settings.CASE_CONTACT_RETENTION_DAYS
    cutoff = now - dt.timedelta(days=days)
    finished_before = (
        Q(closed_at__lt=cutoff)
        | Q(closed_at__isnull=True, rated_at__lt=cutoff)
        | Q(closed_at__isnull=True, rated_at__isnull=True, updated_at__lt=cutoff)
    )
    finished = Case.objects.filter(finished_before, status__in=DONE_STATES)
    with transaction.atomic():
        # supporters ("me too") of those cases: their phones go with the cases' own contact data
        CaseSupporter.objects.filter(case__in=finished.values("pk")).exclude(phone_enc="", phone_hash="").update(
            phone_enc="", phone_hash=""
        )
        return erase_personal_data(
            rows=finished.filter(_HAS_CONTACT),
            fields=ERASED,
            days=days,
            cutoff=cutoff,
            action="cases.contacts_erased",
            subject_type="case",
            message="办结满 {days} 天的民意件，删除群众姓名和电话 {count} 件（附议人的电话一并删除）。",
        )


def case_erase_contact(*, tracking_code: str, token: str) -> bool:
    """The citizen, holding the follow-up link, has the contact data of a finished case erased now. Idempotent:
    True when something was erased, False when it already was (no second audit entry)."""
    with transaction.atomic():
        case = Case.objects.select_for_update().filter(tracking_code=str(tracking_code)).first()
        if case is None or not token_matches(case.tracking_code, token, case.follow_up_generation):
            raise NotFound(_("查询码或凭证不正确。"))
        if not has_contact(case):
            return False
        if case.status not in DONE_STATES:
            raise NotAllowed(_("办结后才能删除联系方式。"), code="not_finished")
        Case.objects.filter(pk=case.pk).update(**ERASED)
        log_action(
            actor=None,
            actor_role="citizen",
            action="case.contact_erased",
            subject_type="case",
            subject_id=case.pk,
            public=True,
            message="应您的要求，已删除您的姓名和联系电话。",
            data={"by": "citizen"},
        )
    return True
