"""The monthly report is written in the language of whoever asked for it: an English request gets English
headings, labels, formulas, dates and sheet names in both the PDF and the workbook; a Chinese one stays Chinese.
The workbook's numbers are numbers and its columns are as wide as their text."""

import io
import re
import shutil
import subprocess
import unicodedata

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from lianxin.cockpit import periods
from lianxin.cockpit.fonts import font_path
from lianxin.cockpit.models import Report

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(font_path() is None, reason="no TrueType CJK font (apt-get install fonts-wqy-zenhei)"),
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) not installed"),
]
REPORTS = reverse("cockpit:reports")
CHINESE = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _request(client, world, language, django_capture_on_commit_callbacks) -> Report:
    d = world.district
    client.cookies["django_language"] = language
    client.force_login(d.office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REPORTS, {"division": d.district.pk, "month": f"{periods.today():%Y-%m}"})
    assert response.status_code == 302
    report = Report.objects.get(language=language)
    assert report.state == "done", report.error
    return report


def _pdf_text(client, report) -> str:
    pdf = client.get(reverse("cockpit:report_file", args=[report.pk, "pdf"]))
    content = b"".join(pdf.streaming_content)
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def _book(client, report):
    xlsx = client.get(reverse("cockpit:report_file", args=[report.pk, "xlsx"]))
    return load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))


def _names(world) -> list[str]:
    """What the people of the district wrote or named (divisions, stations, units, deputies, categories,
    case titles): data, not the report's own words, so it stays as written."""
    from lianxin.cases.models import Case
    from lianxin.organisation.models import Category, Deputy, Division, HandlingUnit, Station

    names = [
        *Division.objects.values_list("name", flat=True),
        *Station.objects.values_list("name", flat=True),
        *HandlingUnit.objects.values_list("name", flat=True),
        *Deputy.objects.values_list("name", flat=True),
        *Category.objects.values_list("name", flat=True),
        *Case.objects.values_list("title", flat=True),
    ]
    return sorted(set(names), key=len, reverse=True)


def _without_names(text: str, names: list[str]) -> str:
    for name in names:
        text = text.replace(name, "")
    return text


def test_an_english_request_gets_an_english_pdf_and_workbook(client, world, django_capture_on_commit_callbacks):
    report = _request(client, world, "en", django_capture_on_commit_callbacks)
    names = _names(world)
    text = _pdf_text(client, report)
    assert "monthly report" in text
    assert "1. Overview" in text and "Reply rate" in text
    left = [line for line in _without_names(text, names).splitlines() if CHINESE.search(line)]
    assert left == [], left

    book = _book(client, report)
    assert book.sheetnames[0] == "Overview"
    assert not [name for name in book.sheetnames if CHINESE.search(name)], book.sheetnames
    overview = book["Overview"]
    assert [c.value for c in overview[2]] == ["Indicator", "Value", "Definition"]
    for sheet in book.worksheets:
        for row in sheet.iter_rows(max_row=2 if sheet.title == "Overview" else 1):
            for cell in row:
                assert not CHINESE.search(_without_names(str(cell.value or ""), names)), (sheet.title, cell.value)
    for row in overview.iter_rows(min_row=3):
        label = row[0].value
        if label:
            assert not CHINESE.search(_without_names(str(label), names)), label
            assert not CHINESE.search(_without_names(str(row[2].value or ""), names)), row[2].value
    _numbers_and_widths(book, "Overview")


def test_a_chinese_request_stays_chinese(client, world, django_capture_on_commit_callbacks):
    report = _request(client, world, "zh-hans", django_capture_on_commit_callbacks)
    text = _pdf_text(client, report)
    assert "民意件月度报告" in text and "一、总体情况" in text and "Overview" not in text
    book = _book(client, report)
    assert book.sheetnames[:2] == ["概览", "街道乡镇"]
    assert [c.value for c in book["概览"][2]] == ["指标", "数值", "口径"]
    _numbers_and_widths(book, "概览")


def test_a_pending_chinese_report_does_not_answer_an_english_request(client, world):
    from lianxin.cockpit import services

    month = f"{periods.today():%Y-%m}"
    chinese = services.report_request(actor=world.district.office, division_id=None, month=month, language="zh-hans")
    english = services.report_request(actor=world.district.office, division_id=None, month=month, language="en")
    assert chinese.pk != english.pk and (chinese.language, english.language) == ("zh-hans", "en")
    again = services.report_request(actor=world.district.office, division_id=None, month=month, language="en-us")
    assert again.pk == english.pk


def test_the_report_list_says_which_language_each_report_is_in(client, world):
    from lianxin.cockpit import services

    month = f"{periods.today():%Y-%m}"
    for language in ("zh-hans", "en"):
        services.report_request(actor=world.district.office, division_id=None, month=month, language=language)
    client.force_login(world.district.office)
    page = client.get(REPORTS).content.decode()
    table = page[page.index('id="reports"') :]
    assert '<span lang="en">English</span>' in table and '<span lang="zh-hans">简体中文</span>' in table


def _display(value) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in str(value))


def _numbers_and_widths(book, overview_title: str) -> None:
    """Counts are numbers, rates fractions formatted as percentages; every column is at least as wide as its header
    and its values (up to the cap where long text wraps)."""
    overview = book[overview_title]
    for row in overview.iter_rows(min_row=3, max_row=6):
        assert row[1].data_type == "n" and isinstance(row[1].value, int), [c.value for c in row]
    rates = [row[1] for row in overview.iter_rows(min_row=7) if row[1].number_format == "0.0%"]
    assert rates and all(c.value is None or (c.data_type == "n" and 0 <= c.value <= 1) for c in rates)
    for sheet in book.worksheets:
        first = 2 if sheet.title == overview_title else 1
        header = [c.value for c in sheet[first]]
        table = []
        for row in sheet.iter_rows(min_row=first + 1, values_only=True):
            if all(v is None for v in row):
                break  # the notes under the deputies' table are long lines, not a column's values
            table.append(row)
        for index, title in enumerate(header):
            if title is None:
                continue
            width = sheet.column_dimensions[get_column_letter(index + 1)].width
            values = [title] + [
                row[index]
                for row in table
                if len(row) > index and row[index] is not None and not isinstance(row[index], float)
            ]
            widest = max(_display(v) for v in values)
            assert width >= min(widest, 40), (sheet.title, title, width, widest)
