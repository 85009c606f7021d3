"""The audit log as CSV or an Excel workbook (what the auditor's search found), streamed row by row. Messages
and data are exported with the personal data citizens typed into them masked (a case's reply or note may quote
a phone number): the stored entry, whose hash covers it, is unchanged."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from django.utils import timezone
from openpyxl import Workbook

from lianxin.audit.models import AuditEntry
from lianxin.privacy import mask_personal_data

HEADER = ["编号", "时间", "操作人", "身份", "事件", "对象", "对象编号", "结果", "说明", "变更内容", "哈希"]
MAX_ROWS = 200_000  # an export larger than this is refused by the view: narrow the search


def _safe(value: str) -> str:
    """A cell a spreadsheet would run as a formula is written as text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _row(entry: AuditEntry) -> list:
    return [
        entry.pk,
        timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S"),
        _safe(entry.actor_username),
        entry.actor_role,
        entry.action,
        entry.subject_type,
        entry.subject_id if entry.subject_id is not None else "",
        entry.result,
        _safe(mask_personal_data(entry.message)),
        _safe(mask_personal_data(json.dumps(entry.data, ensure_ascii=False, sort_keys=True))),
        entry.entry_hash,
    ]


def csv_lines(entries) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # Excel opens UTF-8 CSV as such only with a BOM
    writer.writerow(HEADER)
    for entry in entries.iterator(chunk_size=2000):
        writer.writerow(_row(entry))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def workbook_bytes(entries) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("审计日志")
    sheet.append(HEADER)
    for entry in entries.iterator(chunk_size=2000):
        sheet.append(_row(entry))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
