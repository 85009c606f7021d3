"""Excel exports: the points table of a period, the assessment, a deputy's ledger, and the appraisal leaderboard
with every item's details. Deputies' names are public officials' names; no citizen data appears anywhere."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from lianxin.performance import appraisal_compute, points_selectors
from lianxin.performance.enums import EntryState

BOLD = Font(bold=True)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _book(title: str, heading: str, header: list[str]):
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append([heading])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append([str(h) for h in header])
    for cell in sheet[3]:
        cell.font = BOLD
    return book, sheet


def _bytes(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _num(value):
    return None if value is None else float(value)


def points_table(rows, *, year: int, quarter: int) -> bytes:
    columns = points_selectors.columns(rows)
    period = f"{year} 年第 {quarter} 季度" if quarter else f"{year} 年度"
    book, sheet = _book(
        "积分表", f"代表履职积分（{period}）", ["名次", "代表", "编码", "总分", *[label for _v, label in columns]]
    )
    for row in rows:
        sheet.append(
            [row.rank, row.deputy.name, row.deputy.code, _num(row.total), *[_num(row.activity(v)) for v, _l in columns]]
        )
    sheet.column_dimensions["B"].width = 14
    return _bytes(book)


def assessment(items, *, year: int) -> bytes:
    book, sheet = _book(
        "考核", f"代表履职考核（{year} 年度）", ["代表", "编码", "总分", "等次", "适用标准", "未达要求（实际/要求）"]
    )
    for item in items:
        short = "；".join(f"{label} {actual}/{minimum}" for label, actual, minimum in item.shortfalls)
        if item.below_points and item.standard is not None:
            short = "；".join(filter(None, [f"总分低于合格线 {item.standard.pass_points:g}", short]))
        sheet.append(
            [
                item.deputy.name,
                item.deputy.code,
                _num(item.total),
                str(item.grade_label),
                str(item.standard or ""),
                short,
            ]
        )
    return _bytes(book)


def ledger(deputy, entries, *, year: int) -> bytes:
    book, sheet = _book(
        "积分明细",
        f"{deputy.name} 履职积分明细（{year} 年度）",
        ["日期", "履职活动", "分值", "状态", "依据", "规则版本", "理由"],
    )
    for entry in entries:
        sheet.append(
            [
                entry.occurred_on.isoformat(),
                entry.get_activity_display(),
                _num(entry.points),
                str(EntryState(entry.state).label),
                entry.evidence_label,
                f"v{entry.rule.version}" if entry.rule_id else "",
                entry.reason,
            ]
        )
    return _bytes(book)


DETAIL_KEYS = [
    ("assigned", "交办"),
    ("answered", "已答复"),
    ("on_time", "按期答复"),
    ("rated", "已评价"),
    ("satisfied", "满意"),
    ("basically_satisfied", "基本满意"),
    ("unsatisfied", "不满意"),
    ("closed_unrated", "未评价办结"),
    ("unknown", "不了解"),
    ("answered_rate", "办复率"),
    ("on_time_rate", "按期率"),
    ("satisfaction_rate", "满意率"),
    ("satisfaction_incl_basic", "满意率（含基本满意）"),
    ("visits", "进站次数"),
    ("target", "目标次数"),
    ("scorers", "评分人数"),
]


def leaderboard(round_, results) -> bytes:
    items = [r.item for r in results[0].items.all()] if results else []
    book, sheet = _book(
        "排行榜",
        round_.title,
        ["名次", "单位", "总分", *[f"{i.name}（权重 {i.weight:g}）" for i in items], "说明"],
    )
    for result in results:
        sheet.append(
            [
                result.rank,
                result.unit.name,
                _num(result.total),
                *[_num(r.score) for r in result.items.all()],
                result.note,
            ]
        )
    detail = book.create_sheet("计算明细")
    detail.append(["单位", "项目", "得分", "样本量", "样本充足", *[label for _k, label in DETAIL_KEYS]])
    for cell in detail[1]:
        cell.font = BOLD
    for result in results:
        for r in result.items.all():
            detail.append(
                [
                    result.unit.name,
                    r.item.name,
                    _num(r.score),
                    r.sample,
                    "是" if r.enough else "否",
                    *[r.details.get(key) for key, _label in DETAIL_KEYS],
                ]
            )
    method = book.create_sheet("计算方法")
    for item in items:
        method.append([item.name, float(item.weight), appraisal_compute.formula(item, round_)])
    return _bytes(book)
