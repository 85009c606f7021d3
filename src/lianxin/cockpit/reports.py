"""The monthly report of a division: a PDF (reportlab, charts drawn with reportlab.graphics, a TrueType CJK
font) and an Excel workbook (openpyxl), made by the background task `tasks.generate_report`."""

from __future__ import annotations

import datetime as dt
import io
import logging
from html import escape

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from lianxin.cockpit import conf, lists, selectors
from lianxin.cockpit.fonts import register_cjk_font
from lianxin.cockpit.models import Report, ReportState
from lianxin.cockpit.periods import Period, next_month
from lianxin.cockpit.rules import Scope
from lianxin.privacy import mask_personal_data

logger = logging.getLogger("lianxin.cockpit")


def month_period(first: dt.date) -> Period:
    return Period("custom", first, next_month(first) - dt.timedelta(days=1))


def report_generate(*, report_id: int) -> Report | None:
    """Make both files of a report; on failure the report says so (and the error is logged)."""
    report = Report.objects.select_related("division", "requested_by").filter(pk=report_id).first()
    if report is None or report.state == ReportState.DONE:
        return report
    report.state = ReportState.RUNNING
    report.save(update_fields=["state"])
    try:
        scope = Scope(report.division)
        period = month_period(report.month)
        data = selectors.overview(scope, period)
        stem = f"lianxin-{report.division.pk}-{report.month:%Y-%m}"
        report.pdf.save(f"{stem}.pdf", ContentFile(pdf_bytes(data)), save=False)
        report.xlsx.save(f"{stem}.xlsx", ContentFile(xlsx_bytes(data, report.requested_by)), save=False)
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
    rows = [
        ["受理件数", str(data.totals["total"]), "本期登记的民意件"],
        ["在办", str(data.totals["open"]), "尚未办结"],
        ["已办结", str(data.totals["s_done"]), "已评价、已办结、不予受理、转代表建议"],
        ["当前超期", str(data.overdue), "红灯件（统计时点）"],
    ]
    rows += [[str(r.label), _percent(r), f"{r.formula}：{r.numerator} / {r.denominator}"] for r in data.rates]
    rows += [[str(f.get("label", "")), str(f.get("value", "")), str(f.get("formula", ""))] for f in data.extra]
    return rows


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
    return [data.deputy_formula, *(f"{c.label}：{c.formula}" for c in data.deputy_columns)]


# --- PDF -----------------------------------------------------------------------------------------------


def _bar_chart(items: list[tuple[str, int]], font: str, width=460, height=180):
    from reportlab.graphics.charts.barcharts import VerticalBarChart  # noqa: PLC0415 — reportlab is heavy and only the PDF report needs it
    from reportlab.graphics.shapes import Drawing  # noqa: PLC0415 — reportlab is heavy and only the PDF report needs it
    from reportlab.lib import colors  # noqa: PLC0415 — reportlab is heavy and only the PDF report needs it

    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 40, width - 60, height - 60
    chart.data = [[value for _label, value in items] or [0]]
    chart.categoryAxis.categoryNames = [label[:6] for label, _value in items] or [""]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 30
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = colors.HexColor("#b5232a")
    drawing.add(chart)
    return drawing


def _pie_chart(items: list[tuple[str, int]], font: str, width=460, height=170):
    from reportlab.graphics.charts.legends import Legend  # noqa: PLC0415 — reportlab is heavy and only the PDF report needs it
    from reportlab.graphics.charts.piecharts import Pie  # noqa: PLC0415 — reportlab is heavy and only the PDF report needs it
    from reportlab.graphics.shapes import Drawing  # noqa: PLC0415 — reportlab is heavy and only the PDF report needs it
    from reportlab.lib import colors  # noqa: PLC0415 — reportlab is heavy and only the PDF report needs it

    palette = ["#b5232a", "#e07b39", "#f2c14e", "#5b8e7d", "#2f6690", "#7b5ea7", "#8a8a8a", "#3a7ca5"]
    items = [(label, value) for label, value in items if value] or [("无数据", 1)]
    drawing = Drawing(width, height)
    pie = Pie()
    pie.x, pie.y, pie.width, pie.height = 20, 10, 150, 150
    pie.data = [value for _label, value in items]
    for i in range(len(items)):
        pie.slices[i].fillColor = colors.HexColor(palette[i % len(palette)])
    drawing.add(pie)
    legend = Legend()
    legend.x, legend.y = 200, 150
    legend.fontName = font
    legend.fontSize = 8
    legend.colorNamePairs = [
        (colors.HexColor(palette[i % len(palette)]), f"{label} {value}") for i, (label, value) in enumerate(items)
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
    heading = ParagraphStyle("heading", fontName=font, fontSize=12, leading=16, spaceBefore=10, spaceAfter=4)
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=13)

    def table(rows, widths):
        t = Table(rows, colWidths=widths, repeatRows=1)
        t.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), font),
                    ("FONTSIZE", (0, 0), (-1, -1), 8),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3e3e3")),
                    ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return t

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=f"{data.scope.division.name}民意件月度报告",
    )
    story = [
        Paragraph(f"{data.scope.division.name} 民意件月度报告", title),
        Paragraph(
            f"统计期间：{data.period.start:%Y年%m月%d日} 至 {data.period.end:%Y年%m月%d日}；"
            f"生成时间：{timezone.localtime():%Y-%m-%d %H:%M}",
            body,
        ),
        Paragraph("一、总体情况", heading),
        table(
            [["指标", "数值", "口径"]] + [[a, b, Paragraph(c, body)] for a, b, c in summary_rows(data)],
            [40 * mm, 25 * mm, 110 * mm],
        ),
        Paragraph("二、办理状态与来件渠道", heading),
        _pie_chart([(i.label, i.value) for i in data.status], font),
        _pie_chart([(i.label, i.value) for i in data.channels], font),
        Paragraph(f"三、按{data.children_label}", heading),
        _bar_chart([(r.name, r.sums["total"]) for r in data.children[:12]], font),
        table(
            [[data.children_label, "受理", "在办", "超期", "办复率", "满意率"]]
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
        Paragraph("四、按问题分类", heading),
        _bar_chart([(i.label, i.value) for i in data.categories[:12]], font),
        Paragraph(
            f"五、承办单位办件排名（本期民意件，交办不少于 {conf.ranking_min_sample()} 件，按办复率、满意率；"
            "不是年度部门评议得分）",
            heading,
        ),
        table(
            [["单位", "交办", "办复率", "按期率", "满意率(含基本满意)"]]
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
        Paragraph("说明：统计口径见各指标；“未评价办结”不计入满意率；排名设最低样本量。", body),
    ]
    doc.build(story)
    return out.getvalue()


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
        else Paragraph(escape(_("本期没有代表履职记录。")), body)
    )
    return [
        KeepTogether([Paragraph(escape(_("六、代表履职")), heading), Paragraph(escape(formula), body), shown]),
        Spacer(1, 2 * mm),
        Paragraph(escape(_("口径：") + "；".join(columns)), body),
    ]


# --- Excel ---------------------------------------------------------------------------------------------


def xlsx_bytes(data: selectors.Overview, user) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("概览")
    sheet.append([f"{data.scope.division.name} {data.period.label}"])
    sheet.append(["指标", "数值", "口径"])
    for row in summary_rows(data):
        sheet.append(row)
    sheet = book.create_sheet(_title(data.children_label))
    sheet.append([data.children_label, "受理", "在办", "超期", "办复率", "满意率", "满意率(含基本满意)"])
    for r in data.children:
        sheet.append(
            [
                r.name,
                r.sums["total"],
                r.sums["open"],
                r.overdue,
                r.rate("answer_rate").percent,
                r.rate("satisfaction").percent,
                r.rate("satisfaction_incl").percent,
            ]
        )
    sheet = book.create_sheet("问题分类")
    sheet.append(["分类", "受理"])
    for item in data.categories:
        sheet.append([item.label, item.value])
    sheet = book.create_sheet("承办单位")
    sheet.append(["单位", "交办", "已办复", "办复率", "满意率(含基本满意)"])
    for r in data.units:
        sheet.append(
            [
                r.name,
                r.sums["assigned"],
                r.sums["replied"],
                r.rate("answer_rate").percent,
                r.rate("satisfaction_incl").percent,
            ]
        )
    sheet = book.create_sheet(_title(_("代表履职")))
    header, rows = deputy_rows(data)
    sheet.append(header)
    for row in rows:
        sheet.append([_cell(v) for v in row])
    sheet.append([])
    for note in deputy_notes(data):
        sheet.append([_cell(note)])
    if user is not None:
        for kind, label in lists.LISTS.items():
            columns, rows, total = lists.four_list(user, data.scope, data.period, kind, conf.export_max_rows())
            append_list(book, str(label), columns, rows, total)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def append_list(book, title: str, columns: list[str], rows: list[list], total: int) -> None:
    sheet = book.create_sheet(_title(title))
    sheet.append(columns)
    for row in rows:
        sheet.append([_cell(v) for v in row])
    if total > len(rows):
        sheet.append([f"（共 {total} 条，仅导出前 {len(rows)} 条）"])


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
