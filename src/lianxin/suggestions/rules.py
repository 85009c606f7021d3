"""Who may see which suggestions and take which steps. One place; everything fails closed."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.enums import Role
from lianxin.accounts.scopes import Scope, scope_of
from lianxin.accounts.selectors import user_deputy, user_roles
from lianxin.cases.enums import ExtensionState
from lianxin.errors import NotFound
from lianxin.organisation.models import Deputy
from lianxin.suggestions.enums import (
    DRAFT_STATES,
    SUBMITTED_STATES,
    WITH_UNITS_STATES,
    Action,
    AssignmentState,
    State,
    UnitRole,
)
from lianxin.suggestions.models import Assignment, Cosigner, Suggestion

# Who supervises suggestions (metrics, bulletin, the list's filters, the cockpit's links).
SUPERVISORS = (Role.OFFICE, Role.LEADER)


SUBMITTED_Q = Q(state__in=sorted(SUBMITTED_STATES))


def _scope_q(user, role: str) -> Q | None:
    """Submitted suggestions of the congress in the subtree of the user's office or leader memberships (the ones
    they take steps on)."""
    q = scope_of(user, role).q(division="division")
    return None if q is None else q & SUBMITTED_Q


def _read_q(scope: Scope) -> Q | None:
    """Suggestions whose own division (the congress handling it) lies in the scope, or whose lead deputy (领衔代表)
    is stationed at a liaison station there."""
    own = scope.q(division="division")
    if own is None or scope.everything:
        return own
    stationed = Deputy.objects.filter(scope.q(division="stations__division")).values("pk")
    return own | Q(lead_deputy_id__in=stationed)


def division_q(division) -> Q:
    """Suggestions of `division` (_read_q of its subtree). So the district has all its suggestions and a street those
    led by deputies of its stations (a deputy stationed in two streets counts in both). The cockpit counts by this
    rule and the office and leaders read by it."""
    return _read_q(Scope(divisions=(division,)))


def _read_scope_q(user, role: str) -> Q | None:
    """What office or leader memberships read: the submitted suggestions of their division by division_q — their
    congress's and, read-only, those led by deputies stationed there (a street's office reads its own deputies'
    suggestions). Taking steps still needs _scope_q."""
    q = _read_q(scope_of(user, role))
    return None if q is None else q & SUBMITTED_Q


def unit_ids(user) -> set[int]:
    return set(scope_of(user, Role.UNIT).unit_ids)


def visible_suggestions(user) -> QuerySet[Suggestion]:
    """Every suggestion the user may see; none for anonymous users, auditors and station staff (fails closed).

    Drafts are seen only by their lead deputy and invited co-signers; the office and leaders see submitted
    suggestions of their congress and of the deputies stationed in their division; a unit sees what was ever
    assigned to it.
    """
    if not getattr(user, "is_authenticated", False):
        return Suggestion.objects.none()
    roles = user_roles(user)
    parts: list[Q] = []
    deputy = user_deputy(user)
    if deputy is not None:
        cosigned = Cosigner.objects.filter(deputy_id=deputy.pk).values("suggestion_id")
        parts.append(Q(lead_deputy_id=deputy.pk) | Q(pk__in=cosigned))
    for role in SUPERVISORS:
        if role in roles:
            q = _read_scope_q(user, role)
            if q is not None:
                parts.append(q)
    units = unit_ids(user)
    if units:
        parts.append(Q(pk__in=Assignment.objects.filter(unit_id__in=sorted(units)).values("suggestion_id")))
    if not parts:
        return Suggestion.objects.none()
    combined = parts[0]
    for part in parts[1:]:
        combined |= part
    return Suggestion.objects.filter(combined)


def suggestion_for_actor(user, suggestion_id) -> Suggestion:
    """The suggestion if the user may see it; NotFound otherwise (a foreign suggestion is a 404)."""
    try:
        suggestion_id = int(suggestion_id)
    except (TypeError, ValueError):
        raise NotFound(_("找不到该代表建议。")) from None
    if not 0 < suggestion_id < 2**63:
        raise NotFound(_("找不到该代表建议。"))
    suggestion = (
        visible_suggestions(user)
        .filter(pk=suggestion_id)
        .select_related("lead_deputy", "category", "division", "leader", "merged_into")
        .first()
    )
    if suggestion is None:
        raise NotFound(_("找不到该代表建议。"))
    return suggestion


@dataclass
class Standing:
    """How one user stands to one suggestion."""

    lead: bool = False
    cosigner: Cosigner | None = None
    office: bool = False
    leader: bool = False
    leader_in_charge: bool = False
    assignments: list[Assignment] = field(default_factory=list)  # the user's units' current-round assignments

    def mine(self, *states: str, roles: tuple[str, ...] = ()) -> list[Assignment]:
        return [a for a in self.assignments if a.state in states and (not roles or a.role in roles)]


def standing(user, suggestion: Suggestion) -> Standing:
    s = Standing()
    if not getattr(user, "is_authenticated", False):
        return s
    deputy = user_deputy(user)
    if deputy is not None:
        s.lead = suggestion.lead_deputy_id == deputy.pk
        s.cosigner = Cosigner.objects.filter(suggestion=suggestion, deputy=deputy).first()
    submitted = suggestion.state in SUBMITTED_STATES
    roles = user_roles(user)
    if submitted and Role.OFFICE in roles:
        q = _scope_q(user, Role.OFFICE)
        s.office = q is not None and Suggestion.objects.filter(q, pk=suggestion.pk).exists()
    if submitted and Role.LEADER in roles:
        q = _scope_q(user, Role.LEADER)
        s.leader = q is not None and Suggestion.objects.filter(q, pk=suggestion.pk).exists()
        s.leader_in_charge = s.leader and suggestion.leader_id == user.pk
    units = unit_ids(user)
    if units and suggestion.round:
        s.assignments = list(
            Assignment.objects.filter(suggestion=suggestion, unit_id__in=sorted(units), round=suggestion.round)
            .select_related("unit")
            .order_by("id")
        )
    return s


LEAD_ROLES = (UnitRole.LEAD, UnitRole.SPLIT)


def _has_pending_extension(suggestion: Suggestion) -> bool:
    return suggestion.extensions.filter(state=ExtensionState.PENDING).exists()


def allowed_actions(user, suggestion: Suggestion) -> list[str]:
    """The steps this user may take on this suggestion now (the forms shown and the API's allowed_actions)."""
    st = standing(user, suggestion)
    state = suggestion.state
    now = timezone.now()
    ok: list[str] = []

    def allow(action: str, condition: bool) -> None:
        if condition:
            ok.append(str(action))

    drafting = state in DRAFT_STATES
    allow(Action.EDIT, st.lead and drafting)
    allow(Action.ADD_COSIGNER, st.lead and drafting)
    allow(Action.REMOVE_COSIGNER, st.lead and drafting and suggestion.cosigners.exists())
    pending_invite = st.cosigner is not None and st.cosigner.confirmed_at is None and st.cosigner.declined_at is None
    allow(Action.CONFIRM_COSIGN, drafting and pending_invite)
    allow(Action.DECLINE_COSIGN, drafting and st.cosigner is not None and st.cosigner.declined_at is None)
    allow(Action.LINK_CASES, st.lead and drafting)
    allow(Action.SUBMIT, st.lead and drafting)
    allow(Action.WITHDRAW, st.lead and state == State.QUEUED)
    allow(Action.ADMIT_EARLY, st.office and state == State.QUEUED)

    reviewing = st.office and state == State.REVIEWING
    for action in (Action.ACCEPT, Action.RETURN_FOR_REVISION, Action.MERGE, Action.NOT_ACCEPT):
        allow(action, reviewing)
    allow(Action.ASSIGN, st.office and state == State.ACCEPTED)

    with_units = state in (State.ASSIGNED, State.HANDLING)
    allow(Action.SIGN, with_units and bool(st.mine(AssignmentState.PENDING)))
    returnable = [a for a in st.mine(AssignmentState.PENDING, AssignmentState.SIGNED) if now <= a.return_due_at]
    allow(Action.RETURN_ASSIGNMENT, with_units and bool(returnable))
    allow(
        Action.REASSIGN,
        st.office
        and with_units
        and suggestion.assignments.filter(
            round=suggestion.round, state=AssignmentState.RETURNED, replaced=False
        ).exists(),
    )
    co_signed = [a for a in st.mine(AssignmentState.SIGNED, roles=(UnitRole.CO,)) if not a.opinion_at]
    allow(Action.SEND_OPINION, with_units and bool(co_signed))
    allow(
        Action.RECORD_CONTACT,
        state in (State.ASSIGNED, State.HANDLING, State.FOLLOWING)
        and bool(st.mine(AssignmentState.SIGNED, AssignmentState.ANSWERED)),
    )
    answering = state == State.HANDLING and bool(st.mine(AssignmentState.SIGNED, roles=LEAD_ROLES))
    pending_extension = _has_pending_extension(suggestion) if (answering or st.office) else False
    allow(Action.REQUEST_EXTENSION, answering and not pending_extension)
    allow(Action.APPROVE_EXTENSION, st.office and pending_extension)
    allow(Action.REJECT_EXTENSION, st.office and pending_extension)
    allow(Action.ANSWER, answering)
    allow(Action.RATE, st.lead and state == State.ANSWERED)
    allow(
        Action.FOLLOW_UP,
        state == State.FOLLOWING and bool(st.mine(AssignmentState.ANSWERED, roles=LEAD_ROLES)),
    )
    allow(Action.SECOND_ASSIGN, st.office and state == State.RECHECKING)
    allow(Action.CLOSE, st.office and state in (State.RECHECKING, State.FOLLOWING))
    allow(Action.SET_PUBLICATION, st.lead and state in SUBMITTED_STATES)
    allow(Action.MARK_KEY, st.office and (state == State.ACCEPTED or state in WITH_UNITS_STATES))
    allow(
        Action.RECORD_SUPERVISION,
        suggestion.key and (st.office or st.leader_in_charge) and (state in WITH_UNITS_STATES),
    )
    allow(Action.URGE, st.office and state in (State.ASSIGNED, State.HANDLING, State.FOLLOWING))
    return ok
