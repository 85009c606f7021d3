from django.db import migrations


def seed(apps, schema_editor):
    import chinese_calendar

    from lianxin.workdays.names import HOLIDAY_NAMES

    CalendarDay = apps.get_model("workdays", "CalendarDay")
    CalendarYear = apps.get_model("workdays", "CalendarYear")
    years = set()
    rows = []
    for day, name in chinese_calendar.holidays.items():
        years.add(day.year)
        if day.weekday() < 5:
            rows.append(CalendarDay(date=day, is_workday=False, name=HOLIDAY_NAMES.get(name, name)))
    for day, name in chinese_calendar.workdays.items():
        if day.weekday() >= 5:
            rows.append(CalendarDay(date=day, is_workday=True, name=f"{HOLIDAY_NAMES.get(name, name)}调休"))
    CalendarDay.objects.bulk_create(rows, ignore_conflicts=True)
    CalendarYear.objects.bulk_create(
        [CalendarYear(year=year, source="chinesecalendar") for year in sorted(years)], ignore_conflicts=True
    )


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
