"""Intake: every channel (QR codes, web, walk-in, visits, phone, import) becomes a Case here."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin import groupcommit, privacy, validation
from lianxin.audit.services import audit_entry, log_actions
from lianxin.cases import duplicates
from lianxin.cases.codes import new_tracking_code
from lianxin.cases.deadlines import ack_deadline, set_phase
from lianxin.cases.enums import Channel, RequestType, Status
from lianxin.cases.models import Case, CasePhoto
from lianxin.cases.notices import prepared, send_prepared
from lianxin.cases.photos import PreparedPhoto
from lianxin.errors import InvalidInput
from lianxin.organisation.models import Category, Deputy, Division, Station
from lianxin.rows import build, insert_rows

TITLE_MAX = 100
DETAILS_MAX = 5000
NAME_MAX = 30
TRACKING_CODE_ATTEMPTS = 5
# Choices.values builds a new list on every access; intake checks these on every case.
CHANNELS = frozenset(Channel.values)
REQUEST_TYPES = frozenset(RequestType.values)


@dataclass
class Submission:
    """What a citizen (or staff on their behalf) submits, before validation."""

    title: str = ""
    details: str = ""
    channel: str = Channel.WEB
    category_id: int | None = None
    request_type: str = RequestType.HELP
    station_code: str = ""
    deputy_code: str = ""
    grid_code: str = ""
    division_id: int | None = None
    lat: float | None = None
    lng: float | None = None
    address: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    anonymous: bool = False
    consent: bool = False
    deputy_ids_present: list[int] = field(default_factory=list)

    def fingerprint(self) -> str:
        body = json.dumps(self.__dict__, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(body.encode()).hexdigest()


@dataclass
class Resolved:
    station: Station | None
    deputy: Deputy | None
    division: Division | None
    category: Category | None
    phone: str
    name: str
    present: list[Deputy]


# code -> (expires at, on time.monotonic(); the active station with its division). Only stations that
# exist are kept (a flood of made-up codes adds nothing); entries are never mutated, only replaced.
_station_cache: dict[str, tuple[float, Station]] = {}


def active_station(code: str) -> Station | None:
    """The active station with this code (its division loaded), or None.

    Every intake of a station QR code looks its station up, so the answer is kept in this process
    for settings.STATION_CACHE_SECONDS (default 30; 0 turns the cache off): a station deactivated
    or re-assigned stops taking cases, or takes them under its new division, within that time."""
    ttl = settings.STATION_CACHE_SECONDS
    now = time.monotonic()
    if ttl:
        hit = _station_cache.get(code)
        if hit is not None and hit[0] > now:
            return hit[1]
    # code is unique: no ordering needed (first() would add ORDER BY code).
    station = next(iter(Station.objects.filter(code=code, active=True).select_related("division").order_by()[:1]), None)
    if ttl and station is not None:
        _station_cache[code] = (now + ttl, station)
    else:
        _station_cache.pop(code, None)  # deactivated, removed, or the cache is off: forget it now
    return station


def station_cache_clear() -> None:
    """Forget every cached station (tests; a deployment waits at most STATION_CACHE_SECONDS)."""
    _station_cache.clear()


def _err(errors: dict[str, list[str]], key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


# Field names in messages, translated only when a message is made (most submissions have none).
LABEL_TITLE = gettext_lazy("标题")
LABEL_DETAILS = gettext_lazy("具体内容")
LABEL_CODE = gettext_lazy("编码")
LABEL_ADDRESS = gettext_lazy("地址")
LABEL_NAME = gettext_lazy("姓名")
LABEL_PHONE = gettext_lazy("电话")


def validate_submission(sub: Submission, *, staff: bool = False) -> Resolved:
    """Check every field; raise InvalidInput listing every problem. Reads only."""
    errors = validation.Errors()
    # Text fields: invisible-only text is empty, control characters are refused (lianxin/validation.py).
    sub.title = validation.text(sub.title, field="title", label=LABEL_TITLE, max_length=TITLE_MAX, errors=errors)
    if not sub.title and "title" not in errors:
        _err(errors, "title", _("请填写标题。"))
    sub.details = validation.text(
        sub.details, field="details", label=LABEL_DETAILS, max_length=DETAILS_MAX, multiline=True, errors=errors
    )
    if not sub.details and "details" not in errors:
        _err(errors, "details", _("请填写具体内容。"))
    for key in ("station_code", "deputy_code", "grid_code"):
        setattr(sub, key, validation.text(getattr(sub, key), field=key, label=LABEL_CODE, max_length=50, errors=errors))
    if sub.channel not in CHANNELS:
        _err(errors, "channel", _("渠道无效。"))
    if sub.request_type not in REQUEST_TYPES:
        _err(errors, "request_type", _("诉求类型无效。"))
    if not sub.consent:
        _err(errors, "consent", _("请阅读并同意个人信息告知。"))

    station = deputy = division = category = None
    if sub.station_code:
        station = active_station(sub.station_code)
        if station is None:
            _err(errors, "station_code", _("找不到该联络站。"))
    if sub.deputy_code:
        deputy = Deputy.objects.filter(code=sub.deputy_code, active=True).first()
        if deputy is None:
            _err(errors, "deputy_code", _("找不到该代表。"))
    if sub.grid_code:
        division = Division.objects.filter(code=sub.grid_code).first()
        if division is None:
            _err(errors, "grid_code", _("找不到该网格。"))
    elif sub.division_id:
        division = Division.objects.filter(pk=sub.division_id).first()
        if division is None:
            _err(errors, "division", _("找不到该区划。"))
    if sub.category_id:
        category = Category.objects.filter(pk=sub.category_id, active=True).first()
        if category is None:
            _err(errors, "category", _("分类无效。"))

    if (sub.lat is None) != (sub.lng is None):
        _err(errors, "location", _("位置需要同时提供纬度和经度。"))
    elif sub.lat is not None:
        if not (-90 <= sub.lat <= 90 and -180 <= sub.lng <= 180):
            _err(errors, "location", _("位置坐标无效。"))
    sub.address = validation.text(sub.address, field="address", label=LABEL_ADDRESS, max_length=200, errors=errors)

    name = phone = ""
    if not sub.anonymous:
        name = validation.text(
            sub.contact_name, field="contact_name", label=LABEL_NAME, max_length=NAME_MAX, errors=errors
        )
        phone = validation.phone(
            sub.contact_phone, field="contact_phone", label=LABEL_PHONE, required=False, errors=errors
        )

    present: list[Deputy] = []
    if sub.deputy_ids_present:
        if not staff:
            _err(errors, "deputies_present", _("接待代表只能由工作人员登记。"))
        else:
            ids = [int(i) for i in sub.deputy_ids_present]
            present = list(Deputy.objects.filter(pk__in=ids, active=True))
            if len(present) != len(set(ids)):
                _err(errors, "deputies_present", _("接待代表无效。"))
    if errors:
        first = next(iter(errors.values()))[0]
        raise InvalidInput(first, fields=errors)
    if division is None and station is None and deputy is not None:
        grid = deputy.grids.first()
        division = grid
    return Resolved(station, deputy, division, category, phone, name, present)


def _find_duplicate(key: str | None) -> Case | None:
    """The case stored under this duplicate key within its window, or None (cases/duplicates.py)."""
    if not key:
        return None
    code = duplicates.live_codes([key]).get(key)
    return Case.objects.filter(tracking_code=code).first() if code else None


def _find_replay(key: str | None, fingerprint: str) -> Case | None:
    """The case stored earlier under this idempotency key, or None; a key reused for another body is an error."""
    if not key:
        return None
    # Two columns, unordered (the key is unique); the whole case only on a real replay.
    existing = Case.objects.filter(idempotency_key=key).order_by().values_list("pk", "idempotency_fingerprint")[:1]
    if not existing:
        return None
    pk, stored_fingerprint = existing[0]
    if stored_fingerprint != fingerprint:
        raise InvalidInput(
            _("该幂等键已用于另一条不同的提交。"),
            code="idempotency_key_reused",
            fields={"idempotency_key": [_("已被使用")]},
        )
    return Case.objects.get(pk=pk)


def case_register(
    *,
    submission: Submission,
    photos: list[PreparedPhoto] | None = None,
    actor=None,
    idempotency_key: str | None = None,
    duplicate_key: str | None = None,
) -> tuple[Case, bool]:
    """Validate and store a new case; returns (case, created). A replayed idempotency key returns the first case,
    and so does the same text from the same source within the duplicate window (`duplicate_key`, from
    cases/duplicates.py: claimed in the intake's own transaction).

    Everything that only reads (validation, lookups, encryption, codes, deadlines) runs before the
    write transaction, so the write lock (SQLite's BEGIN IMMEDIATE) is held only for the inserts.
    The unique constraints do the uniqueness checks: a replayed idempotency key or (practically
    never: 32^8 codes) a tracking code already taken makes the insert fail; the transaction (a
    savepoint inside an outer one) rolls back, and the replay is answered or a new code is tried."""
    if idempotency_key is not None and (len(idempotency_key) > 100 or not idempotency_key.strip()):
        raise InvalidInput(_("幂等键无效（1–100 个字符）。"), fields={"idempotency_key": [_("无效")]})
    fingerprint = submission.fingerprint()
    try:
        resolved = validate_submission(submission, staff=actor is not None)
    except InvalidInput:
        # A retry of a case stored earlier, or the same text again within the duplicate window, gets that
        # case even if, say, its station has closed since.
        earlier = _find_duplicate(duplicate_key) or _find_replay(idempotency_key, fingerprint)
        if earlier is None:
            raise
        return earlier, False
    case = _new_case(submission, resolved, actor, idempotency_key, fingerprint)
    # The files are written once, before the transaction: a batch that fails and is stored again alone,
    # or a new tracking code, reuses them; an intake that is not stored removes them (no orphan file).
    pending = _Pending(case, resolved, photos or [], actor, [_saved(p) for p in photos or []], duplicate_key)
    try:
        case, created = _store_with_code(pending, idempotency_key, fingerprint)
    except BaseException:
        _remove_files(pending.photo_names)
        raise
    if not created:
        _remove_files(pending.photo_names)  # the replayed case keeps its own photos
    return case, created


def _store_with_code(pending: _Pending, idempotency_key: str | None, fingerprint: str) -> tuple[Case, bool]:
    case = pending.case
    attempts_left = TRACKING_CODE_ATTEMPTS
    while True:
        attempts_left -= 1
        case.tracking_code = new_tracking_code()
        _prepare_writes(pending)  # the rows that carry the code, built before the write lock
        try:
            # With other intakes of this process at the same moment: one transaction, one COMMIT
            # (lianxin/groupcommit.py); alone: its own transaction, as before.
            stored, created = groupcommit.group("intake", _store_many).run(pending)
        except IntegrityError:
            replay = _find_replay(idempotency_key, fingerprint)
            if replay is not None:
                return replay, False  # this key was stored first (a retry, or a concurrent one that won)
            if not attempts_left:
                raise
            continue  # the tracking code was taken: try another
        return stored, created  # created False: the same text from the same source lately (cases/duplicates.py)


def _new_case(sub: Submission, res: Resolved, actor, key, fingerprint) -> Case:
    """The unsaved case, every value computed (no queries)."""
    now = timezone.now()
    division = res.division or (res.station.division if res.station else None)
    case = build(  # Case(...) without the keyword __init__'s cost (lianxin/rows.py)
        Case,
        title=sub.title,
        details=sub.details,
        channel=sub.channel,
        request_type=sub.request_type,
        category=res.category,
        station=res.station,
        deputy=res.deputy,
        division=division,
        handling_division=division,
        lat=sub.lat,
        lng=sub.lng,
        address=sub.address,
        anonymous=sub.anonymous,
        consent_at=now if sub.consent else None,
        contact_name_enc=privacy.encrypt(res.name),
        contact_name_masked=privacy.mask_name(res.name),
        contact_phone_enc=privacy.encrypt(res.phone),
        contact_phone_hash=privacy.keyed_hash(res.phone) if res.phone else "",
        contact_phone_masked=privacy.mask_phone(res.phone),
        idempotency_key=key,
        idempotency_fingerprint=fingerprint,
        created_by=actor,
        status=Status.REGISTERED,
        ack_due_at=ack_deadline(now),
        created_at=now,
    )
    set_phase(case, now)
    return case


@dataclass
class _Pending:
    """One intake ready to store: every value computed, nothing written yet."""

    case: Case
    resolved: Resolved
    photos: list[PreparedPhoto]
    actor: object
    photo_names: list[str] = field(default_factory=list)
    duplicate_key: str | None = None
    audit: object = None  # the unsaved audit entry and outbox rows (_prepare_writes): the case's id comes later
    outbox: list = field(default_factory=list)


def _prepare_writes(pending: _Pending) -> _Pending:
    """Build the intake's audit entry and the citizen's outbox rows now, outside the write transaction: only
    the case's id is filled in under the lock (_store_many). SQLite's one write lock, and the audit chain's
    lock on PostgreSQL, are then held for the INSERTs and the COMMIT, not for building rows."""
    case = pending.case
    pending.audit = audit_entry(
        actor=pending.actor,
        action="case.registered",
        subject_type="case",
        subject_id=None,
        public=True,
        message="您反映的问题已受理，查询码 %s。" % case.tracking_code,
        data={"channel": case.channel, "photos": len(pending.photos), "phone": case.contact_phone_masked},
    )
    pending.outbox = prepared(case, "case.registered")
    return pending


def _store_many(batch: list[_Pending]) -> list[tuple[Case, bool]]:
    """The writes of a batch of intakes (one, or several committed together), in the caller's transaction:
    the duplicate keys claimed, then the cases, the citizens' notifications with one task that tells the
    station, the deputy and the citizens, and last the audit entries, each table in one INSERT
    (lianxin/groupcommit.py); the rows were built before (_prepare_writes). Returns (case, created) per
    intake: a duplicate gets the case it repeats."""
    for item in batch:  # a batch that failed may have set them
        for row in (item.case, item.audit, *item.outbox):
            row.pk, row._state.adding = None, True
    earlier = _repeated(batch)  # position in the batch -> the case that intake repeats
    new = [item for n, item in enumerate(batch) if n not in earlier]
    insert_rows([item.case for item in new])  # no 50-column INSERT compiled per case (lianxin/rows.py)
    for item in new:
        if item.resolved.present:
            item.case.deputies_present.set(item.resolved.present)
        if item.photos:
            CasePhoto.objects.bulk_create(
                [
                    CasePhoto(case=item.case, image=name, width=p.width, height=p.height, size=p.size, sha256=p.sha256)
                    for p, name in zip(item.photos, item.photo_names, strict=True)
                ]
            )
    # The outbox first, the audit entries last: on PostgreSQL the chain's lock (audit/chain.py) is taken by
    # log_actions and held to the COMMIT, so it covers only the audit INSERT and the COMMIT.
    send_prepared([(item.case, "case.registered", ("station", "deputy"), item.outbox) for item in new])
    for item in new:
        item.audit.subject_id = item.case.pk
    log_actions([item.audit for item in new])
    return [(earlier[n], False) if n in earlier else (item.case, True) for n, item in enumerate(batch)]


def _repeated(batch: list[_Pending]) -> dict[int, Case]:
    """Claim the batch's duplicate keys (one statement, cases/duplicates.py). Returns, by position in the
    batch, the case that each duplicate repeats: one stored within the window, or an earlier intake of
    this batch with the same key."""
    first: dict[str, _Pending] = {}  # key -> the first intake of the batch with it
    for item in batch:
        if item.duplicate_key:
            first.setdefault(item.duplicate_key, item)
    if not first:
        return {}
    now = timezone.now()
    claimed = duplicates.claim({key: item.case.tracking_code for key, item in first.items()}, now)
    stored: dict[str, Case] = {}  # key -> the case stored under it within the window
    taken = [key for key in first if key not in claimed]
    if taken:  # duplicates of earlier intakes: rare, so looked up here, in the batch's transaction
        codes = duplicates.live_codes(taken, now)
        cases = {case.tracking_code: case for case in Case.objects.filter(tracking_code__in=list(codes.values()))}
        for key in taken:
            case = cases.get(codes.get(key, ""))
            if case is None:  # the case its row names is gone: this intake is new and takes the key
                duplicates.take_over(key, first[key].case.tracking_code, now)
            else:
                stored[key] = case
    earlier = {}
    for n, item in enumerate(batch):
        key = item.duplicate_key
        if key in stored:
            earlier[n] = stored[key]
        elif key and first[key] is not item:
            earlier[n] = first[key].case
    return earlier


def _saved(photo: PreparedPhoto) -> str:
    """Store the file now (before the transaction); return its storage name."""
    now = timezone.localtime()
    return default_storage.save(f"cases/{now:%Y/%m}/{photo.content.name}", photo.content)


def _remove_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
