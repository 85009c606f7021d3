"""Who may see which cases and do which transitions. One place; everything fails closed."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lianxin.accounts.enums import Role
from lianxin.accounts.scopes import scope_of
from lianxin.accounts.selectors import user_deputy, user_roles
from lianxin.cases.enums import TRIAGE_STATES, Action, ExtensionState, Status
from lianxin.cases.models import Case, Dispatch
from lianxin.errors import NotFound

STAFF = {Role.OFFICE, Role.STATION}
RESPONDERS = {Role.OFFICE, Role.STATION, Role.DEPUTY}

# action -> (states it may start from, roles that may take it)
TRANSITIONS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    Action.ACKNOWLEDGE: (frozenset({Status.REGISTERED}), frozenset(RESPONDERS)),
    Action.RESOLVE_ON_SPOT: (frozenset({Status.REGISTERED}) | TRIAGE_STATES, frozenset(RESPONDERS)),
    Action.DISPATCH: (TRIAGE_STATES, frozenset(STAFF)),
    Action.ESCALATE: (TRIAGE_STATES, frozenset(RESPONDERS)),
    Action.DECLINE: (frozenset({Status.REGISTERED}) | TRIAGE_STATES, frozenset(STAFF)),
    Action.CONVERT: (TRIAGE_STATES, frozenset(RESPONDERS)),
    Action.CLAIM: (frozenset({Status.DISPATCHED}), frozenset({Role.UNIT})),
    Action.RETURN: (frozenset({Status.DISPATCHED, Status.CLAIMED}), frozenset({Role.UNIT})),
    Action.REPLY: (frozenset({Status.CLAIMED}), frozenset({Role.UNIT})),
    Action.REQUEST_EXTENSION: (frozenset({Status.CLAIMED}), frozenset({Role.UNIT})),
    Action.APPROVE_EXTENSION: (frozenset({Status.CLAIMED, Status.DISPATCHED}), frozenset(STAFF)),
    Action.REJECT_EXTENSION: (frozenset({Status.CLAIMED, Status.DISPATCHED}), frozenset(STAFF)),
    Action.FEEDBACK: (frozenset({Status.REPLIED, Status.RESOLVED}), frozenset(RESPONDERS)),
    Action.CLOSE: (frozenset({Status.RATED}), frozenset(STAFF)),
    Action.URGE: (
        frozenset({Status.REGISTERED, Status.DISPATCHED, Status.CLAIMED, Status.RETURNED, Status.REOPENED}),
        frozenset(STAFF),
    ),
    Action.NOTE: (frozenset(Status.values), frozenset(RESPONDERS | {Role.UNIT})),
    # the unit holding the case calls the citizen (its reveal of the contact: services.case_reveal_contact)
    Action.CALL_BACK: (frozenset({Status.DISPATCHED, Status.CLAIMED, Status.REPLIED}), frozenset({Role.UNIT})),
}


def _role_scope(user, role: str) -> Q | None:
    """The cases one role of the user reaches, or None for no cases."""
    if role == Role.DEPUTY:
        deputy = user_deputy(user)
        if deputy is None:
            return None
        present = Case.deputies_present.through.objects.filter(deputy_id=deputy.pk).values("case_id")
        return (
            Q(deputy_id=deputy.pk)
            | Q(station__in=deputy.stations.values("pk"))
            | Q(division__in=deputy.grids.values("pk"))
            | Q(pk__in=present)
        )
    scope = scope_of(user, role)
    if role == Role.UNIT:
        if not scope.unit_ids:
            return None
        return Q(pk__in=Dispatch.objects.filter(unit_id__in=scope.unit_ids).values("case_id"))
    # office/leader: their subtree; station staff: their station and its division's subtree (where the case is,
    # or where it is handled after an escalation).
    return scope.q(division="division", station="station_id", station_division=("division", "handling_division"))


def actor_roles(user) -> set[str]:
    return user_roles(user)


def visible_cases(user) -> QuerySet[Case]:
    """Every case the user may see; an empty queryset if none (fails closed)."""
    if not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    scope: Q | None = None
    for role in actor_roles(user):
        if role == Role.AUDITOR:
            continue
        q = _role_scope(user, role)
        if q is not None:
            scope = q if scope is None else scope | q
    if scope is None:
        return Case.objects.none()
    return Case.objects.filter(scope)


def case_for_actor(user, case_id) -> Case:
    """The case if the user may see it; NotFound otherwise (a foreign case is a 404)."""
    try:
        case_id = int(case_id)
    except (TypeError, ValueError):
        raise NotFound(_("找不到该民意件。")) from None
    case = (
        visible_cases(user)
        .filter(pk=case_id)
        .select_related("station__division", "deputy", "division", "handling_division", "current_unit", "category")
        .first()
    )
    if case is None:
        raise NotFound(_("找不到该民意件。"))
    return case


def _acting_roles(user, case: Case) -> set[str]:
    """Roles through which the user reaches this particular case (a role elsewhere does not count)."""
    roles = set()
    for role in actor_roles(user):
        if role in (Role.AUDITOR, Role.LEADER):
            continue
        q = _role_scope(user, role)
        if q is not None and Case.objects.filter(q, pk=case.pk).exists():
            roles.add(role)
    return roles


def _unit_ids(user) -> set[int]:
    return set(scope_of(user, Role.UNIT).unit_ids)


def _owns_triage(user, roles: set[str], case: Case) -> bool:
    """Triage belongs to the level that holds the case: after escalation only the upper level acts."""
    if Role.OFFICE in roles:
        return True
    target = case.handling_division
    if target is None:
        return bool(roles & {Role.STATION, Role.DEPUTY})
    if Role.STATION in roles:
        if any(target.path.startswith(path) for path in scope_of(user, Role.STATION).station_paths):
            return True
    if Role.DEPUTY in roles and case.status != Status.ESCALATED:
        return True
    return False


def allowed_actions(user, case: Case) -> list[str]:
    roles = _acting_roles(user, case)
    if not roles:
        return []
    allowed = []
    for action, (states, action_roles) in TRANSITIONS.items():
        if case.status not in states or not (roles & action_roles):
            continue
        if action_roles & {Role.UNIT} and action != Action.NOTE:
            if case.current_unit_id not in _unit_ids(user):
                continue
            if action == Action.RETURN and case.arbitrated:
                continue
            if (
                action == Action.REQUEST_EXTENSION
                and case.extension_requests.filter(state=ExtensionState.PENDING).exists()
            ):
                continue
        if action in (Action.APPROVE_EXTENSION, Action.REJECT_EXTENSION):
            if not case.extension_requests.filter(state=ExtensionState.PENDING).exists():
                continue
        if action in (Action.DISPATCH, Action.ESCALATE, Action.DECLINE, Action.CONVERT, Action.RESOLVE_ON_SPOT):
            if case.status != Status.REGISTERED and not _owns_triage(user, roles, case):
                continue
        if action == Action.ESCALATE and (case.handling_division is None or case.handling_division.parent_id is None):
            continue
        allowed.append(str(action))
    return allowed
