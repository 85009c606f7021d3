"""The monthly report of a division: a PDF (reportlab, charts drawn with reportlab.graphics, a TrueType CJK
font) and an Excel workbook (openpyxl), made by the background task `tasks.generate_report` in the language of
whoever asked for it (`Report.language`)."""

from __future__ import annotations

import datetime as dt
import io
import logging
import unicodedata
from html import escape

from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from lianxin.cockpit import conf, lists, selectors
from lianxin.cockpit.fonts import pdf_text, register_cjk_font
from lianxin.cockpit.models import Report, ReportState
from lianxin.cockpit.periods import Period, next_month
from lianxin.cockpit.rules import Scope
from lianxin.dates import date_label, datetime_label
from lianxin.privacy import mask_personal_data
from lianxin.workbooks import BOLD

logger = logging.getLogger("lianxin.cockpit")
TITLE = Font(bold=True, size=14)


def month_period(first: dt.date) -> Period:
    return Period("custom", first, next_month(first) - dt.timedelta(days=1))


def report_generate(*, report_id: int) -> Report | None:
    """Make both files of a report in the requester's language; on failure the report says so (and the error is
    logged)."""
    report = Report.objects.select_related("division", "requested_by").filter(pk=report_id).first()
    if report is None or report.state == ReportState.DONE:
        return report
    report.state = ReportState.RUNNING
    report.save(update_fields=["state"])
    try:
        with translation.override(report.language or None):  # labels, formulas and dates as the requester reads
            scope = Scope(report.division)
            period = month_period(report.month)
            data = selectors.overview(scope, period)
            pdf, xlsx = pdf_bytes(data), xlsx_bytes(data, report.requested_by)
        stem = f"lianxin-{report.division.pk}-{report.month:%Y-%m}"
        report.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
        report.xlsx.save(f"{stem}.xlsx", ContentFile(xlsx), save=False)
        report.state = ReportState.DONE
        report.error = ""
    except Exception as exc:  # the page shows the failure instead of "generating" forever
        logger.exception("cockpit report %s failed", report_id)
        report.state = ReportState.FAILED
        report.error = str(exc)[:500] or exc.__class__.__name__
    report.finished_at = timezone.now()
    report.save()
    return report


def _percent(rate) -> str:
    return rate.display


def summary_rows(data: selectors.Overview) -> list[list[str]]:
    rows = [[label, str(value), note] for label, value, note in _counts(data)]
    rows += [[str(r.label), _percent(r), _formula(r)] for r in data.rates]
    rows += [[str(f.get("label", "")), str(f.get("value", "")), str(f.get("formula", ""))] for f in data.extra]
    return rows


def _counts(data: selectors.Overview) -> list[tuple[str, int, str]]:
    """The summary's counts: (label, number, what it counts)."""
    return [
        (_("受理件数"), data.totals["total"], _("本期登记的民意件")),
        (_("在办"), data.totals["open"], _("尚未办结")),
        (_("已办结"), data.totals["s_done"], _("已评价、已办结、不予受理、转代表建议")),
        (_("当前超期"), data.overdue, _("红灯件（统计时点）")),
    ]


def _formula(rate) -> str:
    return _("%(formula)s：%(numerator)s / %(denominator)s") % {
        "formula": rate.formula,
        "numerator": rate.numerator,
        "denominator": rate.denominator,
    }


def _number(value):
    """A count as it is; points without a useless “.0” and at most two decimals."""
    if isinstance(value, float):
        return int(value) if value.is_integer() else round(value, 2)
    return value


def deputy_rows(data: selectors.Overview) -> tuple[list[str], list[list]]:
    """The deputies' activity table of the overview (cockpit/deputies.py: same columns, rows and ranking): a header
    and one row per deputy (rank, name, each column, the activity total)."""
    header = [_("排名"), _("代表"), *[c.label for c in data.deputy_columns], _("活动合计")]
    rows = [
        [rank, r.name, *[_number(c.value) for c in r.cells], r.total] for rank, r in enumerate(data.deputies, start=1)
    ]
    return header, rows


def deputy_notes(data: selectors.Overview) -> list[str]:
    """What the table counts: the ranking formula, then each column's definition."""
    return [
        data.deputy_formula,
        *(_("%(label)s：%(formula)s") % {"label": c.label, "formula": c.formula} for c in data.deputy_columns),
    ]


# --- PDF -----------------------------------------------------------------------------------------------


def _bar_chart(items: list[tuple[str, int]], font: str, width=480):
    """Horizontal bars with each label whole at their left ("劳动和社会保障", never cut to fit under a bar)."""
    from reportlab.graphics.charts.barcharts import HorizontalBarChart  # noqa: PLC0415 — reportlab is heavy and only the PDF report needs it
    from reportlab.graphics.shapes import Drawing  # noqa: PLC0415 — reportlab is heavy and only the PDF report needs it
    from reportlab.lib import colors  # noqa: PLC0415 — reportlab is heavy and only the PDF report needs it
    from reportlab.pdfbase.pdfmetrics import stringWidth  # noqa: PLC0415 — reportlab is heavy and only the PDF report needs it

    items = list(reversed(items)) or [("", 0)]  # the chart draws its first category at the bottom
    labels = [pdf_text(label) for label, _value in items]
    label_width = max(stringWidth(label, font, 8) for label in labels) + 8
    height = 30 + 16 * len(items)
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width, 20
    chart.width, chart.height = width - label_width - 20, height - 28
    chart.data = [[value for _label, value in items]]
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    chart.bars[0].fillColor = colors.HexColor("#b5232a")
    drawing.add(chart)
    return drawing


def _pie_chart(items: list[tuple[str, int]], font: str, width=480, height=170):
    """A pie and its legend, each swatch before its label."""
    from reportlab.graphics.charts.legends import Legend  # noqa: PLC0415 — reportlab is heavy and only the PDF report needs it
    from reportlab.graphics.charts.piecharts import Pie  # noqa: PLC0415 — reportlab is heavy and only the PDF report needs it
    from reportlab.graphics.shapes import Drawing  # noqa: PLC0415 — reportlab is heavy and only the PDF report needs it
    from reportlab.lib import colors  # noqa: PLC0415 — reportlab is heavy and only the PDF report needs it

    palette = ["#b5232a", "#e07b39", "#f2c14e", "#5b8e7d", "#2f6690", "#7b5ea7", "#8a8a8a", "#3a7ca5"]
    items = [(label, value) for label, value in items if value] or [(_("无数据"), 1)]
    drawing = Drawing(width, height)
    pie = Pie()
    pie.x, pie.y, pie.width, pie.height = 20, 10, 150, 150
    pie.data = [value for _label, value in items]
    for i in range(len(items)):
        pie.slices[i].fillColor = colors.HexColor(palette[i % len(palette)])
    drawing.add(pie)
    legend = Legend()
    legend.x, legend.y = 200, 150
    legend.alignment = "right"  # reportlab's default, "left", puts the text left of its swatch
    legend.fontName = font
    legend.fontSize = 8
    legend.columnMaximum = 10
    legend.colorNamePairs = [
        (colors.HexColor(palette[i % len(palette)]), pdf_text(f"{label} {value}"))
        for i, (label, value) in enumerate(items)
    ]
    drawing.add(legend)
    return drawing


def pdf_bytes(data: selectors.Overview) -> bytes:
    from reportlab.lib import colors  # noqa: PLC0415 — reportlab is heavy and only the PDF report needs it
    from reportlab.lib.pagesizes import A4  # noqa: PLC0415 — reportlab is heavy and only the PDF report needs it
    from reportlab.lib.styles import ParagraphStyle  # noqa: PLC0415 — reportlab is heavy and only the PDF report needs it
    from reportlab.lib.units import mm  # noqa: PLC0415 — reportlab is heavy and only the PDF report needs it
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle  # noqa: PLC0415 — reportlab is heavy and only the PDF report needs it

    font = register_cjk_font()
    title = ParagraphStyle("title", fontName=font, fontSize=18, leading=24, spaceAfter=6)
    # a heading never stays alone at the foot of a page: it goes over with what follows it
    heading = ParagraphStyle("heading", fontName=font, fontSize=12, leading=16, spaceBefore=10, spaceAfter=4)
    heading.keepWithNext = 1
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=13)
    cell = ParagraphStyle("cell", fontName=font, fontSize=8, leading=10.5, wordWrap="CJK")

    def text(value) -> Paragraph:
        """A cell that wraps inside its column (a plain string runs over into the next one)."""
        return Paragraph(escape(pdf_text(value)), cell)

    def table(rows, widths):
        t = Table([[text(v) for v in row] for row in rows], colWidths=widths, repeatRows=1)
        t.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3e3e3")),
                    ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return t

    def para(value, style=body) -> Paragraph:
        return Paragraph(escape(pdf_text(value)), style)

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=report_title(data),
    )
    story = [
        para(report_title(data), title),
        para(
            _("统计期间：%(start)s 至 %(end)s；生成时间：%(now)s")
            % {
                "start": date_label(data.period.start),
                "end": date_label(data.period.end),
                "now": datetime_label(timezone.now()),
            },
        ),
        para(_("一、总体情况"), heading),
        table([[_("指标"), _("数值"), _("口径")], *summary_rows(data)], [40 * mm, 35 * mm, 100 * mm]),
        para(_("二、办理状态与来件渠道"), heading),
        _pie_chart([(i.label, i.value) for i in data.status], font),
        _pie_chart([(i.label, i.value) for i in data.channels], font),
        para(_("三、按%(children)s") % {"children": data.children_label}, heading),
        _bar_chart([(r.name, r.sums["total"]) for r in data.children[:12]], font),
        table(
            [[data.children_label, _("受理"), _("在办"), _("超期"), _("办复率"), _("满意率")]]
            + [
                [
                    r.name,
                    r.sums["total"],
                    r.sums["open"],
                    r.overdue,
                    r.rate("answer_rate").display,
                    r.rate("satisfaction").display,
                ]
                for r in data.children
            ],
            [50 * mm, 22 * mm, 22 * mm, 22 * mm, 25 * mm, 25 * mm],
        ),
        para(_("四、按问题分类"), heading),
        _bar_chart([(i.label, i.value) for i in data.categories[:12]], font),
        para(
            _("五、承办单位办件排名（本期民意件，交办不少于 %(minimum)s 件，按办复率、满意率；不是年度部门评议得分）")
            % {"minimum": conf.ranking_min_sample()},
            heading,
        ),
        table(
            [[_("单位"), pgettext("count", "交办"), _("办复率"), _("按期率"), _("满意率(含基本满意)")]]
            + (
                [
                    [
                        r.name,
                        r.sums["assigned"],
                        r.rate("answer_rate").display,
                        r.rate("on_time_rate").display,
                        r.rate("satisfaction_incl").display,
                    ]
                    for r in data.units
                ]
                or [["—"] * 5]  # no unit reached the minimum sample: say so instead of an empty table
            ),
            [55 * mm, 20 * mm, 30 * mm, 30 * mm, 40 * mm],
        ),
        *_deputy_story(data, table, heading, body, mm),
        Spacer(1, 4 * mm),
        para(_("说明：统计口径见各指标；“未评价办结”不计入满意率；排名设最低样本量。")),
    ]
    doc.build(story)
    return out.getvalue()


def report_title(data: selectors.Overview) -> str:
    return _("%(division)s 民意件月度报告") % {"division": data.scope.division.name}


def _deputy_story(data: selectors.Overview, table, heading, body, mm) -> list:
    """Section 6: the heading, the ranking formula and the table kept on one page, then what each column counts."""

    from reportlab.platypus import KeepTogether, Paragraph, Spacer  # noqa: PLC0415 — reportlab is heavy and only the PDF report needs it

    header, rows = deputy_rows(data)
    formula, *columns = deputy_notes(data)
    measures = len(header) - 2
    width = min(20 * mm, (172 - 36) * mm / measures)  # the frame is 172 mm wide
    shown = (
        table([header] + [[str(v) for v in row] for row in rows], [10 * mm, 26 * mm] + [width] * measures)
        if rows
        else Paragraph(escape(pdf_text(_("本期没有代表履职记录。"))), body)
    )
    return [
        KeepTogether(
            [Paragraph(escape(pdf_text(_("六、代表履职"))), heading), Paragraph(escape(pdf_text(formula)), body), shown]
        ),
        Spacer(1, 2 * mm),
        Paragraph(escape(pdf_text(_("口径：") + _("；").join(columns))), body),
    ]


# --- Excel ---------------------------------------------------------------------------------------------


def _bold(sheet, value):
    cell = WriteOnlyCell(sheet, value=str(value))
    cell.font = BOLD
    return cell


def _rate(sheet, rate):
    """A rate as the number it is (a fraction shown as a percentage), empty when there is nothing to divide by."""
    cell = WriteOnlyCell(sheet, value=None if rate.percent is None else round(rate.percent / 100, 4))
    cell.number_format = "0.0%"
    return cell


def _width(value) -> int:
    """The columns a value takes in a spreadsheet: a CJK character about two, a rate as "100.0%"."""
    if isinstance(value, Cell):  # WriteOnlyCell makes a Cell
        value = "100.0%" if value.number_format == "0.0%" else value.value
    if value is None:
        return 0
    text = str(value)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _sheet(book, title: str, header: list, rows: list[list], widths: list[int], *, most: int = 60):
    """A sheet with a bold header row and then its rows, each column as wide as its widest value (at least the
    given width, at most `most`): the write-only sheet takes widths before any row, so the rows come in whole."""
    sheet = book.create_sheet(_title(title))
    count = max([len(header), len(widths), *(len(row) for row in rows)])
    for index in range(count):
        texts = [row[index] for row in [header, *rows] if index < len(row)]
        fitted = max([_width(value) + 2 for value in texts] or [0])
        least = widths[index] if index < len(widths) else 8
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(most, max(least, fitted))
    sheet.append([_bold(sheet, h) for h in header])
    for row in rows:
        sheet.append(row)
    return sheet


def xlsx_bytes(data: selectors.Overview, user) -> bytes:
    """The report's workbook: counts and rates as numbers (rates formatted as percentages), bold headers, columns
    wide enough for their text, in the active language."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_title(_("概览")))
    rows = [[label, value, note] for label, value, note in _counts(data)]
    rows += [[str(r.label), _rate(sheet, r), _formula(r)] for r in data.rates]
    for f in data.extra:
        value = f.get("value", "")
        value = value if isinstance(value, int | float) else str(value)
        rows.append([str(f.get("label", "")), value, str(f.get("formula", ""))])
    header = [_("指标"), _("数值"), _("口径")]
    for index, least in enumerate([22, 24, 70]):
        fitted = max(_width(row[index]) + 2 for row in [header, *rows])
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(100, max(least, fitted))
    title = WriteOnlyCell(sheet, value=f"{data.scope.division.name} {data.period.label}")
    title.font = TITLE
    sheet.append([title])
    sheet.append([_bold(sheet, h) for h in header])
    for row in rows:
        sheet.append(row)

    header = [data.children_label, _("受理"), _("在办"), _("超期"), _("办复率"), _("满意率"), _("满意率(含基本满意)")]
    rows = [
        [
            r.name,
            r.sums["total"],
            r.sums["open"],
            r.overdue,
            _rate(sheet, r.rate("answer_rate")),
            _rate(sheet, r.rate("satisfaction")),
            _rate(sheet, r.rate("satisfaction_incl")),
        ]
        for r in data.children
    ]
    _sheet(book, data.children_label, header, rows, [24, 10, 10, 10, 12, 12, 20])
    rows = [[str(item.label), item.value] for item in data.categories]
    _sheet(book, _("问题分类"), [_("分类"), _("受理")], rows, [24, 10])
    rows = [
        [
            r.name,
            r.sums["assigned"],
            r.sums["replied"],
            _rate(sheet, r.rate("answer_rate")),
            _rate(sheet, r.rate("satisfaction_incl")),
        ]
        for r in data.units
    ]
    header = [_("单位"), pgettext("count", "交办"), _("已办复"), _("办复率"), _("满意率(含基本满意)")]
    _sheet(book, _("承办单位"), header, rows, [28, 10, 10, 12, 20])
    header, deputies = deputy_rows(data)
    rows = [[_cell(v) for v in row] for row in deputies]
    notes = [[_cell(note)] for note in deputy_notes(data)]  # long lines under the table: not a column's width
    sheet = _sheet(book, _("代表履职"), header, rows, [8, 14] + [12] * (len(header) - 2))
    sheet.append([])
    for note in notes:
        sheet.append(note)
    if user is not None:
        for kind, label in lists.LISTS.items():
            columns, rows, total = lists.four_list(user, data.scope, data.period, kind, conf.export_max_rows())
            append_list(book, str(label), columns, rows, total)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def append_list(book, title: str, columns: list[str], rows: list[list], total: int) -> None:
    cells = [[_cell(v) for v in row] for row in rows]
    sheet = _sheet(book, title, [str(c) for c in columns], cells, [10] * len(columns), most=40)
    if total > len(rows):
        sheet.append([_("（共 %(total)s 条，仅导出前 %(shown)s 条）") % {"total": total, "shown": len(rows)}])


def _title(text: str) -> str:
    """A valid sheet title: at most 31 characters, none of []:*?/\\."""
    for char in "[]:*?/\\":
        text = text.replace(char, "")
    return text[:31] or "Sheet"


def _cell(value):
    text = mask_personal_data(str(value)) if not isinstance(value, int | float) else value
    if isinstance(text, str) and text[:1] in ("=", "+", "-", "@"):
        return "'" + text  # never let a citizen's title become a spreadsheet formula
    return text


def list_workbook(title: str, columns: list[str], rows: list[list], total: int) -> bytes:
    book = Workbook(write_only=True)
    append_list(book, title, columns, rows, total)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
