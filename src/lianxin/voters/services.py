"""Voter contacts: pairing households (结对), recording contacts, the monthly call-back sample and its results.

One function per state change; keyword-only arguments, the actor passed explicitly, one transaction each,
an audit entry each (with masked data only).
"""

from __future__ import annotations

import datetime as dt
import math
import random

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin import privacy, validation
from lianxin.audit.reveal import text_reveal
from lianxin.audit.services import log_action
from lianxin.cases.enums import Channel, RequestType
from lianxin.cases.intake import Submission, case_register
from lianxin.errors import InvalidInput, NotAllowed, NotFound
from lianxin.organisation.enums import DivisionKind
from lianxin.organisation.models import Deputy, Division
from lianxin.privacy import mask_address
from lianxin.voters import conf, rules
from lianxin.voters.enums import CHECKED_RESULTS, CheckResult, ContactWay
from lianxin.voters.models import ContactCheck, Household, SampleDraw, VoterContact

ADDRESS_MAX = 200
NAME_MAX = 30
TEXT_MAX = 2000
NOTE_MAX = 500
CASE_TITLE_MAX = 100


def _err(errors: dict[str, list[str]], key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], fields=errors)


def _writable_deputy(actor, deputy_id):
    deputy = rules.deputy_for_actor(actor, deputy_id)
    if not rules.may_write_for(actor, deputy):
        raise NotFound(_("找不到该代表。"))
    return deputy


ONE_LINE = {"address", "head_name", "case_title"}


def _text(value, errors, key, label, *, required=True, limit=TEXT_MAX) -> str:
    return validation.text(
        value, field=key, label=label, required=required, max_length=limit, multiline=key not in ONE_LINE, errors=errors
    )


def _past_date(value, errors, key, label, today) -> dt.date | None:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        _err(errors, key, _("请填写正确的%(label)s。") % {"label": label})
        return None
    if value > today:
        _err(errors, key, _("%(label)s不能晚于今天。") % {"label": label})
    elif value.year < 2000:
        _err(errors, key, _("请填写正确的%(label)s。") % {"label": label})
    return value


# --- Pairing --------------------------------------------------------------------------------------------------


def household_pair(
    *, actor, deputy_id: int, grid_id, address: str, head_name: str, head_phone: str, paired_on=None
) -> Household:
    """Pair a household with a deputy (结对). The deputy themselves or the office over them may do it."""
    deputy = _writable_deputy(actor, deputy_id)
    today = timezone.localdate()
    errors = validation.Errors()
    address = _text(address, errors, "address", _("地址"), limit=ADDRESS_MAX)
    head_name = _text(head_name, errors, "head_name", _("户主姓名"), limit=NAME_MAX)
    phone = privacy.normalise_phone(head_phone if isinstance(head_phone, str) else "")
    if not phone:
        _err(errors, "head_phone", _("请填写户主电话。"))
    elif not privacy.is_valid_phone(phone):
        _err(errors, "head_phone", _("请填写正确的手机号码或固定电话。"))
    grid = None
    try:
        grid = Division.objects.filter(pk=int(grid_id), kind=DivisionKind.GRID).first()
    except (TypeError, ValueError):
        pass
    if grid is None:
        _err(errors, "grid", _("请选择网格。"))
    paired_on = _past_date(paired_on or today, errors, "paired_on", _("结对日期"), today)
    phone_hash = privacy.keyed_hash(phone) if phone else ""
    if phone_hash and Household.objects.filter(deputy=deputy, head_phone_hash=phone_hash, active=True).exists():
        _err(errors, "head_phone", _("该户已与这位代表结对。"))
    _raise(errors)
    try:
        with transaction.atomic():
            household = Household.objects.create(
                deputy=deputy,
                grid=grid,
                address_enc=privacy.encrypt(address),
                address_masked=mask_address(address),
                head_name_enc=privacy.encrypt(head_name),
                head_name_masked=privacy.mask_name(head_name),
                head_phone_enc=privacy.encrypt(phone),
                head_phone_masked=privacy.mask_phone(phone),
                head_phone_hash=phone_hash,
                paired_on=paired_on,
                created_by=actor,
            )
            log_action(
                actor=actor,
                action="voters.household_paired",
                subject_type="household",
                subject_id=household.pk,
                data={"deputy": deputy.code, "grid": grid.pk, "phone": household.head_phone_masked},
            )
    except IntegrityError:
        raise InvalidInput(_("该户已与这位代表结对。"), fields={"head_phone": [_("该户已与这位代表结对。")]}) from None
    return household


def household_end(*, actor, household_id: int) -> Household:
    """End a pairing (the household moved away, …); its contact records stay."""
    household = None
    if str(household_id).isdigit():
        household = Household.objects.filter(pk=int(household_id)).select_related("deputy").first()
    if household is None:
        raise NotFound(_("找不到该结对户。"))
    _writable_deputy(actor, household.deputy_id)
    if not household.active:
        raise NotAllowed(_("该户已解除结对。"))
    with transaction.atomic():
        household.active = False
        household.ended_on = timezone.localdate()
        household.save(update_fields=["active", "ended_on"])
        log_action(
            actor=actor,
            action="voters.household_ended",
            subject_type="household",
            subject_id=household.pk,
            data={"deputy": household.deputy.code},
        )
    return household


# --- Contacts -------------------------------------------------------------------------------------------------


def contact_record(
    *,
    actor,
    deputy_id: int,
    contacted_on,
    way: str,
    summary: str,
    household_id=None,
    raised: str = "",
    create_case: bool = False,
    case_title: str = "",
) -> VoterContact:
    """Record one contact with voters; what was raised may become a Case (channel 走访) linked to the record."""
    deputy = _writable_deputy(actor, deputy_id)
    today = timezone.localdate()
    errors = validation.Errors()
    contacted_on = _past_date(contacted_on, errors, "contacted_on", _("联系日期"), today)
    if way not in ContactWay.values:
        _err(errors, "way", _("请选择联系方式。"))
    summary = _text(summary, errors, "summary", _("联系情况"))
    raised = _text(raised, errors, "raised", _("反映的问题"), required=bool(create_case))
    case_title = _text(case_title, errors, "case_title", _("民意件标题"), required=False, limit=CASE_TITLE_MAX)
    household = None
    if household_id not in (None, ""):
        try:
            household = Household.objects.filter(pk=int(household_id), deputy=deputy).select_related("grid").first()
        except (TypeError, ValueError):
            household = None
        if household is None:
            _err(errors, "household", _("结对户无效。"))
    _raise(errors)
    with transaction.atomic():
        case = None
        if create_case:
            case = _register_case(actor, deputy, household, raised, case_title)
        contact = VoterContact.objects.create(
            deputy=deputy,
            household=household,
            contacted_on=contacted_on,
            way=way,
            summary=summary,
            raised=raised,
            case=case,
            created_by=actor,
        )
        log_action(
            actor=actor,
            action="voters.contact_recorded",
            subject_type="voter_contact",
            subject_id=contact.pk,
            data={"deputy": deputy.code, "way": way, "case": case.tracking_code if case else ""},
        )
    return contact


def _register_case(actor, deputy, household, raised: str, title: str):
    submission = Submission(
        title=title or raised.splitlines()[0][:30],
        details=raised,
        channel=Channel.VISIT,
        request_type=RequestType.HELP,
        deputy_code=deputy.code,
        division_id=household.grid_id if household else None,
        contact_name=privacy.decrypt(household.head_name_enc) if household else "",
        contact_phone=privacy.decrypt(household.head_phone_enc) if household else "",
        consent=True,
    )
    try:
        case, _created = case_register(submission=submission, actor=actor)
    except InvalidInput as exc:
        fields = {("case_title" if key == "title" else "raised"): value for key, value in exc.fields.items()}
        raise InvalidInput(exc.message, fields=fields) from None
    return case


# --- Monthly sampling and call-backs -------------------------------------------------------------------------


def month_start(value) -> dt.date:
    return value.replace(day=1)


def sample_size(pool: int) -> int:
    """The configured share of the pool, at least the configured minimum, never more than the pool."""
    wanted = max(math.ceil(pool * conf.sample_percent() / 100), conf.sample_minimum())
    return min(pool, wanted)


def contact_sample_draw(*, actor, month, seed: int) -> SampleDraw:
    """Draw the month's records for call-back. Deterministic for (records, seed); a sampled record never
    enters another draw (ContactCheck.contact is one-to-one, so even concurrent draws cannot share one)."""
    if actor is not None and not rules.is_office(actor):
        raise NotAllowed(_("只有人大办工作人员可以抽查。"))
    if isinstance(month, dt.datetime) or not isinstance(month, dt.date):
        raise InvalidInput(_("请选择月份。"), fields={"month": [_("请选择月份。")]})
    if isinstance(seed, bool) or not isinstance(seed, int) or not (0 <= seed < 2**62):
        raise InvalidInput(_("随机种子应为非负整数。"), fields={"seed": [_("随机种子应为非负整数。")]})
    month = month_start(month)
    if month > month_start(timezone.localdate()):
        raise InvalidInput(_("不能抽查未来的月份。"), fields={"month": [_("不能抽查未来的月份。")]})
    next_month = (month + dt.timedelta(days=32)).replace(day=1)
    pool_qs = VoterContact.objects.filter(
        contacted_on__gte=month, contacted_on__lt=next_month, sample_check__isnull=True
    )
    if actor is not None:
        pool_qs = pool_qs.filter(deputy__in=Deputy.objects.filter(rules.office_scope(actor)).values("pk"))
    pool = sorted(pool_qs.values_list("pk", flat=True))
    if not pool:
        raise NotAllowed(_("该月没有可抽查的联系记录。"), code="empty_pool")
    chosen = sorted(random.Random(seed).sample(pool, sample_size(len(pool))))
    try:
        with transaction.atomic():
            draw = SampleDraw.objects.create(month=month, seed=seed, pool_size=len(pool), drawn_by=actor)
            ContactCheck.objects.bulk_create([ContactCheck(draw=draw, contact_id=pk) for pk in chosen])
            log_action(
                actor=actor,
                actor_role="office" if actor is not None else "system",
                action="voters.sample_drawn",
                subject_type="sample_draw",
                subject_id=draw.pk,
                data={"month": f"{month:%Y-%m}", "seed": seed, "pool": len(pool), "drawn": len(chosen)},
            )
    except IntegrityError:
        raise NotAllowed(_("有记录刚被另一次抽查抽中，请重新抽查。"), code="concurrent_draw") from None
    return draw


def _office_check(actor, check_id) -> ContactCheck:
    try:
        check = (
            ContactCheck.objects.select_related("contact__deputy", "contact__household")
            .filter(pk=int(check_id))
            .first()
        )
    except (TypeError, ValueError):
        check = None
    if check is None:
        raise NotFound(_("找不到该抽查记录。"))
    rules.office_deputy(actor, check.contact.deputy_id)
    return check


def contact_check_record(*, actor, check_id: int, result: str, note: str = "") -> ContactCheck:
    """Record the call-back result of a sampled contact (once)."""
    check = _office_check(actor, check_id)
    if check.result != CheckResult.PENDING:
        raise NotAllowed(_("该记录已登记回访结果。"))
    errors = validation.Errors()
    if result not in CHECKED_RESULTS:
        _err(errors, "result", _("请选择回访结果。"))
    note = _text(note, errors, "note", _("回访说明"), required=result == CheckResult.NOT_CONFIRMED, limit=NOTE_MAX)
    _raise(errors)
    with transaction.atomic():
        updated = ContactCheck.objects.filter(pk=check.pk, result=CheckResult.PENDING).update(
            result=result, note=note, checked_by=actor, checked_at=timezone.now()
        )
        if not updated:
            raise NotAllowed(_("该记录已登记回访结果。"))
        log_action(
            actor=actor,
            action="voters.contact_checked",
            subject_type="contact_check",
            subject_id=check.pk,
            data={"deputy": check.contact.deputy.code, "result": result},
        )
    check.refresh_from_db()
    return check


def contact_check_reveal(*, actor, check_id: int) -> dict[str, str]:
    """The household's full name and phone, for the call-back. Every reveal is written to the audit log, and so
    is a refused one (result "denied")."""
    try:
        check = _office_check(actor, check_id)
    except NotAllowed:
        log_action(
            actor=actor,
            action="voters.contact_revealed",
            subject_type="contact_check",
            subject_id=int(check_id),
            result="denied",
        )
        raise
    household = check.contact.household
    if household is None:
        raise NotAllowed(_("该记录没有结对户，无法回访。"))
    log_action(
        actor=actor,
        action="voters.contact_revealed",
        subject_type="household",
        subject_id=household.pk,
        data={"check": check.pk, "phone": household.head_phone_masked},
    )
    return {
        "name": privacy.decrypt(household.head_name_enc),
        "phone": privacy.decrypt(household.head_phone_enc),
    }


def contacts_reveal_texts(*, actor, deputy_id: int) -> Deputy:
    """A deputy's contact records with the phone and ID numbers typed into them (shown masked everywhere): for the
    reveal roles who see the deputy, audited as `voters.contact_text_revealed`; other roles get a 403 (audited)."""
    deputy = rules.deputy_for_actor(actor, deputy_id)
    texts = VoterContact.objects.filter(deputy=deputy).values_list("summary", "raised")
    text_reveal(
        actor=actor,
        action="voters.contact_text_revealed",
        subject_type="deputy",
        subject_id=deputy.pk,
        texts=[text for pair in texts for text in pair],
    )
    return deputy
