"""Recovering a lost follow-up link (找回查询链接): tracking code + the phone left with the matter → a one-time
SMS code → a new follow-up token; the old link stops working.

No oracle: asking for a code answers the same whether or not the phone belongs to the case (a code is only
made and sent when it does), and every failure of the second step (no code, wrong code, wrong phone, expired,
used, too many tries) is the same message. The phone is compared through the case's keyed hash, never stored
here; the SMS goes to the phone stored (encrypted) with the case, not to the one typed. Rate limits are the
callers' (throttle scope "recover"); the SMS caps of notifications/caps.py apply to the code's SMS."""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin import privacy, validation
from lianxin.audit.services import log_action
from lianxin.cases.codes import GENERATION_MAX, follow_up_token
from lianxin.cases.models import Case, FollowUpCode
from lianxin.errors import InvalidInput, NotAllowed
from lianxin.notifications.services import queue_task, send_now, to_citizen

logger = logging.getLogger("lianxin.cases")

CODE_RE = re.compile(r"^[A-Z0-9]{4,20}$")
SMS_CODE_RE = re.compile(r"^[0-9]{6}$")
SEND_TASK = "lianxin.cases.tasks.send_follow_up_code"


def _tracking_code(value: Any, errors: validation.Errors) -> str:
    code = validation.text(value, field="tracking_code", label=_("查询码"), max_length=20, errors=errors)
    code = code.replace(" ", "").upper()
    if "tracking_code" in errors:
        return ""
    if not code:
        errors.add("tracking_code", _("请填写查询码。"))
    elif not CODE_RE.match(code):
        errors.add("tracking_code", _("查询码格式不正确（如 LX 开头的 10 位字母数字）。"))
    return code


def _phone(value: Any, errors: validation.Errors) -> str:
    return validation.phone(value, field="phone", label=_("登记时留的电话"), errors=errors)


def _case_with_phone(tracking_code: str, phone: str) -> Case | None:
    """The case if this phone is the one left with it (compared through the keyed hash), else None."""
    case = Case.objects.filter(tracking_code=tracking_code).only(
        "pk", "tracking_code", "contact_phone_hash", "contact_phone_enc", "contact_phone_masked",
        "follow_up_generation",
    ).first()  # fmt: skip
    expected = privacy.keyed_hash(phone)
    if case is None or not case.contact_phone_hash or not case.contact_phone_enc:
        privacy.same_token(expected, expected)  # the same work either way
        return None
    return case if privacy.same_token(case.contact_phone_hash, expected) else None


def _code_hash(case_id: int, code: str) -> str:
    return privacy.keyed_hash(code, purpose=f"follow-up-code:{case_id}")


def follow_up_code_send(*, tracking_code: Any, phone: Any, now=None) -> None:
    """Step 1: if the phone is the case's, make a 6-digit code and send it by SMS (task on commit).
    Returns nothing: the caller answers the same whether or not a code was sent."""
    errors = validation.Errors()
    tracking_code = _tracking_code(tracking_code, errors)
    phone = _phone(phone, errors)
    errors.check()
    case = _case_with_phone(tracking_code, phone)
    if case is None:
        return
    now = now or timezone.now()
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        record = FollowUpCode.objects.create(
            case=case,
            code_hash=_code_hash(case.pk, code),
            code_enc=privacy.encrypt(code),
            expires_at=now + dt.timedelta(minutes=settings.FOLLOW_UP_CODE_MINUTES),
        )
        queue_task(SEND_TASK, record.pk)


def follow_up_code_deliver(record_id: int) -> bool:
    """The task's work: hand the code to the citizen channel at once (never an outbox row: it is a secret), then
    forget it. Over the SMS cap the channel refuses and the citizen asks again later."""
    record = (
        FollowUpCode.objects.filter(pk=record_id, used_at__isnull=True)
        .exclude(code_enc="")
        .select_related("case")
        .first()
    )
    if record is None or not record.case.contact_phone_enc:
        return False
    code = privacy.decrypt(record.code_enc)
    body = (
        f"【连心】您正在找回民意件 {record.case.tracking_code} 的查询链接，验证码 {code}，"
        f"{settings.FOLLOW_UP_CODE_MINUTES} 分钟内有效。如非本人操作请忽略，请勿告诉他人。"
    )
    try:
        send_now(to_citizen(record.case.contact_phone_enc), event="case.follow_up_code", body=body)
    except Exception:  # the citizen asks for a new code; the failure (or the SMS cap) is logged
        logger.warning("follow-up code %s not sent", record_id, exc_info=True)
        return False
    finally:
        FollowUpCode.objects.filter(pk=record_id).update(code_enc="")
    return True


def bad_code_message() -> str:
    text = _("验证码不正确或已失效（有效期 %(minutes)s 分钟，最多输错 %(attempts)s 次，只能使用一次），请重新获取。")
    return text % {
        "minutes": settings.FOLLOW_UP_CODE_MINUTES,
        "attempts": settings.FOLLOW_UP_CODE_ATTEMPTS,
    }


def follow_up_recover(*, tracking_code: Any, phone: Any, code: Any, now=None) -> tuple[Case, str]:
    """Step 2: the SMS code entered → the case's link generation goes up by one and its new token is returned
    (the old link stops working). Audited as case.follow_up_recovered (the phone masked)."""
    errors = validation.Errors()
    tracking_code = _tracking_code(tracking_code, errors)
    phone = _phone(phone, errors)
    raw = validation.text(code, field="code", label=_("验证码"), max_length=20, errors=errors).replace(" ", "")
    if "code" not in errors and not SMS_CODE_RE.match(raw):
        errors.add("code", _("请填写短信中的 6 位数字验证码。"))
    errors.check()
    now = now or timezone.now()
    message = bad_code_message()
    refused = InvalidInput(message, code="bad_code", fields={"code": [message]})
    case = _case_with_phone(tracking_code, phone)
    if case is None:
        raise refused
    record = FollowUpCode.objects.filter(case=case, used_at__isnull=True, expires_at__gt=now).order_by("-id").first()
    if record is None or record.attempts >= settings.FOLLOW_UP_CODE_ATTEMPTS:
        raise refused
    if not privacy.same_token(record.code_hash, _code_hash(case.pk, raw)):
        # Counted outside any transaction, so the failed try sticks although the caller gets an error.
        FollowUpCode.objects.filter(pk=record.pk).update(attempts=F("attempts") + 1)
        raise refused
    with transaction.atomic():
        # Single use: only the request that marks the code used goes on (two at once: one wins).
        if not FollowUpCode.objects.filter(pk=record.pk, used_at__isnull=True).update(used_at=now, code_enc=""):
            raise refused
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.follow_up_generation >= GENERATION_MAX:
            raise NotAllowed(_("该民意件的查询链接不能再重新生成，请联系联络站。"), code="too_many_links")
        generation = case.follow_up_generation + 1
        Case.objects.filter(pk=case.pk).update(follow_up_generation=generation)
        case.follow_up_generation = generation
        log_action(
            actor=None,
            actor_role="citizen",
            action="case.follow_up_recovered",
            subject_type="case",
            subject_id=case.pk,
            data={"generation": generation, "phone": case.contact_phone_masked},
        )
    return case, follow_up_token(case.tracking_code, generation)
