"""Spam and floods in the queues: staff mark cases as spam (hidden from the queues unless asked for) and
decline the marked ones in bulk with one reason. Permissions are the decline's: whoever may decline a case
may mark it; a case the actor cannot see is a 404 and nothing of the batch is changed."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.audit.services import log_action
from lianxin.cases import services
from lianxin.cases.enums import Action
from lianxin.cases.models import Case
from lianxin.cases.rules import allowed_actions, case_for_actor
from lianxin.errors import InvalidInput, NotAllowed

BULK_MAX = 500


def _may_decline(actor, case: Case) -> None:
    if Action.DECLINE not in allowed_actions(actor, case):
        raise NotAllowed(_("当前状态下不能标记或不予受理该件。"))


@transaction.atomic
def case_mark_spam(*, actor, case_id: int, spam: bool = True) -> Case:
    case = case_for_actor(actor, case_id)  # 404 when not visible
    _may_decline(actor, case)
    Case.objects.filter(pk=case.pk).update(spam=spam)
    case.spam = spam
    log_action(
        actor=actor,
        action="case.spam_marked" if spam else "case.spam_cleared",
        subject_type="case",
        subject_id=case.pk,
        public=False,
        data={"status": case.status},
    )
    return case


@transaction.atomic
def cases_decline_spam(*, actor, case_ids: list[int], reason: str) -> list[Case]:
    """Decline every listed case as spam with one reason: each through the decline (its checks, its public
    entry and the citizen's notice), marked as spam, and one entry for the batch. All or nothing."""
    ids = list(dict.fromkeys(int(i) for i in case_ids))
    if not ids:
        raise InvalidInput(_("请选择要处理的件。"), fields={"case_ids": [_("请选择要处理的件。")]})
    if len(ids) > BULK_MAX:
        message = _("一次最多处理 %(n)s 件。") % {"n": BULK_MAX}
        raise InvalidInput(message, fields={"case_ids": [message]})
    declined = []
    for case_id in ids:
        case = services.case_decline(actor=actor, case_id=case_id, reason=reason)
        declined.append(case)
    Case.objects.filter(pk__in=ids).update(spam=True)
    for case in declined:
        case.spam = True
        log_action(
            actor=actor,
            action="case.spam_declined",
            subject_type="case",
            subject_id=case.pk,
            public=False,
            message=case.decline_reason,
            data={"batch": len(ids)},
        )
    return declined
