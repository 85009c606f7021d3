"""Working-day arithmetic from the holiday table (data, not a library call; domain.md section 5)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.audit.services import log_action
from lianxin.errors import InvalidInput
from lianxin.workdays.models import CalendarDay, CalendarYear
from lianxin.workdays.names import HOLIDAY_NAMES

_CACHE_SECONDS = 60


@dataclass
class _Calendar:
    exceptions: dict[dt.date, bool]
    years: set[int]
    loaded: float


_calendar: _Calendar | None = None


def _load() -> _Calendar:
    global _calendar
    if _calendar is None or time.monotonic() - _calendar.loaded > _CACHE_SECONDS:
        _calendar = _Calendar(
            exceptions=dict(CalendarDay.objects.values_list("date", "is_workday")),
            years=set(CalendarYear.objects.values_list("year", flat=True)),
            loaded=time.monotonic(),
        )
    return _calendar


def calendar_clear_cache() -> None:
    global _calendar
    _calendar = None


def is_working_day(day: dt.date) -> bool:
    exceptions = _load().exceptions
    if day in exceptions:
        return exceptions[day]
    return day.weekday() < 5


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """The end (23:59:59 local time) of the `days`-th working day after `start`'s date.

    Never fails: a year without official data counts weekends only.
    """
    local = timezone.localtime(start)
    day = local.date()
    remaining = max(days, 0)
    while remaining > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    if days <= 0:
        return start
    end = dt.datetime.combine(day, dt.time(23, 59, 59))
    return timezone.make_aware(end, timezone.get_current_timezone())


def missing_years(today: dt.date | None = None) -> list[int]:
    """Years in use (this one and the next once December comes) with no official schedule entered."""
    today = today or timezone.localdate()
    wanted = {today.year}
    if today.month >= 11:
        wanted.add(today.year + 1)
    return sorted(wanted - _load().years)


@transaction.atomic
def calendar_seed_from_package() -> int:
    """Copy the official holidays and make-up days known to `chinesecalendar` into the table."""
    import chinese_calendar  # noqa: PLC0415 — chinesecalendar is only needed when seeding the holiday table

    created = 0
    years: set[int] = set()
    for day, name in chinese_calendar.holidays.items():
        years.add(day.year)
        if day.weekday() >= 5:
            continue  # a weekend inside a holiday is already a day off
        _, was_created = CalendarDay.objects.get_or_create(
            date=day, defaults={"is_workday": False, "name": HOLIDAY_NAMES.get(name, name)}
        )
        created += was_created
    for day, name in chinese_calendar.workdays.items():
        if day.weekday() < 5:
            continue
        _, was_created = CalendarDay.objects.get_or_create(
            date=day, defaults={"is_workday": True, "name": f"{HOLIDAY_NAMES.get(name, name)}调休"}
        )
        created += was_created
    for year in years:
        CalendarYear.objects.get_or_create(year=year, defaults={"source": "chinesecalendar"})
    calendar_clear_cache()
    return created


CALENDAR_TYPES = {"holiday": False, "放假": False, "休": False, "workday": True, "上班": True, "班": True}
CALENDAR_MAX_BYTES = 64 * 1024
CALENDAR_MAX_ROWS = 366


def calendar_parse_csv(data: bytes) -> list[tuple[dt.date, bool, str]]:
    """`date,type,name` rows (type holiday|workday, or 放假|上班) of ONE year; a header row is optional.

    Raises InvalidInput listing every bad row ("第 3 行：……") and nothing is kept.
    """

    if not data:
        raise InvalidInput(_("请选择节假日 CSV 文件。"), fields={"file": [_("必填")]})
    if len(data) > CALENDAR_MAX_BYTES or b"\x00" in data:
        raise InvalidInput(_("文件不是节假日 CSV（应为每行“日期,类型,名称”的小文本文件）。"), code="not_csv")
    text = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise InvalidInput(_("文件编码无法识别，请另存为 UTF-8 的 CSV。"), code="not_csv")
    errors: list[str] = []
    rows: list[tuple[dt.date, bool, str]] = []
    seen: dict[dt.date, int] = {}
    for number, cells in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [cell.strip() for cell in cells]
        if not any(cells):
            continue
        if number == 1 and cells[0].lower() in {"date", "日期"}:
            continue
        if len(rows) >= CALENDAR_MAX_ROWS:
            errors.append(_("行数超过 %d，一个文件只放一年的节假日与调休日。") % CALENDAR_MAX_ROWS)
            break
        value, kind, name = [*cells, "", "", ""][:3]
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            errors.append(_("第 %(n)d 行：日期「%(v)s」无效，应为 2027-01-01 这样的格式") % {"n": number, "v": value})
            continue
        if kind.lower() not in CALENDAR_TYPES:
            errors.append(_("第 %(n)d 行：类型「%(v)s」无效，应为 holiday 或 workday") % {"n": number, "v": kind})
            continue
        if len(name) > 50:
            errors.append(_("第 %d 行：名称不能超过 50 个字") % number)
            continue
        if day in seen:
            errors.append(_("第 %(n)d 行：日期 %(d)s 与第 %(m)d 行重复") % {"n": number, "d": day, "m": seen[day]})
            continue
        seen[day] = number
        rows.append((day, CALENDAR_TYPES[kind.lower()], name))
    years = sorted({day.year for day, _w, _n in rows})
    if len(years) > 1:
        errors.append(_("一个文件只能包含一年的日期，文件中有：%s") % "、".join(map(str, years)))
    if not rows and not errors:
        errors.append(_("文件中没有日期。"))
    if errors:
        raise InvalidInput(
            _("节假日文件有 %d 处错误，未导入。") % len(errors), code="calendar_invalid", fields={"rows": errors}
        )
    return rows


@transaction.atomic
def calendar_import(*, actor, data: bytes, source: str = "") -> tuple[int, int]:
    """Replace one year's holidays and make-up working days and mark the year as entered.

    Returns (year, number of days). Weekdays that are not listed stay working days.
    """

    rows = calendar_parse_csv(data)
    year = rows[0][0].year
    if not (2000 <= year <= 2100):
        raise InvalidInput(_("年份 %d 超出范围。") % year, code="calendar_invalid")
    removed, _details = CalendarDay.objects.filter(date__year=year).delete()
    CalendarDay.objects.bulk_create(
        CalendarDay(date=day, is_workday=is_workday, name=name) for day, is_workday, name in rows
    )
    label = source or _("人大办导入")
    CalendarYear.objects.update_or_create(year=year, defaults={"source": label[:100]})
    log_action(
        actor=actor,
        action="calendar.imported",
        subject_type="calendar_year",
        subject_id=year,
        data={
            "year": year,
            "days": len(rows),
            "holidays": sum(1 for _d, w, _n in rows if not w),
            "workdays": sum(1 for _d, w, _n in rows if w),
            "replaced": removed,
        },
    )
    calendar_clear_cache()
    transaction.on_commit(calendar_clear_cache)
    return year, len(rows)


def calendar_years():
    """Entered years with their day counts, newest first (two queries)."""

    counts = dict(
        CalendarDay.objects.order_by().values_list("date__year").annotate(n=Count("pk")).values_list("date__year", "n")
    )
    return [(row.year, row.source, counts.get(row.year, 0)) for row in CalendarYear.objects.order_by("-year")]
