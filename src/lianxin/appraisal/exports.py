"""Excel export of the published appraisal leaderboard with every item's details and the methods. Units' names
only; no person's name or phone appears."""

from __future__ import annotations

from lianxin.appraisal import compute
from lianxin.workbooks import BOLD, book_bytes, number, titled_book
from lianxin.workbooks import XLSX as XLSX  # the views answer with it

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
    book, sheet = titled_book(
        "排行榜",
        round_.title,
        ["名次", "单位", "总分", *[f"{i.name}（权重 {i.weight:g}）" for i in items], "说明"],
    )
    for result in results:
        sheet.append(
            [
                result.rank,
                result.unit.name,
                number(result.total),
                *[number(r.score) for r in result.items.all()],
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
                    number(r.score),
                    r.sample,
                    "是" if r.enough else "否",
                    *[r.details.get(key) for key, _label in DETAIL_KEYS],
                ]
            )
    method = book.create_sheet("计算方法")
    for item in items:
        method.append([item.name, float(item.weight), compute.formula(item, round_)])
    return book_bytes(book)
