"""Department appraisal (部门工作评议): rounds, items and weights, entered scores, the opinion collection and the
publication of the results. One function per state change; the actor passed explicitly; an audit entry each."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin import privacy, validation
from lianxin.accounts.enums import Role
from lianxin.accounts.scopes import scope_of
from lianxin.accounts.selectors import user_deputy
from lianxin.appraisal import compute, rules
from lianxin.appraisal.enums import ItemSource, OpinionRating, RaterKind, RoundState
from lianxin.appraisal.models import (
    AppraisalItem,
    AppraisalItemDefault,
    AppraisalItemResult,
    AppraisalOpinion,
    AppraisalResult,
    AppraisalRound,
    AppraisalScore,
)
from lianxin.appraisal.selectors import collecting_round
from lianxin.audit.services import log_action
from lianxin.errors import NotAllowed, NotFound
from lianxin.organisation.models import HandlingUnit
from lianxin.validation import Errors

COMMENT_MAX = 1000


def _log(actor, action: str, round_id, role: str = "", **data) -> None:
    log_action(
        actor=actor,
        actor_role=role or ("office" if actor is not None and rules.is_office(actor) else ""),
        action=f"appraisal.{action}",
        subject_type="appraisal_round",
        subject_id=round_id,
        data=data,
    )


def _id(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _office_round(actor, round_id, *, lock=True) -> AppraisalRound:
    if not rules.is_office(actor):
        raise NotFound(_("找不到该评议。"))
    rounds = AppraisalRound.objects.select_for_update() if lock else AppraisalRound.objects
    round_ = rounds.filter(pk=_id(round_id)).first()
    if round_ is None:
        raise NotFound(_("找不到该评议。"))
    return round_


def office_units(actor):
    """Active handling units under the divisions of the actor's office memberships."""
    scope = scope_of(actor, Role.OFFICE).q(division="division")
    if scope is None:
        return HandlingUnit.objects.none()
    return HandlingUnit.objects.filter(scope, active=True)


@transaction.atomic
def round_create(*, actor, year, title: str = "", opinion_opens_at=None, opinion_closes_at=None) -> AppraisalRound:
    """A new round for a year: the default items copied in, every active unit of the office's division taking part,
    the data window the calendar year, opinions collected for 30 days from the given start (default: now)."""
    if not rules.is_office(actor):
        raise NotFound(_("找不到该评议。"))
    errors = Errors()
    year = validation.integer(year, field="year", label=_("年度"), minimum=2000, maximum=2100, errors=errors)
    title = validation.text(
        title, field="title", label=_("名称"), max_length=100, required=False, multiline=True, errors=errors
    )
    now = timezone.now()
    opens = opinion_opens_at or now
    closes = opinion_closes_at or opens + dt.timedelta(days=30)
    if not isinstance(opens, dt.datetime) or not isinstance(closes, dt.datetime) or closes <= opens:
        errors.add("opinion_closes_at", _("意见征集截止须晚于开始时间。"))
    errors.check()
    if AppraisalRound.objects.filter(year=year).exists():
        raise NotAllowed(_("%(year)s 年度的评议已存在。") % {"year": year})
    units = list(office_units(actor))
    if not units:
        raise NotAllowed(_("没有可参评的承办单位。"))
    try:
        with transaction.atomic():
            round_ = AppraisalRound.objects.create(
                year=year,
                title=title or f"{year} 年度部门工作评议",
                period_start=dt.date(year, 1, 1),
                period_end=dt.date(year, 12, 31),
                opinion_opens_at=opens,
                opinion_closes_at=closes,
                created_by=actor,
            )
    except IntegrityError:
        raise NotAllowed(_("%(year)s 年度的评议已存在。") % {"year": year}) from None
    round_.units.set(units)
    AppraisalItem.objects.bulk_create(
        [
            AppraisalItem(
                round=round_,
                name=d.name,
                weight=d.weight,
                source=d.source,
                params=d.params,
                description=d.description,
                order=d.order,
            )
            for d in AppraisalItemDefault.objects.filter(active=True).order_by("order", "id")
        ]
    )
    _log(actor, "created", round_.pk, year=year, units=len(units))
    return round_


@transaction.atomic
def item_update(*, actor, item_id, weight, params=None) -> AppraisalItem:
    """Change an item's weight (and its calculation parameters) before the round is published."""
    item = AppraisalItem.objects.select_related("round").filter(pk=_id(item_id)).first()
    if item is None or not rules.is_office(actor):
        raise NotFound(_("找不到该评议项目。"))
    if item.round.state == RoundState.PUBLISHED:
        raise NotAllowed(_("评议结果已公布，不能修改权重。"))
    errors = Errors()
    value = validation.decimal(weight, field="weight", label=_("权重"), minimum=0, maximum=100, places=1, errors=errors)
    if params is not None and not isinstance(params, dict):
        errors.add("params", _("计算参数格式不正确。"))
    errors.check()
    old = str(item.weight)
    item.weight = value
    if params is not None:
        item.params = params
    item.save(update_fields=["weight", "params"])
    _log(actor, "item_changed", item.round_id, item=item.pk, weight_from=old, weight_to=str(value))
    return item


_NEXT = {
    RoundState.DRAFT: {RoundState.COLLECTING},
    RoundState.COLLECTING: {RoundState.SCORING},
    RoundState.SCORING: {RoundState.COLLECTING},
    RoundState.PUBLISHED: {RoundState.SCORING},
}


@transaction.atomic
def round_set_state(*, actor, round_id, state: str) -> AppraisalRound:
    """Open the opinion collection, close it for scoring, or withdraw a publication (results are dropped)."""
    round_ = _office_round(actor, round_id)
    if state not in _NEXT.get(round_.state, set()):
        raise NotAllowed(_("当前状态（%(state)s）下不能执行该操作。") % {"state": round_.get_state_display()})
    old = round_.state
    if old == RoundState.PUBLISHED:
        round_.results.all().delete()
        round_.published_at = None
        round_.published_by = None
    round_.state = state
    round_.save(update_fields=["state", "published_at", "published_by"])
    _log(actor, "state_changed", round_.pk, old=old, new=state)
    return round_


@transaction.atomic
def round_publish(*, actor, round_id) -> AppraisalRound:
    """Compute every unit's scores and freeze them as the published leaderboard."""
    round_ = _office_round(actor, round_id)
    if round_.state not in (RoundState.COLLECTING, RoundState.SCORING):
        raise NotAllowed(_("当前状态（%(state)s）下不能公布。") % {"state": round_.get_state_display()})
    computed = compute.compute(round_)
    round_.results.all().delete()
    for row in computed:
        result = AppraisalResult.objects.create(
            round=round_, unit=row.unit, total=row.total, rank=row.rank, ranked=row.ranked, note=row.note
        )
        AppraisalItemResult.objects.bulk_create(
            [
                AppraisalItemResult(
                    result=result, item=s.item, score=s.score, sample=s.sample, enough=s.enough, details=s.details
                )
                for s in row.items
            ]
        )
    round_.state = RoundState.PUBLISHED
    round_.published_at = timezone.now()
    round_.published_by = actor
    round_.save(update_fields=["state", "published_at", "published_by"])
    _log(actor, "published", round_.pk, ranked=sum(1 for r in computed if r.ranked), units=len(computed))
    return round_


# --- entered scores -----------------------------------------------------------------------------------------


@transaction.atomic
def score_enter(*, actor, item_id, unit_id, score, note: str = "") -> AppraisalScore:
    """A standing-committee member (leader) scores a member-scores item; the office scores an office item."""
    item = AppraisalItem.objects.select_related("round").filter(pk=_id(item_id)).first()
    if item is None:
        raise NotFound(_("找不到该评议项目。"))
    if item.source == ItemSource.MEMBER_SCORES:
        allowed, role = rules.is_leader(actor), "leader"
    elif item.source == ItemSource.OFFICE_SCORE:
        allowed, role = rules.is_office(actor), "office"
    else:
        allowed, role = False, ""
    if not (rules.is_office(actor) or rules.is_leader(actor)):
        raise NotFound(_("找不到该评议项目。"))
    if not allowed:
        raise NotAllowed(_("该项目由系统计算或由其他人员评分。"))
    if item.round.state == RoundState.PUBLISHED:
        raise NotAllowed(_("评议结果已公布，不能再评分。"))
    unit = item.round.units.filter(pk=_id(unit_id)).first()
    if unit is None:
        raise NotFound(_("该单位不在本次评议中。"))
    errors = Errors()
    value = validation.decimal(score, field="score", label=_("得分"), minimum=0, maximum=100, places=1, errors=errors)
    note = validation.text(
        note, field="note", label=_("说明"), max_length=500, required=False, multiline=True, errors=errors
    )
    errors.check()
    row, _created = AppraisalScore.objects.update_or_create(
        item=item, unit=unit, scorer=actor, defaults={"score": value, "note": note}
    )
    _log(actor, "scored", item.round_id, role=role, item=item.pk, unit=unit.pk, score=str(value))
    return row


# --- opinion collection (评议意见征集) ----------------------------------------------------------------------------


def _opinion_fields(round_, unit_id, rating, comment) -> tuple[HandlingUnit, str, str]:
    unit = round_.units.filter(pk=_id(unit_id)).first()
    if unit is None:
        raise NotFound(_("该单位不在本次评议中。"))
    errors = Errors()
    if rating not in OpinionRating.values:
        errors.add("rating", _("请选择满意、基本满意、不满意或不了解。"))
    comment = validation.text(
        comment, field="comment", label=_("意见"), max_length=COMMENT_MAX, required=False, multiline=True, errors=errors
    )
    errors.check()
    return unit, rating, comment


@transaction.atomic
def opinion_submit_deputy(*, actor, year, unit_id, rating, comment: str = "") -> AppraisalOpinion:
    deputy = user_deputy(actor)
    if deputy is None:
        raise NotFound(_("找不到该评议。"))
    round_ = collecting_round(year)
    if round_ is None:
        raise NotAllowed(_("当前不在评议意见征集期内。"))
    unit, rating, comment = _opinion_fields(round_, unit_id, rating, comment)
    try:
        with transaction.atomic():
            opinion = AppraisalOpinion.objects.create(
                round=round_, unit=unit, rater_kind=RaterKind.DEPUTY, deputy=deputy, rating=rating, comment=comment
            )
    except IntegrityError:
        raise NotAllowed(_("您已评议过该单位。")) from None
    _log(actor, "opinion", round_.pk, role="deputy", unit=unit.pk, rating=rating)
    return opinion


@transaction.atomic
def opinion_submit_citizen(*, year, unit_id, phone, rating, comment: str = "", consent=False) -> AppraisalOpinion:
    """A citizen's rating; one per unit and phone. Only a keyed hash and the masked number are stored."""
    round_ = collecting_round(year)
    if round_ is None:
        raise NotAllowed(_("当前不在评议意见征集期内。"))
    errors = Errors()
    number = privacy.normalise_phone(phone if isinstance(phone, str) else "")
    if not number:
        errors.add("phone", _("请填写手机号码。"))
    elif not privacy.is_valid_phone(number) or not number.startswith("1"):
        errors.add("phone", _("请填写正确的手机号码。"))
    if consent is not True:
        errors.add("consent", _("请阅读并同意个人信息告知。"))
    errors.check()
    unit, rating, comment = _opinion_fields(round_, unit_id, rating, comment)
    phone_hash = privacy.keyed_hash(number, purpose=f"appraisal:{round_.pk}")
    try:
        with transaction.atomic():
            opinion = AppraisalOpinion.objects.create(
                round=round_,
                unit=unit,
                rater_kind=RaterKind.CITIZEN,
                phone_hash=phone_hash,
                phone_masked=privacy.mask_phone(number),
                rating=rating,
                comment=comment,
            )
    except IntegrityError:
        raise NotAllowed(_("该手机号已评议过该单位。")) from None
    _log(None, "opinion", round_.pk, role="citizen", unit=unit.pk, rating=rating)
    return opinion
