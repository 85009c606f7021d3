"""One case's history, played forward in memory: the rows the case services would have written.

A `Story` is replayed from a start time until its last step lands where its final status wants it
(recent for open cases, anywhere in the past year for finished ones). Every step sets the same case
fields, Dispatch rows and audit entries (action, actor, role, public flag, message, data) as the
service of that transition in `lianxin.cases.services`; only the clock is the story's, not `now()`.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone

from lianxin.cases import deadlines
from lianxin.cases.enums import DispatchState, ExtensionState, Rating, Status
from lianxin.demo import text
from lianxin.workdays.services import add_working_days, is_working_day

H = dt.timedelta(hours=1)


@dataclass
class Actors:
    """Who acts on this case: the deputy (or staff) who answers, the triage staff, the units' handlers."""

    responder: Any
    responder_role: str
    staff: Any
    office: Any
    handler_of_unit: dict[int, Any]


@dataclass
class Played:
    fields: dict[str, Any]
    dispatches: list[dict[str, Any]]
    audits: list[dict[str, Any]]
    extensions: list[dict[str, Any]]
    suggestion: dict[str, Any] | None
    last: dt.datetime


@dataclass
class Story:
    """The steps of one case (e.g. ["ack", "dispatch", "claim", "reply", "feedback", "rate", "close"])."""

    seed: str
    steps: list[str]
    request_type: str
    units: list[Any]  # first the routed unit, then where a returned case goes next
    rule: Any
    actors: Actors
    handling_chain: list[Any]  # the case's division and its ancestors (for escalation)
    rating: str = Rating.SATISFIED
    rehandle_rating: str = Rating.SATISFIED
    channel: str = ""
    phone_masked: str = ""
    registered_by: Any = None
    title: str = ""
    details: str = ""
    lead_deputy: Any = None
    state: dict[str, Any] = field(default_factory=dict)

    def play(self, start: dt.datetime, now: dt.datetime) -> Played:
        self.rng = random.Random(self.seed)
        self.now = now
        self.t = start
        self.case = {
            "status": Status.REGISTERED,
            "created_at": start,
            "ack_due_at": deadlines.ack_deadline(start),
            "consent_at": start,
            "acknowledged_at": None,
            "current_unit": None,
            "dispatched_at": None,
            "claim_due_at": None,
            "claimed_at": None,
            "handle_due_at": None,
            "replied_at": None,
            "resolved_at": None,
            "return_count": 0,
            "needs_arbitration": False,
            "arbitrated": False,
            "urge_count": 0,
            "reopen_count": 0,
            "fed_back_at": None,
            "rating_due_at": None,
            "rating": "",
            "rating_comment": "",
            "rated_at": None,
            "closed_at": None,
            "closed_unrated": False,
            "decline_reason": "",
            "public_answer": "",
            "handling_division": self.handling_chain[0],
            "request_type": self.request_type,
        }
        self.dispatches: list[dict[str, Any]] = []
        self.audits: list[dict[str, Any]] = []
        self.extensions: list[dict[str, Any]] = []
        self.suggestion = None
        self.unit_index = 0
        self.ratings = [self.rating, self.rehandle_rating]
        self._audit(
            self.registered_by,
            "",
            "registered",
            public=True,
            message="您反映的问题已受理，查询码 {code}。",
            data={"channel": self.channel, "photos": 0, "phone": self.phone_masked},
            with_status=False,
        )
        for step in self.steps:
            getattr(self, f"_{step}")()
        last = self.t
        self._urge_if_late(self.now)
        return Played(self.case, self.dispatches, self.audits, self.extensions, self.suggestion, last)

    # --- the clock -----------------------------------------------------------------------------

    def _after(self, low: float, high: float, *, office_hours: bool = True) -> dt.datetime:
        at = self.t + H * self.rng.uniform(low, high)
        if office_hours:
            at = self._office_hours(at)
        self.t = at
        return at

    def _office_hours(self, at: dt.datetime) -> dt.datetime:
        local = timezone.localtime(at)
        start_of_day = local.replace(hour=8, minute=30, second=0, microsecond=0)
        if local.hour >= 18 or not is_working_day(local.date()):
            day = local.date() + dt.timedelta(days=1)
            while not is_working_day(day):
                day += dt.timedelta(days=1)
            local = start_of_day.replace(year=day.year, month=day.month, day=day.day)
            return local + dt.timedelta(minutes=self.rng.randint(0, 120))
        if local < start_of_day:
            return start_of_day + dt.timedelta(minutes=self.rng.randint(0, 90))
        return local

    def _urge_if_late(self, until: dt.datetime) -> None:
        """Staff urge (催办) once the running clock is past its deadline, before the next step happens."""
        status = self.case["status"]
        due = {
            Status.REGISTERED: self.case["ack_due_at"],
            Status.DISPATCHED: self.case["claim_due_at"],
            Status.CLAIMED: self.case["handle_due_at"],
        }.get(status)
        if due is None or until <= due:
            return
        at = self._office_hours(due + H * self.rng.uniform(1, 20))
        if at >= until or at <= self.t:
            return
        self.case["urge_count"] += 1
        self._audit_at(
            at,
            self._triage_actor(),
            "station",
            "urged",
            public=False,
            message=text.pick(self.rng, text.URGES),
            data={"urge_count": self.case["urge_count"]},
        )
        self.t = max(self.t, at)

    # --- audit rows ----------------------------------------------------------------------------

    def _audit(
        self, actor, role: str, action: str, *, public: bool, message: str = "", data=None, with_status: bool = True
    ) -> None:
        self._audit_at(self.t, actor, role, action, public=public, message=message, data=data, with_status=with_status)

    def _audit_at(self, at, actor, role, action, *, public, message="", data=None, with_status=True) -> None:
        body = {"status": self.case["status"], **(data or {})} if with_status else dict(data or {})
        self.audits.append(
            {
                "created_at": at,
                "actor": actor,
                "actor_role": role,
                "action": f"case.{action}",
                "public": public,
                "message": message,
                "data": body,
            }
        )

    def _triage_actor(self):
        """The level that holds the case acts: office once it is escalated to the district."""
        return self.actors.office if self.case["handling_division"].parent_id is None else self.actors.staff

    def _triage_role(self) -> str:
        return "office" if self.case["handling_division"].parent_id is None else "station"

    def _implicit_ack(self) -> None:
        if self.case["acknowledged_at"] is None:
            self.case["acknowledged_at"] = self.t

    # --- steps (one per service) -----------------------------------------------------------------

    def _ack(self) -> None:
        roll = self.rng.random()
        hours = (0.2, 18) if roll < 0.85 else (18, 23.9) if roll < 0.95 else (25, 60)
        self._urge_if_late(self.t + H * hours[1])
        self._after(*hours, office_hours=False)
        self.case["status"] = Status.ACKNOWLEDGED
        self.case["acknowledged_at"] = self.t
        self._audit(
            self.actors.responder,
            self.actors.responder_role,
            "acknowledged",
            public=True,
            message=text.pick(self.rng, text.ACKS),
            data={"on_time": self.t <= self.case["ack_due_at"]},
        )

    def _resolve(self) -> None:
        self._after(0.5, 48)
        self._implicit_ack()
        message = text.pick(self.rng, text.RESOLVES)
        self.case.update(status=Status.RESOLVED, resolved_at=self.t, public_answer=message)
        self._audit(self.actors.responder, self.actors.responder_role, "resolved", public=True, message=message)

    def _dispatch(self) -> None:
        self._after(0.5, 40)
        unit = self.units[min(self.unit_index, len(self.units) - 1)]
        self.unit_index += 1
        rehandle = self.case["status"] == Status.REOPENED
        arbitrated = self.case["needs_arbitration"]
        self._implicit_ack()
        for row in self.dispatches:
            if row["state"] in (DispatchState.PENDING, DispatchState.CLAIMED):
                row["state"] = DispatchState.WITHDRAWN
        row = {
            "unit": unit,
            "request_type": self.case["request_type"],
            "state": DispatchState.PENDING,
            "dispatched_by": self._triage_actor(),
            "dispatched_at": self.t,
            "claim_due_at": deadlines.claim_deadline(self.t),
            "handle_due_at": deadlines.handle_deadline(self.t, self.case["request_type"], rehandle=rehandle),
            "claimed_at": None,
            "returned_at": None,
            "return_reason": "",
            "replied_at": None,
            "reply": "",
            "arbitrated": arbitrated,
            "rehandle": rehandle,
            "routing_rule": self.rule if unit == self.units[0] else None,
        }
        self.dispatches.append(row)
        self.case.update(
            status=Status.DISPATCHED,
            current_unit=unit,
            dispatched_at=self.t,
            claim_due_at=row["claim_due_at"],
            handle_due_at=row["handle_due_at"],
            claimed_at=None,
            replied_at=None,
        )
        if arbitrated:
            self.case.update(needs_arbitration=False, arbitrated=True)
        self._audit(
            self._triage_actor(),
            self._triage_role(),
            "dispatched",
            public=True,
            data={
                "words_only": True,  # the sentence is rendered from the data in the reader's language
                "unit": unit.name,
                "unit_id": unit.pk,
                "request_type": self.case["request_type"],
                "arbitrated": arbitrated,
                "rehandle": rehandle,
                "handle_due_at": row["handle_due_at"].isoformat(),
            },
        )

    def _handler(self):
        return self.actors.handler_of_unit[self.case["current_unit"].pk]

    def _claim(self) -> None:
        late = self.rng.random() < 0.12
        target = self.t + H * (self.rng.uniform(30, 70) if late else self.rng.uniform(0.5, 20))
        self._urge_if_late(target)
        self.t = self._office_hours(max(target, self.t))
        row = self.dispatches[-1]
        row.update(state=DispatchState.CLAIMED, claimed_at=self.t)
        self.case.update(status=Status.CLAIMED, claimed_at=self.t)
        self._audit(
            self._handler(),
            "unit",
            "claimed",
            public=True,
            data={"words_only": True, "unit": self.case["current_unit"].name, "on_time": self.t <= row["claim_due_at"]},
        )

    def _return(self) -> None:
        self._after(1, 30)
        row = self.dispatches[-1]
        reason = text.pick(self.rng, text.RETURNS)
        row.update(state=DispatchState.RETURNED, returned_at=self.t, return_reason=reason)
        unit = self.case["current_unit"]
        actor = self._handler()
        self.case["return_count"] += 1
        self.case.update(status=Status.RETURNED, current_unit=None)
        if self.case["return_count"] >= settings.CASE_MAX_RETURNS:
            self.case["needs_arbitration"] = True
        self._audit(
            actor,
            "unit",
            "returned",
            public=False,
            message=reason,
            data={
                "unit_id": unit.pk,
                "return_count": self.case["return_count"],
                "needs_arbitration": self.case["needs_arbitration"],
            },
        )

    def _reply(self) -> None:
        row = self.dispatches[-1]
        window = row["handle_due_at"] - row["dispatched_at"]
        late = self.rng.random() < 0.15
        target = row["dispatched_at"] + window * (self.rng.uniform(1.02, 1.4) if late else self.rng.uniform(0.15, 0.95))
        self._urge_if_late(target)
        self.t = self._office_hours(max(target, self.t + H))
        message = text.pick(self.rng, text.REPLIES)
        row.update(state=DispatchState.REPLIED, replied_at=self.t, reply=message)
        self.case.update(status=Status.REPLIED, replied_at=self.t, public_answer=message)
        self._audit(
            self._handler(),
            "unit",
            "replied",
            public=False,
            message=message,
            data={"attachments": 0, "on_time": self.t <= row["handle_due_at"]},
        )

    def _extend(self) -> None:
        """The unit asks for more time half-way through; staff approve it (a pending request stays open)."""
        row = self.dispatches[-1]
        self.t = self._office_hours(
            max(self.t + H, row["dispatched_at"] + (row["handle_due_at"] - row["dispatched_at"]) / 2)
        )
        workdays = self.rng.choice((3, 5, 10))
        reason = text.pick(self.rng, text.EXTENSIONS)
        request = {
            "dispatch_index": len(self.dispatches) - 1,
            "workdays": workdays,
            "reason": reason,
            "state": ExtensionState.PENDING,
            "requested_by": self._handler(),
            "requested_at": self.t,
            "decided_by": None,
            "decided_at": None,
        }
        self.extensions.append(request)
        self._audit(
            self._handler(), "unit", "extension_requested", public=False, message=reason, data={"workdays": workdays}
        )

    def _approve(self) -> None:
        self._after(1, 24)
        request = self.extensions[-1]
        request.update(state=ExtensionState.APPROVED, decided_by=self._triage_actor(), decided_at=self.t)
        new_due = add_working_days(self.case["handle_due_at"], request["workdays"])
        self.dispatches[request["dispatch_index"]]["handle_due_at"] = new_due
        self.case["handle_due_at"] = new_due
        self._audit(
            self._triage_actor(),
            self._triage_role(),
            "extension_approved",
            public=True,
            message=f"办理时限延长 {request['workdays']} 个工作日。",
            data={"handle_due_at": new_due.isoformat()},
        )

    def _escalate(self) -> None:
        self._after(2, 60)
        actor, role = self._triage_actor(), self._triage_role()
        self._implicit_ack()
        below = self.case["handling_division"]
        above = self.handling_chain[self.handling_chain.index(below) + 1]
        self.case.update(handling_division=above, status=Status.ESCALATED)
        self._audit(
            actor,
            role,
            "escalated",
            public=True,
            data={
                "words_only": True,
                "division": above.name,
                "reason": text.pick(self.rng, text.ESCALATES),
                "from_division": below.pk,
                "to_division": above.pk,
            },
        )

    def _decline(self) -> None:
        self._after(1, 40)
        self._implicit_ack()
        reason = text.pick(self.rng, text.DECLINES)
        self.case.update(status=Status.DECLINED, decline_reason=reason, closed_at=self.t)
        self._audit(self._triage_actor(), self._triage_role(), "declined", public=True, message=reason)

    def _convert(self) -> None:
        self._after(20, 200)
        self._implicit_ack()
        self.suggestion = {
            "title": self.title[:200],
            "situation": self.details,
            "lead_deputy": self.lead_deputy,
            "created_by": self.actors.responder,
            "created_at": self.t,
        }
        self.case["status"] = Status.CONVERTED
        self._audit(
            self.actors.responder,
            self.actors.responder_role,
            "converted",
            public=True,
            message="已转为代表建议，建议答复后将告知您。",
            data={"suggestion_id": None, "note": text.pick(self.rng, text.CONVERTS)},
        )

    def _feedback(self) -> None:
        self._after(2, 60)
        message = text.pick(self.rng, text.FEEDBACKS)
        self.case.update(
            status=Status.FED_BACK,
            fed_back_at=self.t,
            public_answer=message,
            rating_due_at=self.t + dt.timedelta(days=settings.CASE_RATING_WINDOW_DAYS),
        )
        self._audit(self.actors.responder, self.actors.responder_role, "fed_back", public=True, message=message)

    def _rate(self) -> None:
        self._after(1, 24 * (settings.CASE_RATING_WINDOW_DAYS - 1), office_hours=False)
        rating = self.ratings.pop(0)
        comment = text.pick(self.rng, text.RATING_COMMENTS[rating])
        self.case.update(rating=rating, rating_comment=comment, rated_at=self.t)
        if rating == Rating.UNSATISFIED:
            self.case["status"] = Status.REOPENED
            self.case["reopen_count"] += 1
        else:
            self.case["status"] = Status.RATED
        self._audit(
            None,
            "citizen",
            "rated",
            public=True,
            message=comment,
            data={"words_only": True, "rating": rating, "status": self.case["status"]},
            with_status=False,
        )
        if self.case["status"] == Status.REOPENED:
            self._audit(None, "system", "reopened", public=True, message="因群众不满意，已启动重办。")

    def _close(self) -> None:
        self._after(1, 72)
        self.case.update(status=Status.CLOSED, closed_at=self.t)
        self._audit(self._triage_actor(), self._triage_role(), "closed", public=True, data={"words_only": True})

    def _close_unrated(self) -> None:
        self.t = self.case["rating_due_at"] + H * self.rng.uniform(0.1, 1)  # the periodic job runs hourly
        self.case.update(status=Status.CLOSED, closed_at=self.t, closed_unrated=True)
        self._audit(None, "system", "closed_unrated", public=True, message="评价期满未评价，自动办结。")
