"""Reply attachments: size-limited, type checked by content for images and PDFs, stored under a safe name."""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from lianxin.cases.models import CaseAttachment
from lianxin.errors import InvalidInput

SIGNATURES = {
    b"%PDF": "application/pdf",
    b"\x89PNG": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"PK\x03\x04": "application/zip",  # docx / xlsx are zip containers
}
MAX_FILES = 9


def _sniff(data: bytes) -> str | None:
    for signature, content_type in SIGNATURES.items():
        if data.startswith(signature):
            return content_type
    return None


def check_attachments(files) -> list[tuple[str, bytes, str]]:
    if len(files) > MAX_FILES:
        raise InvalidInput(
            _("最多上传 %(MAX_FILES)s 个附件。") % {"MAX_FILES": MAX_FILES}, fields={"attachments": [_("附件过多。")]}
        )
    checked = []
    for upload in files:
        data = upload.read()
        name = os.path.basename(getattr(upload, "name", "") or "附件")[:150]
        if not data:
            raise InvalidInput(_("附件是空文件。"), fields={"attachments": [_("%(name)s：空文件。") % {"name": name}]})
        if len(data) > settings.ATTACHMENT_MAX_BYTES:
            raise InvalidInput(
                _("附件过大。"), fields={"attachments": [_("%(name)s：超过大小限制。") % {"name": name}]}
            )
        content_type = _sniff(data)
        if content_type is None:
            raise InvalidInput(
                _("附件只能是 PDF、图片或 Office 文档。"),
                fields={"attachments": [_("%(name)s：格式不支持。") % {"name": name}]},
            )
        checked.append((name, data, content_type))
    return checked


def store_attachments(*, case, actor, files, public: bool) -> int:
    checked = check_attachments(list(files))
    for name, data, content_type in checked:
        extension = os.path.splitext(name)[1].lower()[:8]
        CaseAttachment.objects.create(
            case=case,
            file=ContentFile(data, name=f"{uuid.uuid4().hex}{extension}"),
            name=name,
            content_type=content_type,
            size=len(data),
            public=public,
            uploaded_by=actor,
        )
    return len(checked)
