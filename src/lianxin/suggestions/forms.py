"""The action panel of a suggestion: one small form per allowed step, built from a field spec list."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.enums import Role
from lianxin.accounts.models import User
from lianxin.cases.enums import Rating
from lianxin.organisation.models import Category, Deputy, HandlingUnit
from lianxin.privacy import mask_personal_data
from lianxin.suggestions import conf
from lianxin.suggestions.enums import CONTACT_KINDS, SUPERVISION_KINDS, Action, AssignmentState, Mode, RecordKind, State
from lianxin.suggestions.rules import visible_suggestions
from lianxin.suggestions.selectors import convertible_cases

MULTI_FIELDS = ("case_ids", "co_unit_ids", "split_unit_ids")
DANGER = {
    Action.NOT_ACCEPT,
    Action.RETURN_ASSIGNMENT,
    Action.DECLINE_COSIGN,
    Action.REJECT_EXTENSION,
    Action.RETURN_FOR_REVISION,
    Action.REMOVE_COSIGNER,
}


@dataclass(frozen=True)
class F:
    name: str
    label: str
    kind: str = "textarea"  # textarea, text, select, multi, date, number, file
    required: bool = False


def _units():
    return [(str(u.pk), u.name) for u in HandlingUnit.objects.filter(active=True).order_by("code")]


UNIT_FIELDS = [
    F("mode", _("交办方式"), "select", True),
    F("lead_unit_id", _("主办单位"), "select"),
    F("co_unit_ids", _("协办单位（可多选）"), "multi"),
    F("split_unit_ids", _("分办单位（分办时至少两个）"), "multi"),
]
ANSWER_FIELDS = [
    F("category", _("答复类别"), "select", True),
    F("text", _("答复内容")),
    F("document", _("答复文件（PDF）"), "file"),
    F("signed_by", _("签发人（单位负责人）"), "text", True),
]
DRAFT_FIELDS = [
    F("title", _("案由"), "text", True),
    F("category_id", _("分类"), "select", True),
    F("situation", _("情况与理由"), "textarea", True),
    F("proposals", _("具体建议"), "textarea", True),
    F("urgency", _("紧迫性"), "textarea", True),
    F("breadth", _("广泛性"), "textarea", True),
    F("importance", _("重要性"), "textarea", True),
]

SPECS: dict[str, list[F]] = {
    Action.EDIT: DRAFT_FIELDS,
    Action.ADD_COSIGNER: [F("deputy_id", _("附议代表"), "select", True)],
    Action.REMOVE_COSIGNER: [F("deputy_id", _("附议代表"), "select", True)],
    Action.LINK_CASES: [F("case_ids", _("民意件（可多选）"), "multi", True)],
    Action.ADMIT_EARLY: [F("reason", _("提前受理理由（记入审计日志）"), required=True)],
    Action.ACCEPT: [
        F("through", _("本次记录至（同一人记录多个审查机构的决定）"), "select"),
        F("message", _("审查意见")),
    ],
    Action.RETURN_FOR_REVISION: [F("message", _("修改意见"), required=True)],
    Action.MERGE: [F("target_id", _("并入的建议"), "select", True), F("message", _("并案说明"))],
    Action.NOT_ACCEPT: [F("reason", _("不予立案理由"), required=True)],
    Action.ASSIGN: [*UNIT_FIELDS, F("message", _("交办意见"))],
    Action.RETURN_ASSIGNMENT: [F("reason", _("退回理由"), required=True)],
    Action.REASSIGN: [
        F("assignment_id", _("被退回的交办"), "select", True),
        F("unit_id", _("改交单位"), "select", True),
    ],
    Action.SEND_OPINION: [F("message", _("协办意见"), required=True)],
    Action.RECORD_CONTACT: [
        F("kind", _("联系方式"), "select", True),
        F("happened_on", _("日期"), "date", True),
        F("note", _("联系情况"), required=True),
    ],
    Action.REQUEST_EXTENSION: [F("months", _("延期月数"), "number", True), F("reason", _("延期理由"), required=True)],
    Action.APPROVE_EXTENSION: [F("message", _("审批意见"))],
    Action.REJECT_EXTENSION: [F("message", _("驳回理由"), required=True)],
    Action.ANSWER: ANSWER_FIELDS,
    Action.FOLLOW_UP: ANSWER_FIELDS,
    Action.RATE: [F("rating", _("评价"), "select", True), F("comment", _("评价意见（不满意时必填）"))],
    Action.SECOND_ASSIGN: [F("message", _("复核意见"), required=True), *UNIT_FIELDS],
    Action.CLOSE: [F("message", _("办结说明"), required=True)],
    Action.SET_PUBLICATION: [F("public", _("是否同意公开"), "select", True)],
    Action.MARK_KEY: [F("leader_id", _("包抓领导"), "select", True), F("message", _("督办说明"))],
    Action.RECORD_SUPERVISION: [
        F("kind", _("督办方式"), "select", True),
        F("happened_on", _("日期"), "date", True),
        F("note", _("督办情况"), required=True),
    ],
    Action.URGE: [F("message", _("催办意见"), required=True)],
}


def category_choices():
    return [(str(c.pk), c.name) for c in Category.objects.filter(active=True, level=1).order_by("id")]


def convertible_case_choices(user):

    # a case's title as the citizen typed it, masked (the case's own screen has the audited reveal)
    return [(str(c.pk), f"{c.tracking_code} {mask_personal_data(c.title)}") for c in convertible_cases(user)]


def _choices(user, s, action: str, field: F):
    name = field.name
    if name == "category_id":
        return category_choices()
    if name == "deputy_id" and action == Action.ADD_COSIGNER:
        taken = set(s.cosigners.values_list("deputy_id", flat=True)) | {s.lead_deputy_id}
        return [(str(d.pk), d.name) for d in Deputy.objects.filter(active=True).exclude(pk__in=taken).order_by("code")]
    if name == "deputy_id":
        return [(str(c.deputy_id), c.deputy.name) for c in s.cosigners.select_related("deputy")]
    if name == "case_ids":
        return convertible_case_choices(user)
    if name == "target_id":
        rows = visible_suggestions(user).filter(state__in=[State.REVIEWING, State.ACCEPTED]).exclude(pk=s.pk)
        return [(str(t.pk), f"{t.number} {t.title}") for t in rows.order_by("-id")[:200]]
    if name == "through":
        return [(key, label) for key, label in conf.review_stages()[s.review_stage :]]
    if name == "mode":
        return list(Mode.choices)
    if name in ("lead_unit_id", "co_unit_ids", "split_unit_ids", "unit_id"):
        return _units()
    if name == "assignment_id":
        rows = s.assignments.filter(round=s.round, state=AssignmentState.RETURNED, replaced=False).select_related(
            "unit"
        )
        return [
            (str(a.pk), _("%(name)s（%(role)s）") % {"name": a.unit.name, "role": a.get_role_display()}) for a in rows
        ]
    if name == "kind":
        kinds = CONTACT_KINDS if action == Action.RECORD_CONTACT else SUPERVISION_KINDS
        return [(k.value, k.label) for k in RecordKind if k in kinds]
    if name == "category":
        return [(c.code, c.label) for c in conf.answer_categories()]
    if name == "rating":
        return list(Rating.choices)
    if name == "public":
        return [("true", _("同意公开")), ("false", _("不同意公开"))]
    if name == "leader_id":
        leaders = User.objects.filter(memberships__role=Role.LEADER, memberships__active=True, is_active=True)
        return [(str(u.pk), str(u)) for u in leaders.distinct().order_by("pk")]
    return []


def _initial(s, field: F):
    if field.name in {f.name for f in DRAFT_FIELDS}:
        value = getattr(s, "category_id" if field.name == "category_id" else field.name)
        return "" if value is None else str(value)
    if field.name == "happened_on":
        return timezone.localdate().isoformat()
    if field.name == "public":
        return "true" if s.publish_consent else "false"
    if field.name == "through":
        stages = conf.review_stages()
        return stages[s.review_stage][0] if s.review_stage < len(stages) else ""
    return ""


def action_forms(user, s, actions: list[str], *, failed: str = "", data=None, error=None) -> list[dict]:
    forms = []
    for action in actions:
        fields = []
        for field in SPECS.get(action, []):
            if data is not None and action == failed:
                value = data.getlist(field.name) if field.kind == "multi" else data.get(field.name, "")
            else:
                value = [] if field.kind == "multi" else _initial(s, field)
            errors = error.fields.get(field.name, []) if error is not None and action == failed else []
            fields.append(
                {
                    "spec": field,
                    "id": f"f-{action}-{field.name}",
                    "value": value,
                    "errors": errors,
                    "choices": _choices(user, s, action, field) if field.kind in ("select", "multi") else [],
                }
            )
        forms.append(
            {
                "action": action,
                "label": Action(action).label,
                "fields": fields,
                "files": any(f.kind == "file" for f in SPECS.get(action, [])),
                "danger": action in DANGER,
                "error": error.message if error is not None and action == failed else "",
            }
        )
    return forms


def post_data(post) -> dict:
    """The action's fields from a POST: lists for the multi-selects, strings for the rest."""
    data = {}
    for key in post:
        if key == "csrfmiddlewaretoken":
            continue
        data[key] = post.getlist(key) if key in MULTI_FIELDS else post.get(key)
    return data
