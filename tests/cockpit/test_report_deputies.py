"""The monthly report's deputies' activity (PDF and Excel): the overview's columns, rows and ranking, with values
equal to direct counts of the records of the month; the Chinese is drawn in the PDF, not only extractable."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from openpyxl import load_workbook
from PIL import Image, ImageChops

from lianxin.cockpit import services
from lianxin.cockpit.fonts import font_path
from lianxin.cockpit.models import Report
from lianxin.cockpit.periods import today
from lianxin.cockpit.reports import month_period
from lianxin.points import services as points_services
from tests.cockpit.activity import activity_total, direct_counts

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(font_path() is None, reason="no TrueType CJK font (apt-get install fonts-wqy-zenhei)"),
]
POPPLER = all(shutil.which(tool) for tool in ("pdftotext", "pdftoppm"))
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdftoppm) is not installed")

# The columns by their printed label (docs/cockpit.md), and the activity total.
COLUMNS = {
    "民意件": "cases",
    "走访": "visits",
    "代表码": "qr",
    "值班到岗": "duty_shifts",
    "接待日": "duty_receptions",
    "联系选民": "voter_contacts",
    "履职积分": "points",
    "活动合计": "_total",
}
FORMULA = "按活动合计排序：民意件 + 值班到岗 + 联系选民"


def _run(*args, data: bytes) -> bytes:
    return subprocess.run(args, input=data, capture_output=True, check=True, timeout=60).stdout


def _report(activity, division, django_capture_on_commit_callbacks) -> Report:
    """The month's report, made by the background task as in production (inline in tests)."""
    with django_capture_on_commit_callbacks(execute=True):
        services.report_request(actor=activity.district.office, division_id=division.pk, month=f"{today():%Y-%m}")
    report = Report.objects.get(division=division)
    assert report.state == "done", report.error
    return report


def _expected(activity, division, listed: set[str]) -> dict[str, dict]:
    """Direct counts of the month for each deputy of `listed` (stationed in the division or through whom one of its
    matters was raised) with any activity in it."""
    d = activity.district
    period = month_period(today().replace(day=1))
    found = {}
    for deputy in (d.deputy, d.other_deputy, activity.zhou, activity.wu):
        counts = direct_counts(division, deputy, period)
        if deputy.name in listed and any(counts.values()):
            found[deputy.name] = counts | {"_total": activity_total(counts)}
    return found


def _ranked(expected: dict[str, dict]) -> list[str]:
    return sorted(expected, key=lambda name: (-expected[name]["_total"], name))


@pytest.mark.parametrize(
    ("division", "listed", "names"),
    [
        ("district", {"王代表", "周代表", "吴代表", "李代表"}, {"王代表", "周代表", "李代表"}),
        ("street", {"王代表", "周代表", "吴代表"}, {"王代表", "周代表"}),
    ],
)
def test_the_report_shows_the_deputies_activity_as_counted(
    activity, django_capture_on_commit_callbacks, division, listed, names
):
    scope = getattr(activity.district, division)
    # the report is made without a viewer: it shows the points of published periods only (its readers include
    # leaders, who see published tables only)
    points_services.period_publish(
        actor=activity.district.office, year=today().year, quarter=(today().month + 2) // 3, published=True
    )
    report = _report(activity, scope, django_capture_on_commit_callbacks)
    expected = _expected(activity, scope, listed)
    assert set(expected) == names  # 吴代表 was absent: nothing to show
    assert expected["王代表"]["points"] == 5.5  # the pending entry and last year's do not count

    # Excel: a sheet with a header, one ranked row per deputy, then the formula and each column's definition.
    book = load_workbook(io.BytesIO(report.xlsx.read()), read_only=True)
    rows = list(book["代表履职"].iter_rows(values_only=True))
    header = list(rows[0])
    assert header[:2] == ["排名", "代表"] and set(header[2:]) == set(COLUMNS)
    table = [r for r in rows[1:] if r and r[0] is not None and isinstance(r[0], int)]
    assert [r[1] for r in table] == _ranked(expected)
    for row in table:
        got = {COLUMNS[label]: value for label, value in zip(header[2:], row[2:], strict=True)}
        assert got == expected[row[1]], row[1]
    notes = [r[0] for r in rows[len(table) + 1 :] if r and r[0]]
    assert notes[0].startswith(FORMULA)
    assert any(n.startswith("值班到岗：") for n in notes)

    # PDF: the same table in the text (pdftotext -layout keeps each row on a line).
    if not POPPLER:
        return
    text = _run("pdftotext", "-layout", "-", "-", data=report.pdf.read()).decode()
    section = text[text.index("六、代表履职") :]
    assert FORMULA in section and "口径：" in section
    lines = [line.split() for line in section.splitlines()]
    printed = next(line for line in lines if line[:2] == ["排名", "代表"])
    assert set(printed[2:]) == set(COLUMNS)
    shown = [line for line in lines if len(line) == len(printed) and line[0].isdigit()]
    assert [line[1] for line in shown] == _ranked(expected)
    for line in shown:
        got = {COLUMNS[label]: float(value) for label, value in zip(printed[2:], line[2:], strict=True)}
        assert got == {k: float(v) for k, v in expected[line[1]].items()}, line[1]


def _box(bbox_html: str, word: str) -> tuple[int, tuple[float, float, float, float]]:
    """The page (1-based) and the box in points of the first occurrence of `word` (pdftotext -bbox)."""
    for number, page in enumerate(bbox_html.split("<page ")[1:], start=1):
        match = re.search(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">' + re.escape(word) + "</word>",
            page,
        )
        if match:
            return number, tuple(float(v) for v in match.groups())
    raise AssertionError(f"{word} is not in the PDF")


@needs_poppler
def test_the_chinese_column_names_are_drawn(activity, django_capture_on_commit_callbacks):
    """Two different headers are drawn with ink and look different: real glyphs, not empty or identical boxes."""
    pdf = _report(activity, activity.district.district, django_capture_on_commit_callbacks).pdf.read()
    boxes = _run("pdftotext", "-bbox", "-", "-", data=pdf).decode()
    crops = []
    for word in ("值班到岗", "联系选民"):
        page, (x0, y0, x1, y1) = _box(boxes, word)
        png = _run("pdftoppm", "-png", "-r", "144", "-f", str(page), "-l", str(page), "-", data=pdf)
        image = Image.open(io.BytesIO(png)).convert("L")  # 144 dpi: 2 pixels per point
        crop = image.crop((int(x0 * 2), int(y0 * 2), int(x1 * 2) + 1, int(y1 * 2) + 1)).resize((64, 16))
        ink = sum(crop.histogram()[:128])  # dark pixels
        assert ink > 40, f"{word} was not drawn"
        crops.append(crop)
    difference = ImageChops.difference(*crops)
    assert sum(difference.histogram()[97:]) > 40, "the two headers look alike: missing CJK glyphs?"
