"""Import the registry from one .xlsx workbook or a set of CSV files (one sheet per kind).

Everything is validated first and row errors are collected in Chinese; if there is any error,
nothing is imported. The write happens in one transaction and is idempotent: rows are matched
by code (divisions without a code by their full name path), so a re-import updates instead of
duplicating. A blank cell keeps the stored value; `<清空>` clears it.

The web page first shows a preview (`registry_preview`: every field that will change, per row) and
keeps the parsed sheets in a `RegistryImportDraft`; only `registry_import_confirm` writes, and it
refuses when the changes are no longer the ones previewed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import secrets
import warnings
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.audit.services import log_action
from lianxin.errors import InvalidInput
from lianxin.organisation.models import RegistryImportDraft
from lianxin.organisation.registry_accounts import accounts_apply, accounts_precheck
from lianxin.organisation.registry_apply import plan_apply
from lianxin.organisation.registry_diff import Preview, plan_diff
from lianxin.organisation.registry_plan import Plan, build_plan
from lianxin.organisation.registry_sheets import SHEETS, SheetSpec, cell_text, header_key, sheet_for_name

ZIP_SIGNATURE = b"PK\x03\x04"
DRAFT_TTL = dt.timedelta(hours=24)
Rows = list[tuple[int, dict[str, str]]]


def max_upload_bytes() -> int:
    return settings.REGISTRY_IMPORT_MAX_BYTES


def max_rows() -> int:
    return settings.REGISTRY_IMPORT_MAX_ROWS


def _too_big() -> InvalidInput:
    megabytes = max_upload_bytes() / (1024 * 1024)
    return InvalidInput(_("文件超过 %s MB，请拆分后上传。") % f"{megabytes:g}", code="too_big")


@dataclass
class ImportResult:
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    routing_version: int | None = None
    preview: Preview | None = None

    def rows(self):
        """(label, created, updated, unchanged) per kind, in sheet order, for templates."""
        return [(SHEETS[key].label, c["created"], c["updated"], c["unchanged"]) for key, c in self.counts.items()]


class _Errors(list):
    def add(self, spec: SheetSpec | None, message: str, row: int | None = None, column: str | None = None):
        prefix = f"【{spec.label}】" if spec else ""
        where = _("第 %d 行") % row if row else ""
        label = f"「{spec.column(column).label}」" if spec and column else ""
        self.append(f"{prefix}{where}{label}{'：' if where or label else ''}{message}")


def _fail(errors: list[str]):
    limit = 200
    shown = errors[:limit]
    if len(errors) > limit:
        shown.append(_("……另有 %d 处错误未列出。") % (len(errors) - limit))
    raise InvalidInput(
        _("导入失败：发现 %d 处错误，未导入任何数据。请改正后重新上传。") % len(errors),
        code="import_invalid",
        fields={"rows": shown},
    )


def _table(spec: SheetSpec, rows, errors: _Errors) -> Rows:
    """Header row → column keys; data rows → dicts of text. Blank rows are skipped."""
    iterator = iter(rows)
    header = next(iterator, None)
    if header is None:
        return []
    keys: list[str | None] = []
    for index, value in enumerate(header, start=1):
        text = cell_text(value)
        key = header_key(spec, text) if text else None
        if text and key is None:
            errors.add(spec, _("第 1 行第 %(n)d 列：不认识的列名「%(text)s」") % {"n": index, "text": text})
        if key is not None and key in keys:
            errors.add(spec, _("第 1 行：列「%s」重复") % text)
        keys.append(key)
    for column in spec.columns:
        if column.required and column.key not in keys:
            errors.add(spec, _("缺少必填列「%s」") % column.label)
    table: Rows = []
    for number, values in enumerate(iterator, start=2):
        texts = [cell_text(v) for v in values]
        if not any(texts):
            continue
        if len(table) >= max_rows():
            errors.add(spec, _("行数超过上限 %d，请拆分文件后分批导入") % max_rows())
            break
        record = {key: "" for key in keys if key}
        for key, text in zip(keys, texts, strict=False):
            if key:
                record[key] = text
        table.append((number, record))
    return table


def read_workbook(data: bytes) -> dict[str, Rows]:
    """The sheets of an .xlsx file; a file that is not a real workbook gets one clear error."""
    not_xlsx = _("文件不是有效的 Excel 工作簿（.xlsx）。请下载模板，填写后另存为 .xlsx 再上传。")
    if len(data) > max_upload_bytes():
        raise _too_big()
    if not data.startswith(ZIP_SIGNATURE):
        raise InvalidInput(not_xlsx, code="not_xlsx")
    from openpyxl import load_workbook  # noqa: PLC0415 — openpyxl is heavy and only the workbook import/export needs it

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (BadZipFile, KeyError, InvalidFileException, ...)
        raise InvalidInput(not_xlsx, code="not_xlsx")
    errors = _Errors()
    tables: dict[str, Rows] = {}
    try:
        for worksheet in workbook.worksheets:
            spec = sheet_for_name(worksheet.title)
            if spec is None:
                continue  # e.g. the 说明 sheet
            if spec.key in tables:
                errors.add(spec, _("工作表重复"))
                continue
            tables[spec.key] = _table(spec, worksheet.iter_rows(values_only=True), errors)
    except Exception:
        raise InvalidInput(not_xlsx, code="not_xlsx")
    finally:
        workbook.close()
    if errors:
        _fail(errors)
    return tables


def read_csv_files(files: list[tuple[str, bytes]]) -> dict[str, Rows]:
    """CSV files named after their kind (divisions.csv, 联络站.csv, ...), UTF-8 or GB18030."""
    errors = _Errors()
    tables: dict[str, Rows] = {}
    total = sum(len(data) for _name, data in files)
    if total > max_upload_bytes():
        raise _too_big()
    for name, data in files:
        stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        spec = sheet_for_name(stem)
        if spec is None:
            errors.add(
                None,
                _("文件「%s」的名称不对：应为 divisions、stations、units、deputies、routing 或 accounts 加 .csv")
                % name,
            )
            continue
        if spec.key in tables:
            errors.add(spec, _("重复上传了同一种数据的文件「%s」") % name)
            continue
        if b"\x00" in data:
            errors.add(spec, _("文件「%s」不是文本格式的 CSV") % name)
            continue
        text = None
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        if text is None:
            errors.add(spec, _("文件「%s」的编码无法识别，请另存为 UTF-8 的 CSV") % name)
            continue
        try:
            rows = list(csv.reader(io.StringIO(text)))
        except csv.Error:
            errors.add(spec, _("文件「%s」不是有效的 CSV") % name)
            continue
        tables[spec.key] = _table(spec, rows, errors)
    if errors:
        _fail(errors)
    return tables


def registry_read_upload(files) -> dict[str, Rows]:
    """Uploaded files (Django UploadedFile or (name, bytes)) → tables. One .xlsx, or several .csv."""
    items = []
    for upload in files:
        if isinstance(upload, tuple):
            items.append(upload)
            continue
        if upload.size > max_upload_bytes():
            raise _too_big()
        items.append((upload.name, upload.read()))
    if not items:
        raise InvalidInput(_("请选择要导入的文件。"), fields={"files": [_("必填")]})
    names = [name.lower() for name, _data in items]
    if all(name.endswith(".csv") for name in names):
        return read_csv_files(items)
    if len(items) == 1 and names[0].endswith(".xlsx"):
        return read_workbook(items[0][1])
    raise InvalidInput(_("请上传一个 .xlsx 工作簿，或若干个 .csv 文件（不要混合）。"), code="bad_files")


def _plan(actor, tables: dict[str, Rows]) -> tuple[Plan, Preview]:
    if not any(tables.values()):
        raise InvalidInput(_("文件中没有可导入的数据行。"), code="import_empty")
    errors = _Errors()
    plan: Plan = build_plan(tables, errors)
    accounts_precheck(actor, tables.get("accounts"), errors)
    if errors:
        _fail(errors)
    return plan, plan_diff(plan)


def registry_preview(*, actor, tables: dict[str, Rows]) -> Preview:
    """Validate and compare, write nothing to the registry; keep the sheets for the confirmation.

    The returned preview carries the draft's token; `registry_import_confirm` applies it."""
    _plan_unused, preview = _plan(actor, tables)
    RegistryImportDraft.objects.filter(created_at__lt=timezone.now() - DRAFT_TTL).delete()
    draft = RegistryImportDraft.objects.create(
        token=secrets.token_urlsafe(32),
        actor=actor,
        tables={key: [[number, record] for number, record in rows] for key, rows in tables.items()},
        digest=preview.digest,
    )
    preview.token = draft.token
    return preview


def _draft(actor, token: str) -> RegistryImportDraft:
    """The actor's own draft, still fresh; anything else is the same clear error."""
    draft = RegistryImportDraft.objects.filter(
        token=str(token or "")[:64], actor=actor, created_at__gte=timezone.now() - DRAFT_TTL
    ).first()
    if draft is None:
        raise InvalidInput(_("这次预览已过期或已经导入，请重新上传文件。"), code="preview_missing")
    return draft


def draft_tables(draft: RegistryImportDraft) -> dict[str, Rows]:
    return {key: [(number, record) for number, record in rows] for key, rows in draft.tables.items()}


def registry_import_confirm(*, actor, token: str, digest: str) -> ImportResult:
    """Apply a previewed import. Refused (code `preview_stale`) when the changes differ from the preview."""
    draft = _draft(actor, token)
    result = registry_import(actor=actor, tables=draft_tables(draft), expected_digest=digest)
    draft.delete()
    return result


def registry_preview_again(*, actor, token: str) -> Preview:
    """A fresh preview of a draft's sheets (after a stale confirmation); the old draft is replaced."""
    draft = _draft(actor, token)
    tables = draft_tables(draft)
    draft.delete()
    return registry_preview(actor=actor, tables=tables)


def registry_draft_discard(*, actor, token: str) -> None:
    RegistryImportDraft.objects.filter(token=str(token or "")[:64], actor=actor).delete()


def registry_import(*, actor, tables: dict[str, Rows], expected_digest: str | None = None) -> ImportResult:
    """Validate every row of every sheet, then write all of it in one transaction, or nothing.

    With `expected_digest` (from the preview) the import is refused if the changes are not the ones
    previewed, e.g. because someone edited the registry in between."""
    try:
        with transaction.atomic():
            plan, preview = _plan(actor, tables)
            if expected_digest is not None and preview.digest != expected_digest:
                raise InvalidInput(
                    _("预览之后登记数据已有变化，未导入任何数据。请查看新的预览后再确认。"), code="preview_stale"
                )
            result = _apply(actor, plan)
            if tables.get("accounts"):
                accounts_apply(actor, tables["accounts"], result)
                log_action(
                    actor=actor,
                    action="registry.accounts_imported",
                    subject_type="registry",
                    subject_id=None,
                    data={"counts": result.counts["accounts"]},
                )
    except InvalidInput as exc:  # a service refused a row after all; nothing was kept
        if exc.code in ("import_invalid", "import_empty", "preview_stale"):  # already the import's own
            raise
        _fail([exc.message, *[m for messages in exc.fields.values() for m in messages]])
    result.preview = preview
    return result


def _apply(actor, plan: Plan) -> ImportResult:
    result = ImportResult()
    for key in ("divisions", "stations", "units", "deputies", "routing"):
        if key in plan.kinds:
            result.counts[key] = {"created": 0, "updated": 0, "unchanged": 0}
    plan_apply(plan, actor, result)
    log_action(
        actor=actor,
        action="registry.imported",
        subject_type="registry",
        subject_id=None,
        data={"counts": result.counts, "routing_version": result.routing_version},
    )
    return result
