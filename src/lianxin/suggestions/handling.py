"""Handling by the units: sign for it, return a wrong assignment, co-unit opinions, contacts with the deputy,
extensions, and the answer (with category and document) that the deputy then rates."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.audit.services import log_action
from lianxin.cases.enums import ExtensionState
from lianxin.errors import InvalidInput, NotAllowed
from lianxin.suggestions import conf, deadlines
from lianxin.suggestions.common import (
    date,
    deputy_user,
    integer,
    locked,
    log,
    notify_users,
    now,
    require,
    save,
    text,
)
from lianxin.suggestions.enums import CONTACT_KINDS, Action, AssignmentState, Mode, RecordKind, State, UnitRole
from lianxin.suggestions.lifecycle import finish, refresh_state, summary_of
from lianxin.suggestions.models import Answer, Assignment, Extension, Record, Suggestion
from lianxin.suggestions.rules import LEAD_ROLES, standing
from lianxin.workdays.services import add_working_days

PDF_MAGIC = b"%PDF-"


def _mine(actor, suggestion: Suggestion, *states: str, roles=()) -> Assignment:
    rows = standing(actor, suggestion).mine(*states, roles=roles)
    return Assignment.objects.select_for_update().select_related("unit").get(pk=rows[0].pk)


@transaction.atomic
def suggestion_sign(*, actor, suggestion_id) -> Suggestion:
    suggestion = locked(actor, suggestion_id)
    require(actor, suggestion, Action.SIGN)
    assignment = _mine(actor, suggestion, AssignmentState.PENDING)
    moment = now()
    assignment.state = AssignmentState.SIGNED
    assignment.signed_at = moment
    assignment.save(update_fields=["state", "signed_at"])
    refresh_state(suggestion)
    log(
        actor,
        suggestion,
        "signed",
        unit=assignment.unit.name,
        unit_role=assignment.role,
        unit_id=assignment.unit_id,
        words_only=True,
        on_time=moment <= assignment.sign_due_at,
    )
    return suggestion


@transaction.atomic
def suggestion_return_assignment(*, actor, suggestion_id, reason: Any) -> Suggestion:
    """A wrongly assigned unit returns it with reasons within the limit; the office reassigns it."""
    suggestion = locked(actor, suggestion_id)
    require(actor, suggestion, Action.RETURN_ASSIGNMENT)
    reason = text(reason, "reason", label=_("退回理由"), required=True)
    moment = now()
    rows = [
        a
        for a in standing(actor, suggestion).mine(AssignmentState.PENDING, AssignmentState.SIGNED)
        if moment <= a.return_due_at
    ]
    assignment = Assignment.objects.select_for_update().select_related("unit").get(pk=rows[0].pk)
    assignment.state = AssignmentState.RETURNED
    assignment.returned_at = moment
    assignment.return_reason = reason
    assignment.save(update_fields=["state", "returned_at", "return_reason"])
    refresh_state(suggestion)
    log(
        actor,
        suggestion,
        "assignment_returned",
        message=f"{assignment.unit.name} 退回：{reason}",
        unit_id=assignment.unit_id,
    )
    return suggestion


@transaction.atomic
def suggestion_send_opinion(*, actor, suggestion_id, message: Any) -> Suggestion:
    """A co-unit sends its opinion to the lead unit (协办意见)."""
    suggestion = locked(actor, suggestion_id)
    require(actor, suggestion, Action.SEND_OPINION)
    message = text(message, "message", label=_("协办意见"), required=True)
    assignment = _mine(actor, suggestion, AssignmentState.SIGNED, roles=(UnitRole.CO,))
    moment = now()
    assignment.opinion = message
    assignment.opinion_at = moment
    assignment.save(update_fields=["opinion", "opinion_at"])
    log(
        actor,
        suggestion,
        "opinion_sent",
        message=f"{assignment.unit.name}：{message}",
        unit_id=assignment.unit_id,
        on_time=assignment.opinion_due_at is None or moment <= assignment.opinion_due_at,
    )
    return suggestion


@transaction.atomic
def suggestion_record_contact(*, actor, suggestion_id, kind: Any, happened_on: Any, note: Any) -> Suggestion:
    """沟通联系 with the deputy before answering: by phone, a visit, or face to face (面商)."""
    suggestion = locked(actor, suggestion_id)
    require(actor, suggestion, Action.RECORD_CONTACT)
    if kind not in CONTACT_KINDS:
        raise InvalidInput(_("请选择联系方式。"), fields={"kind": [_("请选择电话联系、走访或面商。")]})
    day = date(happened_on, "happened_on", label=_("联系日期"))
    note = text(note, "note", label=_("联系情况"), required=True)
    assignment = _mine(actor, suggestion, AssignmentState.SIGNED, AssignmentState.ANSWERED)
    Record.objects.create(
        suggestion=suggestion, unit=assignment.unit, kind=kind, happened_on=day, note=note, created_by=actor
    )
    log(
        actor,
        suggestion,
        "contact_recorded",
        message=f"{assignment.unit.name} {RecordKind(kind).label}（{day:%Y-%m-%d}）：{note}",
        kind=kind,
        unit_id=assignment.unit_id,
    )
    return suggestion


@transaction.atomic
def suggestion_request_extension(*, actor, suggestion_id, months: Any, reason: Any) -> Suggestion:
    suggestion = locked(actor, suggestion_id)
    require(actor, suggestion, Action.REQUEST_EXTENSION)
    months = integer(months, "months", label=_("延期月数"), maximum=conf.answer_max_months())
    reason = text(reason, "reason", label=_("延期理由"), required=True)
    if now() > suggestion.answer_due_at:
        raise NotAllowed(_("已超过答复期限，不能再申请延期。"), code="extension_too_late")
    cap = deadlines.add_months(suggestion.assigned_at, conf.answer_max_months())
    if deadlines.add_months(suggestion.answer_due_at, months) > cap:
        raise InvalidInput(
            _("延期后答复期限不能超过交办后 %(answer_max_months)s 个月（%(cap)s）。")
            % {
                "answer_max_months": conf.answer_max_months(),
                "cap": f"{cap:%Y-%m-%d}",
            },
            fields={"months": [_("延期太长。")]},
        )
    assignment = _mine(actor, suggestion, AssignmentState.SIGNED, roles=LEAD_ROLES)
    Extension.objects.create(
        suggestion=suggestion, assignment=assignment, months=months, reason=reason, requested_by=actor
    )
    log(
        actor,
        suggestion,
        "extension_requested",
        message=f"{assignment.unit.name} 申请延期 {months} 个月：{reason}",
        months=months,
    )
    return suggestion


@transaction.atomic
def suggestion_decide_extension(*, actor, suggestion_id, approve: bool, message: Any = "") -> Suggestion:
    """The office approves (the deputy is told the new deadline) or rejects (with a reason) an extension."""
    suggestion = locked(actor, suggestion_id)
    require(actor, suggestion, Action.APPROVE_EXTENSION if approve else Action.REJECT_EXTENSION)
    message = text(message, "message", label=_("审批意见"), required=not approve)
    extension = suggestion.extensions.select_for_update().get(state=ExtensionState.PENDING)
    extension.state = ExtensionState.APPROVED if approve else ExtensionState.REJECTED
    extension.decided_by = actor
    extension.decided_at = now()
    extension.save()
    if approve:
        suggestion.answer_due_at = deadlines.add_months(suggestion.answer_due_at, extension.months)
        suggestion.assignments.filter(round=suggestion.round).update(answer_due_at=suggestion.answer_due_at)
        save(suggestion)
        log(
            actor,
            suggestion,
            "extension_approved",
            message=f"同意延期 {extension.months} 个月，答复期限延至 "
            f"{suggestion.answer_due_at:%Y-%m-%d}。" + (f"\n{message}" if message else ""),
            answer_due_at=suggestion.answer_due_at.isoformat(),
        )
        notify_users(
            [deputy_user(suggestion)],
            suggestion=suggestion,
            event="suggestion.extension_approved",
            body=f"经批准，答复期限延至 {suggestion.answer_due_at:%Y-%m-%d}。",
        )
    else:
        log(actor, suggestion, "extension_rejected", message=message)
    return suggestion


def _document(upload) -> tuple[ContentFile | None, str]:
    if upload is None:
        return None, ""
    size = getattr(upload, "size", 0) or 0
    if size > conf.document_max_bytes():
        limit = conf.document_max_bytes() // (1024 * 1024)
        raise InvalidInput(
            _("答复文件不能超过 %(limit)s MB。") % {"limit": limit},
            fields={"document": [_("不能超过 %(limit)s MB。") % {"limit": limit}]},
        )
    data = upload.read()
    if not data.startswith(PDF_MAGIC):
        raise InvalidInput(_("答复文件须为 PDF。"), fields={"document": [_("请上传 PDF 文件。")]})
    name = (getattr(upload, "name", "") or "answer.pdf")[-100:]
    return ContentFile(data, name="answer.pdf"), name


def _answer_fields(data: dict[str, Any], document) -> dict[str, Any]:
    category = conf.answer_category(str(data.get("category") or ""))
    if category is None:
        codes = "、".join(c.code for c in conf.answer_categories())
        raise InvalidInput(_("请选择答复类别。"), fields={"category": [_("可选：%(codes)s") % {"codes": codes}]})
    body = text(data.get("text"), "text", label=_("答复内容"), required=False)
    signed_by = text(data.get("signed_by"), "signed_by", label=_("签发人"), required=True, maximum=50, multiline=False)
    content, name = _document(document)
    if not body and content is None:
        raise InvalidInput(
            _("请填写答复内容或上传答复文件（PDF）。"), fields={"text": [_("请填写答复内容或上传 PDF。")]}
        )
    return {"category": category, "text": body, "signed_by": signed_by, "content": content, "name": name}


def _check_before_answer(suggestion: Suggestion, assignment: Assignment) -> None:
    contacts = set(
        Record.objects.filter(
            suggestion=suggestion,
            unit=assignment.unit,
            kind__in=sorted(CONTACT_KINDS),
            created_at__gte=assignment.assigned_at,
        ).values_list("kind", flat=True)
    )
    if not contacts:
        raise NotAllowed(_("答复前须先与代表沟通联系（电话、走访或面商），并记录联系情况。"), code="contact_required")
    if suggestion.key and conf.key_requires_face_to_face() and RecordKind.FACE_TO_FACE not in contacts:
        raise NotAllowed(_("重点督办建议答复前须与代表面商，并记录面商情况。"), code="face_to_face_required")
    if suggestion.mode == Mode.LEAD:
        moment = now()
        waiting = [
            a.unit.name
            for a in suggestion.assignments.filter(round=suggestion.round, role=UnitRole.CO)
            .exclude(state=AssignmentState.RETURNED)
            .select_related("unit")
            if a.opinion_at is None and (a.opinion_due_at is None or moment <= a.opinion_due_at)
        ]
        if waiting:
            raise NotAllowed(
                _("协办单位尚未提交意见：%(items)s。") % {"items": _("、").join(waiting)}, code="co_opinions_pending"
            )


def tell_cases(actor, suggestion: Suggestion, category_code: str, summary: str) -> None:
    """Each linked case's citizen learns the answer on their tracking page (a public entry on the case)."""
    category = conf.answer_category(category_code)
    label = category.label if category else category_code
    message = f"您反映的事项所在的代表建议已答复（{label}）：{summary}"
    for case_id, status in suggestion.cases.values_list("pk", "status"):
        log_action(
            actor=actor,
            actor_role="unit",
            action="case.suggestion_answered",
            subject_type="case",
            subject_id=case_id,
            public=True,
            message=message,
            data={"status": status, "suggestion_id": suggestion.pk, "answer_category": category_code},
        )


def _save_answer(actor, suggestion, assignment, fields, *, follow_up: bool) -> Answer:
    answer = Answer(
        suggestion=suggestion,
        assignment=assignment,
        category=fields["category"].code,
        text=fields["text"],
        signed_by=fields["signed_by"],
        follow_up=follow_up,
        answered_by=actor,
        document_name=fields["name"],
    )
    if fields["content"] is not None:
        answer.document.save(fields["content"].name, fields["content"], save=False)
    answer.save()
    return answer


def _worst_category(suggestion: Suggestion) -> str:
    order = [c.code for c in conf.answer_categories()]
    codes = [a.category for a in suggestion.answers.filter(assignment__round=suggestion.round, follow_up=False)]
    return max(codes, key=lambda code: order.index(code) if code in order else len(order))


@transaction.atomic
def suggestion_answer(*, actor, suggestion_id, data: dict[str, Any], document=None) -> Suggestion:
    """The lead (or each split unit) answers with a category and a document signed off by the unit head."""
    suggestion = locked(actor, suggestion_id)
    require(actor, suggestion, Action.ANSWER)
    fields = _answer_fields(data, document)
    assignment = _mine(actor, suggestion, AssignmentState.SIGNED, roles=LEAD_ROLES)
    _check_before_answer(suggestion, assignment)
    moment = now()
    answer = _save_answer(actor, suggestion, assignment, fields, follow_up=False)
    assignment.state = AssignmentState.ANSWERED
    assignment.answered_at = moment
    assignment.save(update_fields=["state", "answered_at"])
    summary = summary_of(answer.text, answer.document_name)
    label = fields["category"].label
    log(
        actor,
        suggestion,
        "answered",
        public=True,
        message=f"{assignment.unit.name} 答复（{label}，签发人：{answer.signed_by}）：{summary}",
        unit_id=assignment.unit_id,
        category=answer.category,
        answer_id=answer.pk,
    )
    open_parts = suggestion.assignments.filter(
        round=suggestion.round, role__in=LEAD_ROLES, state__in=[AssignmentState.PENDING, AssignmentState.SIGNED]
    )
    if open_parts.exists():
        save(suggestion)  # split: wait for the other units' parts
        return suggestion
    suggestion.state = State.ANSWERED
    suggestion.answered_at = moment
    suggestion.answered_on_time = moment <= suggestion.answer_due_at
    suggestion.answer_category = _worst_category(suggestion)
    suggestion.solved = bool(conf.answer_category(suggestion.answer_category).solved)
    suggestion.rating_due_at = add_working_days(moment, conf.rating_workdays())
    suggestion.rating = ""
    suggestion.rated_at = None
    save(suggestion, moment)
    tell_cases(actor, suggestion, suggestion.answer_category, summary)
    notify_users(
        [deputy_user(suggestion)],
        suggestion=suggestion,
        event="suggestion.answered",
        body=f"已答复（{suggestion.answer_category}类），请在 {suggestion.rating_due_at:%Y-%m-%d} 前评价。",
    )
    return suggestion


@transaction.atomic
def suggestion_follow_up(*, actor, suggestion_id, data: dict[str, Any], document=None) -> Suggestion:
    """B and C items stay open: the lead unit reports progress until the item is solved, which closes it."""
    suggestion = locked(actor, suggestion_id)
    require(actor, suggestion, Action.FOLLOW_UP)
    fields = _answer_fields(data, document)
    assignment = _mine(actor, suggestion, AssignmentState.ANSWERED, roles=LEAD_ROLES)
    answer = _save_answer(actor, suggestion, assignment, fields, follow_up=True)
    summary = summary_of(answer.text, answer.document_name)
    suggestion.answer_category = answer.category
    suggestion.solved = fields["category"].solved
    label = fields["category"].label
    log(
        actor,
        suggestion,
        "followed_up",
        public=True,
        message=f"{assignment.unit.name} 续报（{label}）：{summary}",
        category=answer.category,
        answer_id=answer.pk,
    )
    tell_cases(actor, suggestion, answer.category, summary)
    if suggestion.solved:
        finish(actor, suggestion, "已解决，办结。")
    else:
        save(suggestion)
    return suggestion
