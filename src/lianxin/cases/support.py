"""Same matter, one handling: a citizen's "me too" (附议) instead of a second report, staff merging a duplicate into
the case that handles it, and the flag on a weak reply. Each function owns its change and writes its audit entry.

The text comparison that proposes the candidates (lianxin.topics) sits above this app; it calls these services,
and registers its reply check with `register_reply_checker` when Django starts (`reply_flags` asks it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin import privacy, validation
from lianxin.audit.services import log_action
from lianxin.cases.enums import OPEN_STATES, Action, ReplyFlag, Status
from lianxin.cases.models import Case, CaseSupporter
from lianxin.cases.notices import notify
from lianxin.cases.rules import allowed_actions, case_for_actor
from lianxin.errors import InvalidInput, NotAllowed, NotFound

logger = logging.getLogger("lianxin.cases")

# Open to a "me too": the matter is still being handled (not finished, not merged, not spam).
SUPPORTABLE = OPEN_STATES - {Status.FED_BACK}


def supportable_cases():
    return Case.objects.filter(status__in=SUPPORTABLE, merged_into__isnull=True, spam=False)


@transaction.atomic
def case_support(*, case_id: Any, phone: Any) -> tuple[Case, bool]:
    """A citizen adds their support to an open case (with their phone, so they are counted once and told of its
    public steps). Returns (case, added): added is False when this phone already supports it."""
    number = validation.integer(case_id, field="case", label=_("问题"), minimum=1)
    phone = validation.phone(phone, field="phone", label=_("手机号码"))
    case = supportable_cases().select_for_update(of=("self",)).filter(pk=number).first()
    if case is None:
        raise NotFound(_("这个问题已办结或不存在，请直接提交您的问题。"))
    phone_hash = privacy.keyed_hash(phone)
    if phone_hash == case.contact_phone_hash:
        raise NotAllowed(_("这是您自己反映的问题，不需要附议。"))
    if CaseSupporter.objects.filter(case=case, phone_hash=phone_hash).exists():
        return case, False
    try:
        with transaction.atomic():
            CaseSupporter.objects.create(case=case, phone_enc=privacy.encrypt(phone), phone_hash=phone_hash)
    except IntegrityError:
        return case, False
    Case.objects.filter(pk=case.pk).update(supporters=F("supporters") + 1)
    case.refresh_from_db(fields=["supporters"])
    log_action(
        actor=None,
        action="case.supported",
        subject_type="case",
        subject_id=case.pk,
        public=True,
        message=_("又有一位群众反映了同一问题（附议）。"),
        data={"supporters": case.supporters, "phone": privacy.mask_phone(phone)},
    )
    return case, True


@transaction.atomic
def case_merge(*, actor, case_id: int, into_id: Any, note: Any = "") -> Case:
    """Staff merge a duplicate (`case_id`, not yet dispatched: the states where it may be declined) into the case
    that handles the matter (`into_id`, open). The duplicate is closed as declined with the reason "合并办理"; its
    citizen (if they left a phone) and its supporters become supporters of the other case and hear of its steps."""
    into = validation.integer(into_id, field="into", label=_("合并到"), minimum=1)
    note = validation.text(note, field="note", label=_("说明"), required=False, max_length=500, multiline=True)
    duplicate = case_for_actor(actor, case_id)
    target = case_for_actor(actor, into)
    if duplicate.pk == target.pk:
        raise InvalidInput(_("不能与自身合并。"), fields={"into": [_("不能与自身合并。")]})
    if Action.DECLINE not in allowed_actions(actor, duplicate) or duplicate.merged_into_id:
        raise NotAllowed(_("这件民意件已在办理或已办结，不能再合并。"))
    locked = {c.pk: c for c in Case.objects.select_for_update(of=("self",)).filter(pk__in=[duplicate.pk, target.pk])}
    duplicate, target = locked[duplicate.pk], locked[target.pk]
    if target.status not in SUPPORTABLE or target.merged_into_id or target.spam:
        raise NotAllowed(_("要并入的民意件已办结或已合并，不能并入。"))
    now = timezone.now()
    moved = CaseSupporter.objects.filter(case=duplicate).exclude(phone_hash__in=_hashes(target)).update(case=target)
    CaseSupporter.objects.filter(case=duplicate).delete()
    added = moved
    if duplicate.contact_phone_enc and duplicate.contact_phone_hash not in _hashes(target):
        CaseSupporter.objects.create(
            case=target,
            phone_enc=duplicate.contact_phone_enc,
            phone_hash=duplicate.contact_phone_hash,
            merged_case=duplicate,
        )
        added += 1
    elif not duplicate.contact_phone_enc:
        added += 1  # an anonymous citizen is still one more person raising it
    reason = _("与 %(code)s 反映的是同一问题，已合并办理，办理进展会通知您。") % {"code": target.tracking_code}
    duplicate.status = Status.DECLINED
    duplicate.decline_reason = reason
    duplicate.closed_at = now
    duplicate.merged_into = target
    duplicate.supporters = 0
    duplicate.save(update_fields=["status", "decline_reason", "closed_at", "merged_into", "supporters", "updated_at"])
    target.supporters = F("supporters") + added
    target.save(update_fields=["supporters", "updated_at"])
    target.refresh_from_db(fields=["supporters"])
    entry = {"actor": actor, "subject_type": "case", "message": note}
    log_action(
        action="case.merged", subject_id=duplicate.pk, public=True, data={"into": target.pk, "status": "declined"},
        **{**entry, "message": reason},
    )  # fmt: skip
    log_action(
        action="case.merged_in", subject_id=target.pk, public=False,
        data={"from": duplicate.pk, "supporters": target.supporters}, **entry,
    )  # fmt: skip
    notify(duplicate, "case.declined")
    return duplicate


def _hashes(case: Case) -> set[str]:
    found = set(CaseSupporter.objects.filter(case=case).values_list("phone_hash", flat=True))
    if case.contact_phone_hash:
        found.add(case.contact_phone_hash)
    return found


# --- reply quality ----------------------------------------------------------------------------------------------

_reply_checker: Callable[[Case, str], list[str]] | None = None


def register_reply_checker(checker: Callable[[Case, str], list[str]]) -> None:
    """The app that judges replies (lianxin.topics) registers its check when Django starts."""
    global _reply_checker
    _reply_checker = checker


def reply_flags(case: Case, message: str) -> list[str]:
    """Why a reply looks weak (never blocks it): `case_reply` stores the reasons on the case, shown to staff before
    they give the feedback, and in the reply's own audit entry (`case.replied`, data `reply_flags`)."""
    if _reply_checker is None:
        return []
    try:
        return [r for r in _reply_checker(case, message) if r in ReplyFlag.values]
    except Exception:  # a failing check must not stop a unit's reply; it is logged and the reply goes through
        logger.exception("reply check failed for case %s", case.pk)
        return []
