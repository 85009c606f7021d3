"""Working-day arithmetic from the holiday table, and the office's import of a new year."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lianxin.audit.models import AuditEntry
from lianxin.errors import InvalidInput
from lianxin.workdays.models import CalendarDay, CalendarYear
from lianxin.workdays.services import add_working_days, calendar_import, is_working_day, missing_years

pytestmark = pytest.mark.django_db


def at(year, month, day, hour=10):
    return timezone.make_aware(dt.datetime(year, month, day, hour), timezone.get_current_timezone())


def end_of(year, month, day):
    return timezone.make_aware(dt.datetime(year, month, day, 23, 59, 59), timezone.get_current_timezone())


def test_the_seeded_table_holds_national_day_2026():
    off = {
        d
        for d in CalendarDay.objects.filter(date__range=("2026-09-20", "2026-10-12"), is_workday=False).values_list(
            "date", flat=True
        )
    }
    make_up = set(
        CalendarDay.objects.filter(date__year=2026, is_workday=True, name__startswith="国庆").values_list(
            "date", flat=True
        )
    )
    assert {dt.date(2026, 10, d) for d in (1, 2, 5, 6, 7)} <= off  # the weekdays of 10-01..10-07
    assert make_up == {dt.date(2026, 9, 20), dt.date(2026, 10, 10)}
    assert [is_working_day(dt.date(2026, 10, d)) for d in range(1, 12)] == [
        False,
        False,
        False,
        False,
        False,
        False,
        False,  # 10-01 .. 10-07 off
        True,
        True,  # Thursday 10-08 and Friday 10-09 are ordinary working days
        True,  # Saturday 10-10 is a make-up working day
        False,  # Sunday 10-11
    ]


def test_deadlines_across_national_day_2026():
    # The brief expected 10-09 for "+1 working day from 09-30"; the official table makes 10-08
    # (a Thursday after the seven days off) the first working day, so that is the deadline.
    assert add_working_days(at(2026, 9, 30), 1) == end_of(2026, 10, 8)
    assert add_working_days(at(2026, 9, 30), 2) == end_of(2026, 10, 9)
    assert add_working_days(at(2026, 10, 9), 1) == end_of(2026, 10, 10)  # the make-up Saturday counts
    assert add_working_days(at(2026, 10, 10), 1) == end_of(2026, 10, 12)
    assert add_working_days(at(2026, 9, 24), 1) == end_of(2026, 9, 28)  # Mid-autumn 09-25 off


def test_a_year_without_data_counts_weekends_only_and_never_fails():
    assert not CalendarYear.objects.filter(year=2030).exists()
    assert not CalendarDay.objects.filter(date__year=2030).exists()
    assert add_working_days(at(2029, 12, 31), 1) == end_of(2030, 1, 1)  # New Year's Day unknown: a working day
    assert add_working_days(at(2030, 1, 4), 1) == end_of(2030, 1, 7)  # Friday → Monday
    assert add_working_days(at(2030, 1, 4), 10) == end_of(2030, 1, 18)
    far = add_working_days(at(2030, 1, 1), 2000)
    assert far.year == 2037
    assert missing_years(dt.date(2030, 3, 1)) == [2030]
    assert missing_years(dt.date(2030, 11, 15)) == [2030, 2031]
    assert missing_years(dt.date(2026, 3, 1)) == []


CSV_2030 = """date,type,name
2030-01-01,holiday,元旦
2030-10-01,holiday,国庆节
2030-10-02,holiday,国庆节
2030-10-03,holiday,国庆节
2030-10-04,holiday,国庆节
2030-10-07,holiday,国庆节
2030-09-29,workday,国庆节调休
2030-10-12,workday,国庆节调休
""".encode()


def test_importing_a_year_fills_it_in(district):
    year, days = calendar_import(actor=district.office, data=CSV_2030)

    assert (year, days) == (2030, 8)
    assert CalendarYear.objects.get(year=2030).source == "人大办导入"
    assert missing_years(dt.date(2030, 3, 1)) == []
    assert add_working_days(at(2029, 12, 31), 1) == end_of(2030, 1, 2)
    assert add_working_days(at(2030, 9, 30), 1) == end_of(2030, 10, 8)
    assert add_working_days(at(2030, 10, 11), 1) == end_of(2030, 10, 12)  # make-up Saturday
    entry = AuditEntry.objects.get(action="calendar.imported")
    assert (entry.actor, entry.data["holidays"], entry.data["workdays"]) == (district.office, 6, 2)

    # Re-importing replaces the year instead of adding to it.
    calendar_import(actor=district.office, data="2030-01-01,holiday,元旦\n".encode())
    assert list(CalendarDay.objects.filter(date__year=2030).values_list("date", flat=True)) == [dt.date(2030, 1, 1)]
    assert add_working_days(at(2030, 9, 30), 1) == end_of(2030, 10, 1)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "请选择"),
        (b"\x00\x01binary", "不是节假日 CSV"),
        (b"x" * 70_000, "不是节假日 CSV"),
        (b"date,type,name\n", "文件中没有日期"),
        (b"2030-02-30,holiday,x\n", "第 1 行：日期「2030-02-30」无效"),
        (b"2030-10-01,day-off,x\n", "第 1 行：类型「day-off」无效"),
        ("2030-10-01,holiday,国庆\n2030-10-01,workday,调休\n".encode(), "第 2 行：日期 2030-10-01 与第 1 行重复"),
        (b"2030-10-01,holiday,a\n2031-01-01,holiday,b\n", "只能包含一年"),
        ("2030-10-01,holiday,{}\n".format("长" * 51).encode(), "名称不能超过 50 个字"),
    ],
)
def test_bad_calendar_files_store_nothing(district, data, expected):
    before = (CalendarDay.objects.count(), CalendarYear.objects.count(), AuditEntry.objects.count())
    with pytest.raises(InvalidInput) as caught:
        calendar_import(actor=district.office, data=data)
    text = caught.value.message + " ".join(caught.value.fields.get("rows", []))
    assert expected in text
    assert (CalendarDay.objects.count(), CalendarYear.objects.count(), AuditEntry.objects.count()) == before


def test_gb18030_files_from_excel_are_read(district):
    calendar_import(actor=district.office, data="日期,类型,名称\n2030-05-01,放假,劳动节\n".encode("gb18030"))
    assert CalendarDay.objects.get(date="2030-05-01").name == "劳动节"


def test_the_office_imports_from_the_registry_page(client, district):
    client.force_login(district.office)
    response = client.post(
        reverse("organisation:calendar_import"), {"file": SimpleUploadedFile("2030.csv", CSV_2030)}, follow=True
    )
    assert response.status_code == 200
    assert "已录入 2030 年节假日与调休日 8 天" in response.content.decode()
    assert CalendarYear.objects.filter(year=2030).exists()

    bad = client.post(
        reverse("organisation:calendar_import"),
        {"file": SimpleUploadedFile("2031.csv", b"2031-13-01,holiday,x\n")},
        follow=True,
    )
    assert "第 1 行：日期「2031-13-01」无效" in bad.content.decode()
    assert not CalendarYear.objects.filter(year=2031).exists()
    assert client.get(reverse("organisation:calendar_import")).status_code == 405
