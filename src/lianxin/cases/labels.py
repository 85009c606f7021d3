"""Chinese labels of the audit actions that make up a case's timeline: one wording for staff, one for citizens."""

from django.utils.translation import gettext_lazy as _

from lianxin.accounts.enums import Role

# Work screens and the authenticated API.
EVENT_LABELS = {
    "case.registered": _("受理"),
    "case.acknowledged": _("回应"),
    "case.resolved": _("就地解决"),
    "case.dispatched": _("交办"),
    "case.claimed": _("签收"),
    "case.returned": _("退回"),
    "case.replied": _("答复"),
    "case.extension_requested": _("申请延期"),
    "case.extension_approved": _("批准延期"),
    "case.extension_rejected": _("驳回延期"),
    "case.escalated": _("提级"),
    "case.declined": _("不予受理"),
    "case.converted": _("转为代表建议"),
    "case.suggestion_answered": _("代表建议已答复"),
    "case.fed_back": _("反馈"),
    "case.rated": _("评价"),
    "case.reopened": _("重办"),
    "case.closed": _("办结"),
    "case.closed_unrated": _("未评价办结"),
    "case.urged": _("催办"),
    "case.noted": _("内部备注"),
    "case.contact_revealed": _("查看完整联系方式"),
}

# The citizen's tracking page and the public tracking API: what happened, never who did it.
PUBLIC_EVENT_LABELS = {
    "case.registered": _("已受理"),
    "case.acknowledged": _("代表回应"),
    "case.dispatched": _("已交办"),
    "case.claimed": _("已签收"),
    "case.resolved": _("就地解决"),
    "case.replied": _("已答复"),
    "case.fed_back": _("办理结果反馈"),
    "case.rated": _("群众评价"),
    "case.reopened": _("启动重办"),
    "case.closed": _("办结"),
    "case.declined": _("不予受理"),
    "case.escalated": _("提级办理"),
    "case.converted": _("转为代表建议"),
    "case.suggestion_answered": _("代表建议已答复"),
    "case.extension_approved": _("延期"),
    "case.closed_unrated": _("未评价办结"),
}
PUBLIC_EVENT_FALLBACK = _("办理进展")

ACTOR_ROLE_LABELS = {**{role.value: role.label for role in Role}, "citizen": _("群众"), "system": _("系统")}


def event_label(action: str) -> str:
    return str(EVENT_LABELS.get(action, action))


def public_event_label(action: str) -> str:
    return str(PUBLIC_EVENT_LABELS.get(action, PUBLIC_EVENT_FALLBACK))
