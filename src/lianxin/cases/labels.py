"""Chinese labels of the audit actions that make up a case's timeline: one wording for staff, one for citizens;
and the citizens' text of the steps the system words itself."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from lianxin.accounts.enums import Role
from lianxin.audit import texts
from lianxin.cases.enums import Rating

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
    "case.instructed": _("交办意见（内部）"),
    "case.called_back": _("电话回访"),
    "case.contact_revealed": _("查看完整联系方式"),
    "case.text_revealed": _("查看内容中的个人信息"),
    "case.contact_erased": _("删除群众联系方式"),
    "case.follow_up_recovered": _("群众找回查询链接"),
    "case.merged_rated": _("并入件的群众评价"),
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
    "case.contact_erased": _("删除联系方式"),
}
PUBLIC_EVENT_FALLBACK = _("办理进展")

# The text of the steps the system words itself, rendered in the reader's language when shown (audit/texts.py);
# each needs the keys it names: code (the case's tracking code, given by the caller) and the entry's data.
# These entries' stored message is the fixed Chinese sentence of their time (shown only if the data lack a key).
SYSTEM_MESSAGES = {
    "case.registered": _("您反映的问题已受理，查询码 %(code)s。"),
    "case.extension_approved": ngettext_lazy(
        "办理时限延长 %(workdays)s 个工作日。", "办理时限延长 %(workdays)s 个工作日。", "workdays"
    ),
    "case.converted": _("已转为代表建议，建议答复后将告知您。"),
    "case.reopened": _("因群众不满意，已启动重办。"),
    "case.closed_unrated": _("评价期满未评价，自动办结。"),
    "case.contact_erased": _("应您的要求，已删除您的姓名和联系电话。"),
}


def _rated(data: dict) -> str | None:
    if data.get("rating") not in Rating.values:
        return None
    return _("群众评价：%(rating)s。") % {"rating": Rating(data["rating"]).label}


def _dispatched(data: dict) -> str | None:
    if "unit" not in data:
        return None
    if data.get("automatic"):  # by the triage's category suggestion and a routing rule (cases.services)
        return _("系统按智能分类建议（%(category)s）自动交办%(unit)s办理。") % {
            "category": data.get("category", ""),
            "unit": data["unit"],
        }
    return _("已交办%(unit)s办理。") % {"unit": data["unit"]}


# Steps whose sentence comes from the data and whose stored message holds only a person's words (shown below
# it): the entries written since they were marked `words_only` (older ones stored the whole text).
SYSTEM_MESSAGES_WITH_WORDS = {
    "case.dispatched": _dispatched,
    "case.claimed": _("%(unit)s已签收。"),
    "case.escalated": _("已提交%(division)s处理。"),
    "case.rated": _rated,
    "case.closed": _("已办结。"),
    "case.called_back": _("已电话回访。"),
}
texts.register(SYSTEM_MESSAGES)
texts.register(SYSTEM_MESSAGES_WITH_WORDS, words=True)

ACTOR_ROLE_LABELS = {**{role.value: role.label for role in Role}, "citizen": _("群众"), "system": _("系统")}


def event_label(action: str) -> str:
    return str(EVENT_LABELS.get(action, action))


def public_event_label(action: str) -> str:
    return str(PUBLIC_EVENT_LABELS.get(action, PUBLIC_EVENT_FALLBACK))


def event_message(action: str, data: dict | None, message: str, *, tracking_code: str) -> str:
    """A step's text in the active language (audit/texts.py): the system's sentence rendered from the data, with
    the words a person wrote below it; the stored message for entries written before the data were recorded."""
    return texts.entry_text(action, data, message, code=tracking_code)


public_event_message = event_message
