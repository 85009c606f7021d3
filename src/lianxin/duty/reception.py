"""The reception register (接待登记): each reception day's record and the matters raised there.

Every matter becomes a Case with channel walk_in (through cases.intake.case_register, the one intake
door), linked to the reception; an answer given on the spot goes through cases.services.case_resolve_on_spot.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.audit.reveal import text_reveal
from lianxin.audit.services import log_action
from lianxin.cases.enums import Channel
from lianxin.cases.intake import Submission, case_register
from lianxin.cases.models import Case
from lianxin.cases.services import case_resolve_on_spot
from lianxin.duty import rules
from lianxin.duty.enums import ATTENDED_STATES
from lianxin.duty.models import DutyShift, Reception
from lianxin.duty.validation import as_date, as_id, as_int, as_text
from lianxin.errors import InvalidInput
from lianxin.organisation.models import Deputy

NOTES_MAX = 5000
MAX_VISITORS = 10_000


def attended_deputy_ids(station, day) -> list[int]:
    """The deputies who checked in at the station that day: the default 'deputies present'."""
    return list(
        DutyShift.objects.filter(station=station, date=day, state__in=sorted(ATTENDED_STATES))
        .order_by("deputy__code")
        .values_list("deputy_id", flat=True)
    )


def _present(station, deputy_ids: Any) -> list[Deputy]:
    if deputy_ids is None:
        deputy_ids = []
    if not isinstance(deputy_ids, (list, tuple)) or len(deputy_ids) > 100:
        raise InvalidInput(_("接待代表格式不正确。"), fields={"deputies_present": [_("格式不正确")]})
    ids = {as_id(value, field="deputies_present", label=_("接待代表")) for value in deputy_ids}
    deputies = list(Deputy.objects.filter(pk__in=ids, active=True, stations=station).order_by("code"))
    if len(deputies) != len(ids):
        raise InvalidInput(_("接待代表须是该联络站的进站代表。"), fields={"deputies_present": [_("须是该站的代表")]})
    return deputies


@transaction.atomic
def reception_record(
    *, actor, station_id: Any, date: Any, deputy_ids: Any, visitor_count: Any = 0, notes: Any = ""
) -> tuple[Reception, bool]:
    """Open or update the register of one reception day; returns (reception, created)."""
    station = rules.station_for_actor(actor, station_id, manage=True)
    day = as_date(date, field="date", label=_("接待日期"))
    if day > timezone.localdate():
        raise InvalidInput(_("不能登记未来日期的接待。"), fields={"date": [_("不能晚于今天。")]})
    deputies = _present(station, deputy_ids)
    visitors = as_int(visitor_count or 0, field="visitor_count", label=_("来访人数"), minimum=0, maximum=MAX_VISITORS)
    notes = as_text(notes, field="notes", label=_("接待情况"), maximum=NOTES_MAX)
    reception = Reception.objects.select_for_update().filter(station=station, date=day).first()
    created = reception is None
    if created:
        reception = Reception.objects.create(
            station=station, date=day, visitor_count=visitors, notes=notes, created_by=actor
        )
    else:
        reception.visitor_count, reception.notes = visitors, notes
        reception.save(update_fields=["visitor_count", "notes", "updated_at"])
    reception.deputies_present.set(deputies)
    log_action(
        actor=actor,
        action="duty.reception_recorded" if created else "duty.reception_updated",
        subject_type="reception",
        subject_id=reception.pk,
        data={
            "station": station.pk,
            "date": day.isoformat(),
            "deputies": [d.pk for d in deputies],
            "visitors": visitors,
        },
    )
    return reception, created


@transaction.atomic
def reception_add_matter(*, actor, reception_id: Any, fields: dict[str, Any], answer: Any = "") -> Case:
    """Register a matter raised at the reception as a walk-in Case of the station, with the deputies
    present; answer it on the spot when `answer` is given. All or nothing."""
    reception = rules.reception_for_actor(actor, reception_id)
    answer = as_text(answer, field="resolve_message", label=_("当场答复"), maximum=5000)
    allowed = {
        "title",
        "details",
        "category_id",
        "request_type",
        "address",
        "contact_name",
        "contact_phone",
        "consent",
        "anonymous",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise InvalidInput(_("包含无法识别的字段。"), fields={name: [_("无法识别")] for name in sorted(unknown)})
    submission = Submission(
        channel=Channel.WALK_IN,
        station_code=reception.station.code,
        deputy_ids_present=list(reception.deputies_present.values_list("pk", flat=True)),
        **fields,
    )
    case, _created = case_register(submission=submission, actor=actor)
    reception.cases.add(case)
    if answer:
        case = case_resolve_on_spot(actor=actor, case_id=case.pk, message=answer)
    log_action(
        actor=actor,
        action="duty.reception_matter_added",
        subject_type="reception",
        subject_id=reception.pk,
        data={"case": case.pk, "tracking_code": case.tracking_code, "on_the_spot": bool(answer)},
    )
    return case


def reception_reveal_texts(*, actor, reception_id: Any) -> Reception:
    """The register's notes and its matters' titles, details and answers with the phone and ID numbers typed into
    them (masked on the screens and in the printed register): for the reveal roles, audited as
    `reception.text_revealed`; any other role gets a 403 (audited)."""
    record = rules.reception_for_actor(actor, reception_id)
    texts = [record.notes]
    for title, details, answer in record.cases.values_list("title", "details", "public_answer"):
        texts += [title, details, answer]
    text_reveal(
        actor=actor, action="reception.text_revealed", subject_type="reception", subject_id=record.pk, texts=texts
    )
    return record
