"""Exports of a consultation's comments: an Excel workbook (a summary sheet plus one sheet per article) and
the context of the printable report for the legislature (an HTML page designed for printing / saving as PDF).
Only approved comments are reproduced in full; names are masked, phones never appear."""

from __future__ import annotations

import io
import re

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from lianxin.consultations import selectors
from lianxin.consultations.enums import CommentStatus
from lianxin.consultations.models import Consultation
from lianxin.privacy import mask_personal_data

BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def _sheet_title(number: int, heading: str, used: set[str]) -> str:
    title = BAD_SHEET_CHARS.sub("", f"{number:03d} {heading}")[:31] or f"{number:03d}"
    while title in used:
        title = (title[:28] + f"-{len(used)}")[:31]
    used.add(title)
    return title


def _approved_by_article(consultation: Consultation) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for comment in selectors.comments_of(consultation, status=CommentStatus.APPROVED):
        grouped.setdefault(comment.article_id, []).append(comment)
    return grouped


def workbook_bytes(consultation: Consultation) -> bytes:
    rows = selectors.summary(consultation)
    approved = _approved_by_article(consultation)
    book = Workbook()
    sheet = book.active
    sheet.title = "汇总"
    sheet.append([consultation.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([f"截止时间：{timezone.localtime(consultation.deadline):%Y-%m-%d %H:%M}"])
    sheet.append([])
    sheet.append(["序号", "条目", "意见总数", "已公开", "待审核", "未公开", "群众", "代表"])
    for cell in sheet[4]:
        cell.font = BOLD
    for row in rows:
        a = row.article
        sheet.append(
            [a.number, a.heading, row.total, row.approved, row.pending, row.rejected, row.citizens, row.deputies]
        )
    sheet.append(
        [
            "",
            "合计",
            *(
                sum(getattr(r, key) for r in rows)
                for key in ("total", "approved", "pending", "rejected", "citizens", "deputies")
            ),
        ]
    )
    sheet.column_dimensions["B"].width = 18
    used = {"汇总"}
    for row in rows:
        article = row.article
        ws = book.create_sheet(_sheet_title(article.number, article.heading, used))
        ws.append([article.heading])
        ws["A1"].font = BOLD
        ws.append([article.text])
        ws["A2"].alignment = WRAP
        ws.append([])
        ws.append(["序号", "身份", "提出人", "意见", "提交时间"])
        for cell in ws[4]:
            cell.font = BOLD
        for index, comment in enumerate(approved.get(article.pk, []), start=1):
            ws.append(
                [
                    index,
                    comment.get_author_kind_display(),
                    comment.name_masked or "匿名",
                    mask_personal_data(comment.body),
                    timezone.localtime(comment.created_at).strftime("%Y-%m-%d %H:%M"),
                ]
            )
            ws.cell(row=ws.max_row, column=4).alignment = WRAP
        ws.column_dimensions["A"].width = 8
        ws.column_dimensions["D"].width = 80
        ws.column_dimensions["E"].width = 18
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def report_context(consultation: Consultation) -> dict:
    rows = selectors.summary(consultation)
    approved = _approved_by_article(consultation)
    return {
        "consultation": consultation,
        "rows": [{"summary": row, "comments": approved.get(row.article.pk, [])} for row in rows],
        "totals": {
            key: sum(getattr(r, key) for r in rows)
            for key in ("total", "approved", "pending", "rejected", "citizens", "deputies")
        },
        "generated_at": timezone.now(),
    }
