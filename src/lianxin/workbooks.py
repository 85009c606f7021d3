"""Excel exports' common shape (points, appraisal): a titled sheet with a heading row, a blank row and a bold
header; the bytes of a workbook; numbers as floats (Decimal is not a cell type openpyxl keeps)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

BOLD = Font(bold=True)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def titled_book(title: str, heading: str, header: list[str]):
    """A new workbook whose sheet `title` starts with `heading` (large) and the bold `header` on row 3."""
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


def book_bytes(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def number(value):
    return None if value is None else float(value)
