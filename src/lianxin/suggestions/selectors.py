"""Reads of the suggestion screens: work lists by role, the detail with its timeline, the public board."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lianxin import privacy
from lianxin.accounts.enums import Role
from lianxin.accounts.scopes import scope_of
from lianxin.accounts.selectors import user_deputy, user_roles
from lianxin.audit.models import AuditEntry
from lianxin.cases.enums import TRIAGE_STATES, Action, ExtensionState
from lianxin.cases.rules import allowed_actions as case_actions
from lianxin.cases.rules import visible_cases
from lianxin.suggestions import conf, metrics, texts
from lianxin.suggestions.enums import AssignmentState, State, UnitRole
from lianxin.suggestions.filters import submitted_q
from lianxin.suggestions.models import Answer, Assignment, Cosigner, Suggestion
from lianxin.suggestions.rules import SUPERVISORS, division_q, unit_ids, visible_suggestions

EVENT_LABELS = {
    "suggestion.drafted": _("起草"),
    "suggestion.edited": _("修改"),
    "suggestion.cases_linked": _("关联民意件"),
    "suggestion.cosigner_invited": _("邀请附议"),
    "suggestion.cosigner_removed": _("移除附议"),
    "suggestion.cosign_confirmed": _("确认附议"),
    "suggestion.cosign_declined": _("不附议"),
    "suggestion.queued": _("等待提交窗口"),
    "suggestion.withdrawn": _("撤回"),
    "suggestion.admitted_early": _("窗口外提前受理"),
    "suggestion.submitted": _("提交"),
    "suggestion.review_passed": _("审查通过"),
    "suggestion.accepted": _("立案"),
    "suggestion.returned_for_revision": _("退回修改"),
    "suggestion.merged": _("并案"),
    "suggestion.merged_in": _("并入本件"),
    "suggestion.not_accepted": _("不予立案"),
    "suggestion.assigned": _("交办"),
    "suggestion.reassigned": _("改交办"),
    "suggestion.marked_key": _("重点督办"),
    "suggestion.signed": _("签收"),
    "suggestion.assignment_returned": _("退回交办"),
    "suggestion.opinion_sent": _("协办意见"),
    "suggestion.contact_recorded": _("沟通联系"),
    "suggestion.extension_requested": _("申请延期"),
    "suggestion.extension_approved": _("批准延期"),
    "suggestion.extension_rejected": _("驳回延期"),
    "suggestion.answered": _("答复"),
    "suggestion.followed_up": _("续报"),
    "suggestion.rated": _("代表评价"),
    "suggestion.recheck_started": _("转复核"),
    "suggestion.following": _("跟踪落实"),
    "suggestion.second_assigned": _("二次交办"),
    "suggestion.closed": _("办结"),
    "suggestion.publication_set": _("公开设置"),
    "suggestion.supervision_recorded": _("督办"),
    "suggestion.urged": _("催办"),
}
ROLE_LABELS = {r.value: r.label for r in Role} | {"system": _("系统")}


@dataclass(frozen=True)
class Tab:
    key: str
    label: str


TABS = {
    Role.DEPUTY: [Tab("mine", _("我的建议")), Tab("drafts", _("草稿")), Tab("cosign", _("待我附议"))],
    Role.OFFICE: [
        Tab("review", _("待审查")),
        Tab("queued", _("待提交窗口")),
        Tab("to_assign", _("待交办")),
        Tab("attention", _("待处理（退回/延期/复核）")),
        Tab("with_units", _("办理中")),
        Tab("all", _("全部")),
    ],
    Role.UNIT: [Tab("to_sign", _("待签收")), Tab("handling", _("办理中")), Tab("unit_all", _("全部"))],
    Role.LEADER: [Tab("key", _("我包抓的")), Tab("all", _("全部"))],
}
ROLE_ORDER = (Role.OFFICE, Role.UNIT, Role.DEPUTY, Role.LEADER)


def list_roles(user) -> list[str]:
    roles = user_roles(user)
    return [r for r in ROLE_ORDER if r in roles]


def tabs_for(user) -> list[Tab]:
    tabs: list[Tab] = []
    for role in list_roles(user):
        tabs.extend(t for t in TABS[role] if t not in tabs)
    return tabs


def _tab_q(user, key: str) -> Q:
    deputy = user_deputy(user)
    units = sorted(unit_ids(user))
    mine = Assignment.objects.filter(suggestion=OuterRef("pk"), unit_id__in=units, round=OuterRef("round"))
    pending_ext = Q(extensions__state=ExtensionState.PENDING)
    returned = Q(
        Exists(
            Assignment.objects.filter(
                suggestion=OuterRef("pk"), round=OuterRef("round"), state=AssignmentState.RETURNED, replaced=False
            )
        )
    )
    return {
        # every suggestion the deputy leads, drafts included (a draft made from a case lands here too)
        "mine": Q(lead_deputy_id=deputy.pk if deputy else None),
        "queued": Q(state=State.QUEUED),
        "drafts": Q(
            lead_deputy_id=deputy.pk if deputy else None, state__in=[State.DRAFT, State.RETURNED, State.QUEUED]
        ),
        "cosign": Q(
            cosigners__deputy_id=deputy.pk if deputy else None,
            cosigners__confirmed_at__isnull=True,
            cosigners__declined_at__isnull=True,
            state__in=[State.DRAFT, State.RETURNED],
        ),
        "review": Q(state=State.REVIEWING),
        "to_assign": Q(state=State.ACCEPTED),
        "attention": Q(state=State.RECHECKING) | pending_ext | returned,
        "with_units": Q(state__in=[State.ASSIGNED, State.HANDLING, State.ANSWERED, State.FOLLOWING]),
        "all": Q(state__in=sorted(set(State.values) - {State.DRAFT, State.QUEUED})),
        "to_sign": Q(Exists(mine.filter(state=AssignmentState.PENDING))),
        "handling": Q(Exists(mine.filter(state__in=[AssignmentState.SIGNED, AssignmentState.ANSWERED])))
        & Q(state__in=[State.ASSIGNED, State.HANDLING, State.FOLLOWING]),
        "unit_all": Q(pk__isnull=False),
        "key": Q(key=True, leader_id=user.pk),
    }[key]


def tab_counts(user, tabs: list[Tab], filters: Q | None = None) -> dict[str, int]:
    """How many suggestions each tab holds (under the list's filters): one count query per tab."""
    qs = visible_suggestions(user).filter(filters or Q())
    counts = {}
    for tab in tabs:
        counts[tab.key] = qs.filter(_tab_q(user, tab.key)).values("pk").distinct().count()
    return counts


def suggestion_list(user, tab: str, q: str = "", filters: Q | None = None) -> QuerySet[Suggestion]:
    """The rows of one tab (narrowed by the list's filters, see filters.py): visible, in one query with what a row
    shows."""
    qs = visible_suggestions(user).filter(_tab_q(user, tab)).filter(filters or Q())
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(number__icontains=q))
    ids = qs.values("pk")
    return (
        Suggestion.objects.filter(pk__in=ids)
        .select_related("lead_deputy", "category")
        .annotate(case_count=Count("cases", distinct=True))
        .order_by("-id")
    )


def timeline(suggestion: Suggestion) -> list[AuditEntry]:
    entries = list(
        AuditEntry.objects.filter(subject_type="suggestion", subject_id=suggestion.pk)
        .select_related("actor")
        .order_by("id")
    )
    for entry in entries:
        entry.label = EVENT_LABELS.get(entry.action, entry.action)
        entry.text = texts.entry_text(entry)
        entry.role_label = ROLE_LABELS.get(entry.actor_role, entry.actor_role)
        entry.actor_name = (entry.actor.display_name or entry.actor.username) if entry.actor else entry.actor_username
    return entries


def detail_parts(suggestion: Suggestion) -> dict:
    """Everything the detail page and the API detail show beside the suggestion itself."""
    return {
        "cosigners": list(suggestion.cosigners.select_related("deputy")),
        "assignments": list(suggestion.assignments.select_related("unit").order_by("round", "id")),
        "answers": list(suggestion.answers.select_related("assignment__unit").order_by("id")),
        "records": list(suggestion.records.select_related("unit", "created_by").order_by("happened_on", "id")),
        "extensions": list(suggestion.extensions.select_related("assignment__unit").order_by("id")),
        "cases": list(suggestion.cases.only("pk", "tracking_code", "title", "status", "contact_name_masked")),
        "merged": list(suggestion.merged.only("pk", "number", "title")),
    }


def openable_case_ids(user, cases) -> set[int]:
    """The linked cases whose own screen `user` may open (the case rules decide): the suggestion links to those."""
    ids = [c.pk for c in cases]
    return set(visible_cases(user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()


def case_suggestion_link(*, user, suggestion_id: int) -> dict | None:
    """The suggestion a case was converted into, as the case screen links to it — its number (or 草稿) and masked
    title — when `user` may open it (registered with the case app in SuggestionsConfig.ready); None otherwise."""
    s = visible_suggestions(user).filter(pk=suggestion_id).only("pk", "number", "title", "state").first()
    if s is None:
        return None
    return {
        "id": s.pk,
        "url": reverse("suggestions:detail", args=[s.pk]),
        "number": s.number,
        "title": privacy.mask_personal_data(s.title),
        "state": s.state,
        "state_label": s.get_state_display(),
    }


# --- public board (智慧屏) --------------------------------------------------------------------------------

PUBLIC_STATES = (State.ANSWERED, State.FOLLOWING, State.CLOSED, State.RECHECKING)


def mask_text(value: str) -> str:
    """Public text: phone, ID card and bank card numbers and e-mail addresses masked wherever they appear (the one
    detector, lianxin.privacy.find_personal_data)."""
    return privacy.mask_personal_data(value or "")


def public_suggestions() -> QuerySet[Suggestion]:
    """Answered suggestions whose deputy consents to publication, with their answers (newest answer first)."""
    return (
        Suggestion.objects.filter(state__in=PUBLIC_STATES, publish_consent=True, answers__isnull=False)
        .distinct()
        .select_related("lead_deputy", "category")
        .prefetch_related(
            Prefetch("answers", queryset=Answer.objects.select_related("assignment__unit").order_by("id"))
        )
        .order_by("-answered_at", "-id")
    )


def public_lead(deputy) -> tuple[str, str]:
    """The lead deputy's name as the board shows it, and a link to their page: whole and linked when the deputy
    agreed to a public profile (the profile shows the name anyway), masked (张*) otherwise."""
    if deputy is None:
        return "", ""
    if deputy.public and deputy.active:
        return deputy.name, reverse("finder:deputy", args=[deputy.code])
    return privacy.mask_name(deputy.name), ""


def answer_category_legend() -> list[dict]:
    """What each answer category (A/B/C/D, configurable) means, for the public board's explanation."""
    return [{"code": c.code, "label": c.label} for c in conf.answer_categories()]


def public_item(s: Suggestion) -> dict:
    answers = list(s.answers.all())
    deputy, deputy_url = public_lead(s.lead_deputy if s.lead_deputy_id else None)
    labels = {c.code: c.label for c in conf.answer_categories()}
    return {
        "id": s.pk,
        "number": s.number,
        "title": mask_text(s.title),
        "proposals": mask_text(s.proposals),
        "category": s.category.name if s.category_id else "",
        "deputy": deputy,
        "deputy_url": deputy_url,
        "answer_category": s.answer_category,
        "state_label": s.get_state_display(),
        "answered_at": s.answered_at,
        "answers": [
            {
                "unit": a.assignment.unit.name,
                "category": a.category,
                "category_label": labels.get(a.category, ""),
                "text": mask_text(a.text),
                "follow_up": a.follow_up,
                "at": a.created_at,
                "has_document": bool(a.document),
            }
            for a in answers
        ],
    }


def cosign_invitations(user) -> QuerySet[Cosigner]:
    deputy = user_deputy(user)
    if deputy is None:
        return Cosigner.objects.none()
    return Cosigner.objects.filter(deputy=deputy, confirmed_at__isnull=True, declined_at__isnull=True)


def convertible_cases(user, limit: int = 50) -> list:
    """Recent cases the user may turn into a suggestion now (the case rules decide; at most `limit` looked at)."""

    rows = visible_cases(user).filter(status__in=sorted(TRIAGE_STATES)).select_related("handling_division", "station")
    return [c for c in rows.order_by("-created_at", "-id")[:limit] if Action.CONVERT in case_actions(user, c)]


# --- cockpit (驾驶舱) extension: found at run time by lianxin.cockpit.extensions ---------------------------

COCKPIT_ITEM_LIMIT = 200
COCKPIT_FIGURES = ["answered_rate", "solved_rate", "solved_wide_rate", "satisfied_rate", "satisfied_wide_rate"]


def cockpit_suggestions(*, division, start, end) -> QuerySet[Suggestion]:
    """Suggestions of `division` submitted in [start, end] (dates, inclusive; drafts never count).

    Scope rule (rules.division_q): a suggestion belongs to a division when its own division (the people's congress
    handling it, i.e. the district) lies in the division's subtree, or when its lead deputy (领衔代表) is stationed at
    a liaison station in that subtree. So the district sees all its suggestions, and a street sees those led by
    deputies of its stations (a deputy stationed in two streets counts in both).
    """

    return Suggestion.objects.filter(division_q(division), submitted_q(start, end))


def cockpit_links_allowed(*, user, division) -> bool:
    """The office and leaders over the whole division open the suggestion list behind a figure: they read every
    suggestion the figure counts (rules.division_q)."""
    return scope_of(user, *SUPERVISORS).covers(division)


def cockpit_figures(*, division, start, end) -> list[dict]:
    """办复率, 解决率 (A; A+B) and 满意率 (strict; with 基本满意) of the scope's suggestions submitted in the period.

    Counted with metrics.outcome_q, the same conditions the suggestion list filters with (assigned = handed to units,
    round ≥ 1; rated = a rating or a first rating exists; not rated never counts as satisfied), so each figure links
    to the list of exactly the suggestions it counts: its denominator and its numerator. One query.
    """

    outcomes = ("assigned", "answered", "solved", "solved_wide", "rated", "satisfied", "satisfied_wide")
    counts = (
        cockpit_suggestions(division=division, start=start, end=end)
        .filter(metrics.outcome_q("assigned"))
        .aggregate(**{name: Count("pk", filter=metrics.outcome_q(name)) for name in outcomes})
    )
    base = {"division": division.pk, "submitted_from": start.isoformat(), "submitted_to": end.isoformat()}

    def url(outcome: str) -> str:
        params = {"tab": "all", **base, "assigned": "1"}
        if outcome != "assigned":
            params["outcome"] = outcome
        return f"{reverse('suggestions:list')}?{urlencode(params)}"

    labels = {key: (label, formula) for key, label, formula in metrics.FORMULAS}
    figures = []
    for key in COCKPIT_FIGURES:
        label, formula = labels[key]
        numerator, denominator = metrics.RATE_OUTCOMES[key]
        n, d = counts[numerator], counts[denominator]
        figures.append(
            {
                "key": f"suggestion_{key}",
                "label": gettext("代表建议%(rate)s") % {"rate": label},
                "value": f"{n * 100 / d:.1f}%" if d else "—",
                "formula": str(formula),
                "url": url(denominator),
                "numerator": n,
                "denominator": d,
                "numerator_url": url(numerator),
                "denominator_url": url(denominator),
            }
        )
    return figures


def cockpit_suggestion_items(*, division, start, end) -> list[dict]:
    """Rows of the cockpit's suggestion list (newest submitted first, at most COCKPIT_ITEM_LIMIT). Two queries."""

    rows = list(
        cockpit_suggestions(division=division, start=start, end=end)
        .select_related("lead_deputy")
        .order_by("-submitted_at", "-id")[:COCKPIT_ITEM_LIMIT]
    )
    units: dict[int, list[str]] = {}
    parts = (
        Assignment.objects.filter(
            suggestion_id__in=[s.pk for s in rows], role__in=[UnitRole.LEAD, UnitRole.SPLIT], replaced=False
        )
        .exclude(state=AssignmentState.RETURNED)
        .order_by("suggestion_id", "round", "id")
        .values_list("suggestion_id", "round", "unit__name")
    )
    latest: dict[int, int] = {}
    for suggestion_id, round_, unit_name in parts:
        if round_ > latest.get(suggestion_id, 0):
            latest[suggestion_id] = round_
            units[suggestion_id] = []
        if unit_name not in units[suggestion_id]:
            units[suggestion_id].append(unit_name)

    def state(s: Suggestion) -> str:
        if s.round < 2:
            return s.get_state_display()
        due = f"{timezone.localtime(s.answer_due_at):%Y-%m-%d}" if s.answer_due_at else "—"
        return gettext("%(state)s · 二次交办，答复时限 %(day)s") % {"state": s.get_state_display(), "day": due}

    return [
        {
            "date": f"{timezone.localtime(s.submitted_at):%Y-%m-%d}",
            "number": s.number,
            "title": s.title,
            "state": state(s),
            "unit": "、".join(units.get(s.pk, [])),
            "deputy": s.lead_deputy.name if s.lead_deputy_id else "",
        }
        for s in rows
    ]
