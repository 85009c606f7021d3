"""What the case loop tells whom: the citizen's texts, the staff's lines, and who the audiences are.

Written to the generic outbox (notifications.services.enqueue_many) with the change: the citizen's row
at once (its phone copied encrypted from the case), the actors of the given audiences ("station",
"deputy", "unit") by the fan-out step `audience_messages`, which the one delivery task runs off the
request, so the request that made the change does no extra queries."""

from __future__ import annotations

from lianxin.accounts.enums import Role
from lianxin.accounts.models import User
from lianxin.cases.codes import follow_up_url
from lianxin.cases.enums import STAFF_CHANNELS
from lianxin.cases.models import Case
from lianxin.notifications.services import enqueue_many, fan_out, message, to_citizen, to_user

SUBJECT = "case"
# Events the citizen hears about (only public steps) and the text they get.
CITIZEN_MESSAGES = {
    "case.registered": "【连心】您反映的“{title}”已受理，查询码 {code}。",
    "case.acknowledged": "【连心】代表已回应您反映的“{title}”（{code}）。",
    "case.dispatched": "【连心】您反映的“{title}”已交办相关部门办理（{code}）。",
    "case.resolved": "【连心】您反映的“{title}”已就地解决（{code}）。",
    "case.declined": "【连心】您反映的“{title}”不予受理，原因见查询页（{code}）。",
    "case.fed_back": "【连心】您反映的“{title}”已有办理结果，请查看并评价（{code}）。",
    "case.escalated": "【连心】您反映的“{title}”已提交上一级办理（{code}）。",
    "case.converted": "【连心】您反映的“{title}”已转为代表建议（{code}）。",
}
# Matters staff or a deputy registered (walk-in, visit, phone, hotline; the reception register): the citizen
# gets the private follow-up link with the registration notice, to follow and rate the matter.
REGISTERED_WITH_LINK = "【连心】您反映的“{title}”已受理，查询码 {code}。查看进度和评价请点：{link}（请勿转发）"
AUDIENCE_STEP = "lianxin.cases.notices.audience_messages"
FOLLOWER_STEP = "lianxin.cases.notices.follower_messages"
# Supporters ("me too") and the citizens of cases merged into this one hear of its public steps too.
FOLLOWER_MESSAGES = {event: text.replace("您反映的", "您附议的", 1) for event, text in CITIZEN_MESSAGES.items()}
# The citizen of a merged case is asked to rate the one handling through his own follow-up link.
MERGED_FED_BACK = "【连心】您反映的“{title}”已合并办理，现有办理结果，请查看并评价：{link}（请勿转发）"


def notify(case: Case, event: str, *, audiences: tuple[str, ...] = (), users=(), citizen: bool = True) -> list:
    """Tell the citizen (if they left a phone and the step is public), the given users, and the actors of
    the given audiences about `event` on `case`."""
    return notify_many([(case, event, audiences)], users=users, citizen=citizen)


def notify_many(events: list[tuple[Case, str, tuple[str, ...]]], *, users=(), citizen: bool = True) -> list:
    """`notify` for several (case, event, audiences) — a batch of intakes committed together: every row in
    ONE INSERT and ONE delivery task for them all."""
    rows = [row for case, event, _audiences in events for row in messages(case, event, users=users, citizen=citizen)]
    steps = [[AUDIENCE_STEP, case.pk, event, list(audiences)] for case, event, audiences in events if audiences]
    steps += [
        [FOLLOWER_STEP, case.pk, event]
        for case, event, _audiences in events
        if citizen and case.supporters and event in FOLLOWER_MESSAGES
    ]
    return enqueue_many(rows, steps=steps)


def prepared(case: Case, event: str) -> list:
    """The citizen's rows of `event` built before `case` is stored (a batch of intakes builds them before the
    write lock, cases/intake.py); `send_prepared` fills in the case's id once it has one."""
    return messages(case, event)


def send_prepared(events: list[tuple[Case, str, tuple[str, ...], list]]) -> list:
    """`notify_many` for rows made by `prepared` (case, event, audiences, rows): the case ids filled in, every
    row in ONE INSERT and ONE delivery task for them all."""
    rows = []
    for case, _event, _audiences, case_rows in events:
        for row in case_rows:
            row.subject_id = case.pk
        rows.extend(case_rows)
    steps = [[AUDIENCE_STEP, case.pk, event, list(audiences)] for case, event, audiences, _rows in events if audiences]
    return enqueue_many(rows, steps=steps)


def messages(case: Case, event: str, *, users=(), citizen: bool = True) -> list:
    """The unsaved outbox rows of `event`: the citizen's (if they left a phone) and one per user."""
    rows = []
    template = CITIZEN_MESSAGES.get(event)
    if citizen and template and case.contact_phone_enc:
        link = ""
        if event == "case.registered" and case.channel in STAFF_CHANNELS:
            template = REGISTERED_WITH_LINK
            link = follow_up_url(case.tracking_code, case.follow_up_generation)
        rows.append(
            message(
                to_citizen(case.contact_phone_enc),
                subject_type=SUBJECT,
                subject_id=case.pk,
                event=event,
                subject=event,
                body=template.format(title=case.title[:20], code=case.tracking_code, link=link),
            )
        )
    for user in users:
        rows.append(
            message(
                to_user(user),
                subject_type=SUBJECT,
                subject_id=case.pk,
                event=event,
                subject=f"[连心] {case.tracking_code} {event}",
                body=f"{case.tracking_code} {case.title}：{event}",
            )
        )
    return rows


@fan_out
def audience_messages(case_id: int, event: str, audiences: list[str]) -> list:
    """The delivery task's step: the rows of the staff, deputy or unit accounts behind the audiences
    (the citizen's row was written with the change itself). A matter staff or a deputy registered (walk-in,
    visit, reception, phone…) is not announced to the very person who registered it."""
    case = Case.objects.select_related("deputy__user").filter(pk=case_id).first()
    if case is None:
        return []
    users = audience_users(case, audiences)
    if event == "case.registered" and case.created_by_id:
        users = [user for user in users if user.pk != case.created_by_id]
    return messages(case, event, users=users, citizen=False)


def audience_users(case: Case, audiences) -> list:
    """The active accounts behind each audience of a case."""
    users: dict[int, object] = {}
    if "station" in audiences and case.station_id:
        for user in User.objects.filter(
            memberships__role=Role.STATION,
            memberships__station_id=case.station_id,
            memberships__active=True,
            is_active=True,
        ):
            users[user.pk] = user
    if "deputy" in audiences and case.deputy_id and case.deputy.user_id:
        users[case.deputy.user_id] = case.deputy.user
    if "unit" in audiences and case.current_unit_id:
        for user in User.objects.filter(
            memberships__role=Role.UNIT,
            memberships__unit_id=case.current_unit_id,
            memberships__active=True,
            is_active=True,
        ):
            users[user.pk] = user
    return list(users.values())


@fan_out
def follower_messages(case_id: int, event: str) -> list:
    """The delivery task's step: one row per supporter with a phone (a merged case's citizen is one), naming the
    case's tracking code so they can follow it."""
    case = Case.objects.filter(pk=case_id).only("pk", "title", "tracking_code").first()
    template = FOLLOWER_MESSAGES.get(event)
    if case is None or template is None:
        return []
    supporters = case.supporter_rows.exclude(phone_enc="").values_list("phone_enc", "merged_case_id")
    merged = {}
    if event == "case.fed_back":
        merged_ids = [merged_id for _phone, merged_id in supporters if merged_id]
        merged = {
            c.pk: c
            for c in Case.objects.filter(pk__in=merged_ids, rated_at__isnull=True).only(
                "pk", "title", "tracking_code", "follow_up_generation"
            )
        }
    rows = []
    for phone_enc, merged_id in supporters:
        own = merged.get(merged_id)
        if own is not None:
            link = follow_up_url(own.tracking_code, own.follow_up_generation)
            body = MERGED_FED_BACK.format(title=own.title[:20], link=link)
        else:
            body = template.format(title=case.title[:20], code=case.tracking_code, link="")
        rows.append(
            message(
                to_citizen(phone_enc), subject_type=SUBJECT, subject_id=case.pk, event=event, subject=event, body=body
            )
        )
    return rows
