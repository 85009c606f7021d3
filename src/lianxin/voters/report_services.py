"""Reports to voters (述职): schedule, publish the text, voters rate it (one rating per phone), publish the result.

Voters prove their phone with an SMS code; the phone is kept as a keyed hash (for the one-per-phone rule,
enforced by a unique constraint) and encrypted, never in clear.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_q.tasks import async_task

from lianxin import privacy, validation
from lianxin.accounts.selectors import user_deputy
from lianxin.audit.reveal import text_reveal
from lianxin.audit.services import log_action
from lianxin.cases.enums import Rating
from lianxin.errors import InvalidInput, NotAllowed, NotFound
from lianxin.voters import conf, rules
from lianxin.voters.enums import ReportStatus
from lianxin.voters.models import RatingCode, ReportRating, VoterReport

TITLE_MAX = 100
PLACE_MAX = 100
TEXT_MAX = 20000
COMMENT_MAX = 1000
NAME_MAX = 30
ALREADY_RATED = gettext_lazy("该手机号已评价过本次述职，每人只能评价一次。")


def _err(errors: dict[str, list[str]], key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


def _raise(errors: dict[str, list[str]], code: str | None = None) -> None:
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], fields=errors, code=code)


ONE_LINE = {"title", "place", "name"}


def _text(value, errors, key, label, limit, *, required=True) -> str:
    return validation.text(
        value, field=key, label=label, required=required, max_length=limit, multiline=key not in ONE_LINE, errors=errors
    )


def report_for_actor(actor, report_id) -> VoterReport:
    """A report of a deputy the actor reaches (office over them, or the deputy themselves); else 404."""
    try:
        report_id = int(report_id)
    except (TypeError, ValueError):
        raise NotFound(_("找不到该述职。")) from None
    report = (
        VoterReport.objects.filter(pk=report_id, deputy__in=rules.visible_deputies(actor))
        .select_related("deputy")
        .first()
    )
    if report is None:
        raise NotFound(_("找不到该述职。"))
    return report


def public_report(report_id) -> VoterReport:
    """A report whose text has been published; anything else is a 404 to the public."""
    try:
        report_id = int(report_id)
    except (TypeError, ValueError):
        raise NotFound(_("找不到该述职。")) from None
    report = (
        VoterReport.objects.filter(pk=report_id, published_at__isnull=False, deputy__active=True)
        .select_related("deputy")
        .first()
    )
    if report is None:
        raise NotFound(_("找不到该述职。"))
    return report


def rating_open(report: VoterReport, now=None) -> bool:
    now = now or timezone.now()
    return report.status == ReportStatus.PUBLISHED and now < report.rating_closes_at


# --- Office and deputy ----------------------------------------------------------------------------------------


def report_schedule(*, actor, deputy_id: int, title: str, held_on, place: str, rating_closes_at=None) -> VoterReport:
    """The office schedules a deputy's report to voters."""
    deputy = rules.office_deputy(actor, deputy_id)
    errors = validation.Errors()
    title = _text(title, errors, "title", _("标题"), TITLE_MAX)
    place = _text(place, errors, "place", _("地点"), PLACE_MAX)
    if isinstance(held_on, dt.datetime) or not isinstance(held_on, dt.date):
        _err(errors, "held_on", _("请填写正确的述职日期。"))
        held_on = None
    if rating_closes_at is None and held_on is not None:
        end_day = held_on + dt.timedelta(days=conf.rating_days_default())
        rating_closes_at = timezone.make_aware(dt.datetime.combine(end_day, dt.time(23, 59, 59)))
    if rating_closes_at is not None and not isinstance(rating_closes_at, dt.datetime):
        _err(errors, "rating_closes_at", _("请填写正确的评议截止时间。"))
    elif rating_closes_at is not None and held_on is not None:
        if timezone.is_naive(rating_closes_at):
            rating_closes_at = timezone.make_aware(rating_closes_at)
        if timezone.localtime(rating_closes_at).date() < held_on:
            _err(errors, "rating_closes_at", _("评议截止不能早于述职日期。"))
    _raise(errors)
    with transaction.atomic():
        report = VoterReport.objects.create(
            deputy=deputy,
            title=title,
            held_on=held_on,
            place=place,
            rating_closes_at=rating_closes_at,
            created_by=actor,
        )
        log_action(
            actor=actor,
            action="voters.report_scheduled",
            subject_type="voter_report",
            subject_id=report.pk,
            data={"deputy": deputy.code, "held_on": held_on.isoformat()},
        )
    return report


def report_publish(*, actor, report_id: int, text: str) -> VoterReport:
    """Publish the report's text on its public page; voters may rate from now until the deadline."""
    report = report_for_actor(actor, report_id)
    own = user_deputy(actor)
    if not (rules.is_office(actor) or (own is not None and own.pk == report.deputy_id)):
        raise NotFound(_("找不到该述职。"))
    if report.status != ReportStatus.SCHEDULED:
        raise NotAllowed(_("该述职已公开。"))
    if timezone.now() >= report.rating_closes_at:
        raise NotAllowed(_("评议截止时间已过，请重新安排述职。"))
    errors = validation.Errors()
    text = _text(text, errors, "text", _("述职报告"), TEXT_MAX)
    _raise(errors)
    with transaction.atomic():
        updated = VoterReport.objects.filter(pk=report.pk, status=ReportStatus.SCHEDULED).update(
            text=text, status=ReportStatus.PUBLISHED, published_at=timezone.now()
        )
        if not updated:
            raise NotAllowed(_("该述职已公开。"))
        log_action(
            actor=actor,
            action="voters.report_published",
            subject_type="voter_report",
            subject_id=report.pk,
            public=True,
            data={"deputy": report.deputy.code, "chars": len(text)},
        )
    report.refresh_from_db()
    return report


def report_result_publish(*, actor, report_id: int, now=None) -> VoterReport:
    """Count the ratings and publish the result, once the rating deadline has passed (office or the task)."""
    now = now or timezone.now()
    if actor is None:
        report = VoterReport.objects.select_related("deputy").filter(pk=report_id).first()
        if report is None:
            raise NotFound(_("找不到该述职。"))
    else:
        report = report_for_actor(actor, report_id)
        rules.office_deputy(actor, report.deputy_id)
    if report.status != ReportStatus.PUBLISHED:
        raise NotAllowed(_("只有评议中的述职才能公布结果。"))
    if now < report.rating_closes_at:
        raise NotAllowed(_("评议尚未截止，截止后才能公布结果。"))
    counts = dict(report.ratings.values_list("rating").annotate(n=Count("pk")).order_by())
    with transaction.atomic():
        updated = VoterReport.objects.filter(pk=report.pk, status=ReportStatus.PUBLISHED).update(
            status=ReportStatus.RESULT_PUBLISHED,
            result_published_at=now,
            satisfied=counts.get(Rating.SATISFIED, 0),
            basically_satisfied=counts.get(Rating.BASICALLY_SATISFIED, 0),
            unsatisfied=counts.get(Rating.UNSATISFIED, 0),
        )
        if not updated:
            raise NotAllowed(_("只有评议中的述职才能公布结果。"))
        log_action(
            actor=actor,
            actor_role="system" if actor is None else "office",
            action="voters.report_result_published",
            subject_type="voter_report",
            subject_id=report.pk,
            public=True,
            data={key: counts.get(key, 0) for key in Rating.values},
        )
    report.refresh_from_db()
    return report


# --- Voters ----------------------------------------------------------------------------------------------------


def _phone(value, errors) -> str:
    phone = privacy.normalise_phone(value if isinstance(value, str) else "")
    if not phone:
        _err(errors, "phone", _("请填写手机号码。"))
    elif not privacy.is_valid_phone(phone) or not phone.startswith("1"):
        _err(errors, "phone", _("请填写正确的手机号码。"))
    return phone


def _code_hash(report_id: int, phone_hash: str, code: str) -> str:
    return privacy.keyed_hash(code, purpose=f"rating-code:{report_id}:{phone_hash}")


def rating_code_send(*, report_id: int, phone: str, now=None) -> RatingCode:
    """Send a 6-digit code by SMS to the phone the voter will rate with (task on commit)."""
    now = now or timezone.now()
    report = public_report(report_id)
    if not rating_open(report, now):
        raise NotAllowed(_("评议已截止。") if report.status != ReportStatus.SCHEDULED else _("评议尚未开始。"))
    errors = validation.Errors()
    phone = _phone(phone, errors)
    _raise(errors)
    phone_hash = privacy.keyed_hash(phone)
    if ReportRating.objects.filter(report=report, phone_hash=phone_hash).exists():
        raise InvalidInput(ALREADY_RATED, code="already_rated", fields={"phone": [str(ALREADY_RATED)]})
    interval = dt.timedelta(seconds=conf.rating_code_interval_seconds())
    if RatingCode.objects.filter(report=report, phone_hash=phone_hash, created_at__gt=now - interval).exists():
        message = _("验证码已发送，请 %(rating_code_interval_seconds)s 秒后再试。") % {
            "rating_code_interval_seconds": conf.rating_code_interval_seconds()
        }
        raise InvalidInput(message, code="too_soon", fields={"phone": [message]})
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        record = RatingCode.objects.create(
            report=report,
            phone_hash=phone_hash,
            phone_enc=privacy.encrypt(phone),
            code_hash=_code_hash(report.pk, phone_hash, code),
            code_enc=privacy.encrypt(code),
            expires_at=now + dt.timedelta(minutes=conf.rating_code_minutes()),
        )
        record_id = record.pk
        transaction.on_commit(lambda: _enqueue_code(record_id))
    return record


def _enqueue_code(record_id: int) -> None:

    async_task("lianxin.voters.tasks.send_rating_code", record_id)


def _check_code(report: VoterReport, phone_hash: str, code, now) -> RatingCode:
    message = _("验证码不正确或已过期，请重新获取。")
    record = (
        RatingCode.objects.filter(report=report, phone_hash=phone_hash, used_at__isnull=True, expires_at__gt=now)
        .order_by("-id")
        .first()
    )
    code = code.strip() if isinstance(code, str) else ""
    if record is None or record.attempts >= conf.rating_code_attempts():
        raise InvalidInput(message, code="bad_code", fields={"code": [message]})
    if not privacy.same_token(record.code_hash, _code_hash(report.pk, phone_hash, code)):
        # Counted outside any transaction, so the failed attempt sticks although the caller gets an error.
        RatingCode.objects.filter(pk=record.pk).update(attempts=F("attempts") + 1)
        raise InvalidInput(message, code="bad_code", fields={"code": [message]})
    return record


def rating_submit(
    *,
    report_id: int,
    phone: str,
    code: str,
    rating: str,
    consent: bool,
    comment: str = "",
    name: str = "",
    now=None,
) -> ReportRating:
    """A voter rates a published report with the code sent to their phone; one rating per phone per report."""
    now = now or timezone.now()
    report = public_report(report_id)
    if not rating_open(report, now):
        raise NotAllowed(_("评议已截止。"))
    errors = validation.Errors()
    phone = _phone(phone, errors)
    if rating not in Rating.values:
        _err(errors, "rating", _("请选择满意、基本满意或不满意。"))
    comment = _text(comment, errors, "comment", _("意见"), COMMENT_MAX, required=False)
    name = _text(name, errors, "name", _("姓名"), NAME_MAX, required=False)
    if consent is not True:
        _err(errors, "consent", _("请阅读并同意个人信息告知。"))
    _raise(errors)
    phone_hash = privacy.keyed_hash(phone)
    if ReportRating.objects.filter(report=report, phone_hash=phone_hash).exists():
        raise InvalidInput(ALREADY_RATED, code="already_rated", fields={"phone": [str(ALREADY_RATED)]})
    record = _check_code(report, phone_hash, code, now)
    try:
        with transaction.atomic():
            row = ReportRating.objects.create(
                report=report,
                phone_hash=phone_hash,
                phone_enc=privacy.encrypt(phone),
                phone_masked=privacy.mask_phone(phone),
                name_enc=privacy.encrypt(name),
                name_masked=privacy.mask_name(name),
                rating=rating,
                comment=comment,
            )
            RatingCode.objects.filter(pk=record.pk).update(used_at=now)
            log_action(
                actor=None,
                actor_role="citizen",
                action="voters.report_rated",
                subject_type="voter_report",
                subject_id=report.pk,
                data={"rating": rating, "phone": row.phone_masked},
            )
    except IntegrityError:
        raise InvalidInput(ALREADY_RATED, code="already_rated", fields={"phone": [str(ALREADY_RATED)]}) from None
    return row


def report_reveal_texts(*, actor, report_id: int) -> VoterReport:
    """The report's text and the voters' comments with the phone and ID numbers typed into them (masked on every
    page and in the API): for the reveal roles who see the report, audited as `voters.report_text_revealed`;
    other roles get a 403 (audited)."""
    report = report_for_actor(actor, report_id)
    comments = list(report.ratings.exclude(comment="").values_list("comment", flat=True))
    text_reveal(
        actor=actor,
        action="voters.report_text_revealed",
        subject_type="voter_report",
        subject_id=report.pk,
        texts=[report.text, *comments],
    )
    return report
