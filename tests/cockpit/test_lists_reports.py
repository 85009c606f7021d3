"""The four lists on screen and in Excel, the monthly report (PDF with Chinese text, Excel) made by the
background task, and what happens with bad or foreign input."""

import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lianxin.audit.models import AuditEntry
from lianxin.cockpit import periods
from lianxin.cockpit.fonts import font_path
from lianxin.cockpit.models import Report

pytestmark = pytest.mark.django_db

LISTS = reverse("cockpit:lists")
REPORTS = reverse("cockpit:reports")


def _sheet(content: bytes):
    return load_workbook(io.BytesIO(content), read_only=True).worksheets[0]


def test_four_lists_on_screen_and_in_excel(client, world):
    d = world.district
    client.force_login(d.office)
    expected = {"problems": len([c for c in world.cases.values() if c.created_at.year == periods.today().year])}
    for kind in ("work", "problems", "suggestions", "results"):
        page = client.get(LISTS, {"list": kind, "period": "year"})
        assert page.status_code == 200
        download = client.get(LISTS, {"list": kind, "period": "year", "format": "xlsx"})
        assert download["Content-Type"].startswith("application/vnd.openxmlformats")
        rows = list(_sheet(download.content).iter_rows(values_only=True))
        assert list(rows[0]) == page.context["columns"]
        assert len(rows) - 1 == page.context["total"]
        if kind in expected:
            assert page.context["total"] == expected[kind]
    work = client.get(LISTS, {"list": "work", "period": "year"}).context
    assert {row[1] for row in work["rows"]} == {"来访接待", "代表走访"}
    results = client.get(LISTS, {"list": "results", "period": "year"}).context
    assert sorted(row[2] for row in results["rows"]) == sorted(
        [world.cases["satisfied"].title, world.cases["basically_satisfied"].title, world.cases["resolved"].title]
    )


def test_a_street_list_holds_only_its_own(client, world):
    d = world.district
    client.force_login(d.outsider)
    rows = client.get(LISTS, {"list": "problems", "period": "year"}).context["rows"]
    assert rows and all(r[4] == d.other_station.name for r in rows)


def test_excel_cells_never_become_formulas(client, district):
    from tests.factories import submit_case

    submit_case(title='=HYPERLINK("http://x")')
    from lianxin.cockpit import rollups

    rollups.refresh()
    client.force_login(district.office)
    sheet = _sheet(client.get(LISTS, {"list": "problems", "format": "xlsx"}).content)
    titles = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles == ['\'=HYPERLINK("http://x")']


def test_unknown_list_is_a_404(client, district):
    client.force_login(district.office)
    assert client.get(LISTS, {"list": "secrets"}).status_code == 404


@pytest.mark.skipif(font_path() is None, reason="no TrueType CJK font (apt-get install fonts-wqy-zenhei)")
def test_monthly_report_is_made_in_the_background_and_downloadable(client, world, django_capture_on_commit_callbacks):
    d = world.district
    client.force_login(d.office)
    month = f"{periods.today():%Y-%m}"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REPORTS + f"?division={d.district.pk}", {"division": d.district.pk, "month": month})
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.state == "done", report.error
    assert AuditEntry.objects.filter(action="cockpit.report_requested", subject_id=report.pk).exists()
    pdf = client.get(reverse("cockpit:report_file", args=[report.pk, "pdf"]))
    content = b"".join(pdf.streaming_content)
    assert content.startswith(b"%PDF") and b"/FontFile2" in content  # an embedded TrueType font
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()
        assert "民意件月度报告" in text and d.district.name in text and "办复率" in text
    xlsx = client.get(reverse("cockpit:report_file", args=[report.pk, "xlsx"]))
    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)), read_only=True)
    assert book.sheetnames[:2] == ["概览", "街道乡镇"] and "问题清单" in book.sheetnames
    # The street's staff cannot download the district's report.
    client.force_login(d.station_staff)
    assert client.get(reverse("cockpit:report_file", args=[report.pk, "pdf"])).status_code == 404


@pytest.mark.skipif(font_path() is None, reason="no TrueType CJK font (apt-get install fonts-wqy-zenhei)")
def test_monthly_report_is_kept_in_a_storage_without_paths(
    client, world, django_capture_on_commit_callbacks, object_storage
):
    test_monthly_report_is_made_in_the_background_and_downloadable(client, world, django_capture_on_commit_callbacks)
    report = Report.objects.get()
    assert object_storage.names() == sorted([report.pdf.name, report.xlsx.name])


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("", "月份格式不正确"),
        ("2026-1", "月份格式不正确"),
        ("abcd-ef", "月份格式不正确"),
        ("2999-01", "只能生成"),
        ("1999-12", "只能生成"),
        ("2026-13", "月份格式不正确"),
        ("x" * 5000, "月份格式不正确"),
    ],
)
def test_bad_month_stores_nothing(client, district, month, message):
    client.force_login(district.office)
    response = client.post(REPORTS, {"division": district.district.pk, "month": month})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Report.objects.exists()


def test_foreign_division_report_is_a_404_and_stores_nothing(client, district):
    client.force_login(district.station_staff)
    response = client.post(REPORTS, {"division": district.other_street.pk, "month": f"{periods.today():%Y-%m}"})
    assert response.status_code == 404
    assert not Report.objects.exists()


def test_report_without_font_fails_visibly(settings, world, monkeypatch):
    """When no CJK font is installed the report says so instead of producing boxes."""
    from lianxin.cockpit import fonts, services

    monkeypatch.setattr(fonts, "CANDIDATES", [])
    monkeypatch.setenv("LIANXIN_CJK_FONT", "")
    settings.CJK_FONT_PATH = "/nonexistent.ttf"
    fonts.register_cjk_font.cache_clear()
    try:
        report = services.report_request(
            actor=world.district.office, division_id=None, month=f"{periods.today():%Y-%m}"
        )
        from lianxin.cockpit.reports import report_generate

        report = report_generate(report_id=report.pk)
        assert report.state == "failed" and "fonts-wqy-zenhei" in report.error
    finally:
        fonts.register_cjk_font.cache_clear()
