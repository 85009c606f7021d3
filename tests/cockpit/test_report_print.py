"""The monthly report as printed and as a workbook: every character of the formulas drawn, long values wrapped inside
their column, category labels whole, legend swatches before their labels, no heading alone at a page foot; the
workbook's counts and rates are numbers with bold headers and set widths; the month asked for by default is the
cockpit's period, never the unfinished month."""

import dataclasses
import datetime as dt
import io
import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lianxin.cockpit import periods, selectors
from lianxin.cockpit.fonts import font_path
from lianxin.cockpit.reports import _pie_chart, month_period, pdf_bytes, xlsx_bytes
from lianxin.cockpit.rules import Scope

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(font_path() is None, reason="no TrueType CJK font (apt-get install fonts-wqy-zenhei)"),
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) not installed"),
]

HEADING = re.compile(r"^\s*[一二三四五六]、")
LONG_VALUE = "区生态环境分局 80.6分"


def _data(world, **changes) -> selectors.Overview:
    month = periods.month_start(periods.today())
    data = selectors.overview(Scope(world.district.district), month_period(month))
    return dataclasses.replace(data, **changes)


def _pages(content: bytes) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True).stdout
    return text.decode().split("\f")


def _words(content: bytes) -> list[tuple[str, float, float]]:
    """Every word pdftotext finds with its left and right edge (points from the page's left)."""
    html = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=content, capture_output=True, check=True).stdout
    found = re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', html.decode()
    )
    return [(word, float(x0), float(x1)) for x0, x1, word in found]


def test_formula_keeps_its_minus_and_long_values_stay_in_their_column(world):
    extra = [{"label": "部门评议第一名", "value": LONG_VALUE, "formula": "年度部门工作评议总分最高的承办单位"}]
    content = pdf_bytes(_data(world, extra=extra))
    text = "".join(_pages(content))
    assert re.search(r"受理件数\s*[−-]\s*尚在时限内", text), "the 24-hour formula lost its minus sign"
    # the value column runs from 16 + 40 mm to 16 + 40 + 35 mm (A4, 16 mm margins): 158.7 to 258 points
    value_words = [w for w in _words(content) if "分局" in w[0] or "80.6" in w[0]]
    assert value_words
    assert all(x1 <= 258.5 for _word, _x0, x1 in value_words), value_words


def test_category_labels_are_whole(world):
    categories = [
        selectors.Item(key=str(i), label=label, value=10 - i)
        for i, label in enumerate(["劳动和社会保障", "城乡建设", "环境保护", "交通运输", "教育文体"])
    ]
    text = "".join(_pages(pdf_bytes(_data(world, categories=categories))))
    assert "劳动和社会保障" in text


def test_legend_swatches_come_before_their_labels():
    from reportlab.graphics.shapes import Rect, String

    from lianxin.cockpit.fonts import register_cjk_font

    drawing = _pie_chart([("已受理", 3), ("已办结", 5)], register_cjk_font())
    legend = drawing.contents[-1].draw()
    swatches = [n for n in legend.getContents() if isinstance(n, Rect)]
    labels = [n for n in legend.getContents() if isinstance(n, String)]
    assert swatches and labels
    assert max(r.x + r.width for r in swatches) < min(s.x for s in labels)


def test_no_heading_is_left_alone_at_a_page_foot(world):
    """However long the first table grows, a section heading always starts a page together with its content."""
    for extra_rows in range(0, 40, 3):
        extra = [{"label": f"指标{i}", "value": i, "formula": "说明"} for i in range(extra_rows)]
        pages = _pages(pdf_bytes(_data(world, extra=extra)))
        for number, page in enumerate(pages[:-1], start=1):
            lines = [line for line in page.splitlines() if line.strip()]
            assert lines and not HEADING.match(lines[-1]), (extra_rows, number, lines[-1])


def test_workbook_numbers_are_numbers_with_bold_headers_and_widths(world):
    extra = [{"label": "部门评议第一名", "value": LONG_VALUE, "formula": "说明"}]
    book = load_workbook(io.BytesIO(xlsx_bytes(_data(world, extra=extra), world.district.office)))
    overview = book["概览"]
    assert [c.font.bold for c in overview[2]] == [True, True, True]
    rows = {row[0].value: row[1] for row in overview.iter_rows(min_row=3) if row[0].value}
    assert rows["受理件数"].data_type == "n" and isinstance(rows["受理件数"].value, int)
    assert rows["当前超期"].data_type == "n"
    rate = rows["24小时回应率"]
    assert rate.value is None or (isinstance(rate.value, float) and 0 <= rate.value <= 1)
    assert rate.number_format == "0.0%"
    assert rows["部门评议第一名"].value == LONG_VALUE
    assert overview.column_dimensions["C"].width >= 60
    streets = book["街道乡镇"]
    assert all(c.font.bold for c in streets[1])
    for row in streets.iter_rows(min_row=2):
        assert all(c.data_type == "n" for c in row[1:4]), [c.value for c in row]
        assert all(c.value is None or isinstance(c.value, float) for c in row[4:])
    assert streets.column_dimensions["A"].width >= 20
    assert all(c.font.bold for c in book["问题清单"][1])


def test_the_report_month_defaults_to_the_cockpits_finished_period(client, district):
    client.force_login(district.office)
    url = reverse("cockpit:reports")
    this_month = periods.month_start(periods.today())
    last_month = periods.month_start(this_month - dt.timedelta(days=1))

    def default(**query):
        page = client.get(url, {"division": district.district.pk, **query}).content.decode()
        return re.search(r'name="month" value="([^"]*)"', page).group(1)

    assert default() == f"{last_month:%Y-%m}"  # the running month is not over: the last finished one
    assert default(period="month") == f"{last_month:%Y-%m}"
    two_ago = periods.month_start(last_month - dt.timedelta(days=1))
    end = periods.next_month(two_ago) - dt.timedelta(days=1)
    assert default(period="custom", **{"from": two_ago.isoformat(), "to": end.isoformat()}) == f"{two_ago:%Y-%m}"
    overview = client.get(reverse("cockpit:overview"), {"division": district.district.pk, "period": "last30"})
    assert re.search(r'href="/work/cockpit/reports/\?[^"]*period=last30', overview.content.decode())
