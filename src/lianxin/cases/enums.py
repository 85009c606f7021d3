from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    REGISTERED = "registered", _("已受理")
    ACKNOWLEDGED = "acknowledged", _("代表已回应")
    RESOLVED = "resolved", _("已就地解决")
    DISPATCHED = "dispatched", _("已交办")
    CLAIMED = "claimed", _("办理中")
    RETURNED = "returned", _("已退回")
    REPLIED = "replied", _("已答复")
    ESCALATED = "escalated", _("已提级")
    CONVERTED = "converted", _("已转代表建议")
    DECLINED = "declined", _("不予受理")
    FED_BACK = "fed_back", _("已反馈，待评价")
    RATED = "rated", _("已评价")
    REOPENED = "reopened", _("重办中")
    CLOSED = "closed", _("已办结")


OPEN_STATES = frozenset(
    {
        Status.REGISTERED,
        Status.ACKNOWLEDGED,
        Status.DISPATCHED,
        Status.CLAIMED,
        Status.RETURNED,
        Status.REPLIED,
        Status.RESOLVED,
        Status.ESCALATED,
        Status.FED_BACK,
        Status.REOPENED,
    }
)
DONE_STATES = frozenset({Status.RATED, Status.CLOSED, Status.DECLINED, Status.CONVERTED})
# States in which staff decide what happens next (dispatch, resolve, escalate, decline, convert).
TRIAGE_STATES = frozenset({Status.ACKNOWLEDGED, Status.ESCALATED, Status.RETURNED, Status.REOPENED})


class Channel(models.TextChoices):
    QR_STATION = "qr_station", _("联络站二维码")
    QR_DEPUTY = "qr_deputy", _("代表二维码")
    WEB = "web", _("网站")
    WALK_IN = "walk_in", _("来访接待")
    VISIT = "visit", _("代表走访")
    PHONE = "phone", _("电话")
    HOTLINE_12345 = "hotline_12345", _("12345热线")
    IMPORT = "import", _("导入")


# Channels where staff or a deputy register the matter for the citizen: the citizen never saw a "done" page
# with the private link, so the registration SMS carries it (cases/notices.py).
STAFF_CHANNELS = frozenset({Channel.WALK_IN, Channel.VISIT, Channel.PHONE, Channel.HOTLINE_12345})


class RequestType(models.TextChoices):
    CONSULTATION = "consultation", _("咨询")
    HELP = "help", _("求助")
    COMPLAINT = "complaint", _("投诉")
    REPORT = "report", _("举报")
    SUGGESTION = "suggestion", _("建议")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY_SATISFIED = "basically_satisfied", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class Light(models.TextChoices):
    NONE = "none", _("无时限")
    GREEN = "green", _("正常")
    YELLOW = "yellow", _("临期")
    RED = "red", _("超期")


class DispatchState(models.TextChoices):
    PENDING = "pending", _("待签收")
    CLAIMED = "claimed", _("已签收")
    RETURNED = "returned", _("已退回")
    REPLIED = "replied", _("已答复")
    WITHDRAWN = "withdrawn", _("已撤回")


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


class Action(models.TextChoices):
    """Every transition of the case loop; the API's `action` field takes these values."""

    ACKNOWLEDGE = "acknowledge", _("回应")
    RESOLVE_ON_SPOT = "resolve_on_spot", _("就地解决")
    DISPATCH = "dispatch", _("交办")
    CLAIM = "claim", _("签收")
    RETURN = "return", _("退回")
    REPLY = "reply", _("答复")
    REQUEST_EXTENSION = "request_extension", _("申请延期")
    APPROVE_EXTENSION = "approve_extension", _("批准延期")
    REJECT_EXTENSION = "reject_extension", _("驳回延期")
    ESCALATE = "escalate", _("提级")
    DECLINE = "decline", _("不予受理")
    CONVERT = "convert", _("转为代表建议")
    FEEDBACK = "feedback", _("反馈")
    CLOSE = "close", _("办结")
    URGE = "urge", _("催办")
    NOTE = "note", _("内部备注")
    CALL_BACK = "call_back", _("电话回访")


class ReplyFlag(models.TextChoices):
    """Why a unit's reply looks weak (checked by lianxin.topics when the reply is stored; never blocks it)."""

    BOILERPLATE = "boilerplate", _("答复只有客套话，没有实质内容")
    DEFLECTS = "deflects", _("答复只是让群众另找渠道，未作答复")
    UNRELATED = "unrelated", _("答复与所反映的问题关联不大")
    LATE = "late", _("答复超过办理时限")
