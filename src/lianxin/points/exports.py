"""Excel exports of the points: the table of a period, the assessment, a deputy's ledger. Deputies' names are
public officials' names; no citizen data appears anywhere."""

from __future__ import annotations

from lianxin.points import selectors
from lianxin.points.enums import EntryState
from lianxin.workbooks import XLSX as XLSX  # the views answer with it
from lianxin.workbooks import book_bytes, number, titled_book


def points_table(rows, *, year: int, quarter: int) -> bytes:
    columns = selectors.columns(rows)
    period = f"{year} 年第 {quarter} 季度" if quarter else f"{year} 年度"
    book, sheet = titled_book(
        "积分表", f"代表履职积分（{period}）", ["名次", "代表", "编码", "总分", *[label for _v, label in columns]]
    )
    for row in rows:
        sheet.append(
            [
                row.rank,
                row.deputy.name,
                row.deputy.code,
                number(row.total),
                *[number(row.activity(v)) for v, _l in columns],
            ]
        )
    sheet.column_dimensions["B"].width = 14
    return book_bytes(book)


def assessment(items, *, year: int) -> bytes:
    book, sheet = titled_book(
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
                number(item.total),
                str(item.grade_label),
                str(item.standard or ""),
                short,
            ]
        )
    return book_bytes(book)


def ledger(deputy, entries, *, year: int) -> bytes:
    book, sheet = titled_book(
        "积分明细",
        f"{deputy.name} 履职积分明细（{year} 年度）",
        ["日期", "履职活动", "分值", "状态", "依据", "规则版本", "理由"],
    )
    for entry in entries:
        sheet.append(
            [
                entry.occurred_on.isoformat(),
                entry.get_activity_display(),
                number(entry.points),
                str(EntryState(entry.state).label),
                entry.evidence_label,
                f"v{entry.rule.version}" if entry.rule_id else "",
                entry.reason,
            ]
        )
    return book_bytes(book)
