from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    QUEUED = "queued", _("待提交窗口")
    REVIEWING = "reviewing", _("审查中")
    RETURNED = "returned", _("退回修改")
    MERGED = "merged", _("已并案")
    NOT_ACCEPTED = "not_accepted", _("不予立案")
    ACCEPTED = "accepted", _("已立案，待交办")
    ASSIGNED = "assigned", _("已交办，待签收")
    HANDLING = "handling", _("办理中")
    ANSWERED = "answered", _("已答复，待评价")
    FOLLOWING = "following", _("跟踪落实")
    RECHECKING = "rechecking", _("复核中")
    CLOSED = "closed", _("已办结")


DRAFT_STATES = frozenset({State.DRAFT, State.RETURNED})
# States once the office has the suggestion (everything but the deputy's own drafts).
SUBMITTED_STATES = frozenset(set(State.values) - {State.DRAFT})
WITH_UNITS_STATES = frozenset({State.ASSIGNED, State.HANDLING, State.ANSWERED, State.FOLLOWING, State.RECHECKING})
DONE_STATES = frozenset({State.MERGED, State.NOT_ACCEPTED, State.CLOSED})
# States with a running clock (and a traffic light).
CLOCK_STATES = frozenset({State.ASSIGNED, State.HANDLING, State.ANSWERED, State.RECHECKING})


class Mode(models.TextChoices):
    LEAD = "lead", _("主办+协办")
    SPLIT = "split", _("分办")


class UnitRole(models.TextChoices):
    LEAD = "lead", _("主办")
    CO = "co", _("协办")
    SPLIT = "split", _("分办")


class AssignmentState(models.TextChoices):
    PENDING = "pending", _("待签收")
    SIGNED = "signed", _("已签收")
    RETURNED = "returned", _("已退回")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已结束")


ACTIVE_ASSIGNMENT_STATES = frozenset({AssignmentState.PENDING, AssignmentState.SIGNED, AssignmentState.ANSWERED})


class RecordKind(models.TextChoices):
    PHONE = "phone", _("电话联系")
    VISIT = "visit", _("走访")
    FACE_TO_FACE = "face_to_face", _("面商")
    INQUIRY = "inquiry", _("专题询问")
    ONSITE = "onsite", _("现场督办")


CONTACT_KINDS = frozenset({RecordKind.PHONE, RecordKind.VISIT, RecordKind.FACE_TO_FACE})
SUPERVISION_KINDS = frozenset({RecordKind.INQUIRY, RecordKind.ONSITE})


class Action(models.TextChoices):
    """Every step of a suggestion; the API's `action` field takes these values."""

    EDIT = "edit", _("修改")
    ADD_COSIGNER = "add_cosigner", _("邀请附议")
    REMOVE_COSIGNER = "remove_cosigner", _("移除附议")
    CONFIRM_COSIGN = "confirm_cosign", _("确认附议")
    DECLINE_COSIGN = "decline_cosign", _("不附议")
    LINK_CASES = "link_cases", _("关联民意件")
    SUBMIT = "submit", _("提交")
    WITHDRAW = "withdraw", _("撤回待提交")
    ADMIT_EARLY = "admit_early", _("窗口外提前受理")
    ACCEPT = "accept", _("审查通过")
    RETURN_FOR_REVISION = "return_for_revision", _("退回修改")
    MERGE = "merge", _("并案")
    NOT_ACCEPT = "not_accept", _("不予立案")
    ASSIGN = "assign", _("交办")
    SIGN = "sign", _("签收")
    RETURN_ASSIGNMENT = "return_assignment", _("退回交办")
    REASSIGN = "reassign", _("改交办")
    SEND_OPINION = "send_opinion", _("提交协办意见")
    RECORD_CONTACT = "record_contact", _("记录沟通联系")
    REQUEST_EXTENSION = "request_extension", _("申请延期")
    APPROVE_EXTENSION = "approve_extension", _("批准延期")
    REJECT_EXTENSION = "reject_extension", _("驳回延期")
    ANSWER = "answer", _("答复")
    RATE = "rate", _("评价")
    FOLLOW_UP = "follow_up", _("续报落实情况")
    SECOND_ASSIGN = "second_assign", _("复核后二次交办")
    CLOSE = "close", _("办结")
    SET_PUBLICATION = "set_publication", _("设置公开")
    MARK_KEY = "mark_key", _("列为重点督办")
    RECORD_SUPERVISION = "record_supervision", _("记录督办")
    URGE = "urge", _("催办")
