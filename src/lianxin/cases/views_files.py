"""Case files (photos, reply attachments) are never served from a public media URL: these views stream
them to signed-in users who may see the case. Deputies' photos are public only when the deputy agreed."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from lianxin.cases.models import CaseAttachment, CasePhoto
from lianxin.cases.rules import case_for_actor
from lianxin.organisation.models import Deputy


def _stream(field, *, content_type: str, download_name: str | None = None) -> FileResponse:
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle, content_type=content_type, as_attachment=download_name is not None, filename=download_name or ""
    )
    response["Cache-Control"] = "private, no-store"  # a case photo or file is personal data
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _visible_case(request, case_id):
    return case_for_actor(request.user, case_id)


@login_required
@require_GET
def case_photo(request, case_id: int, photo_id: int):
    case = _visible_case(request, case_id)
    photo = CasePhoto.objects.filter(pk=photo_id, case=case).first()
    if photo is None:
        raise Http404
    return _stream(photo.image, content_type="image/jpeg")


@login_required
@require_GET
def case_attachment(request, case_id: int, attachment_id: int):
    case = _visible_case(request, case_id)
    attachment = CaseAttachment.objects.filter(pk=attachment_id, case=case).first()
    if attachment is None:
        raise Http404
    return _stream(attachment.file, content_type=attachment.content_type, download_name=attachment.name)


@require_GET
def deputy_photo(request, path: str):
    """`/media/deputies/<file>`: only the photo of an active deputy who agreed to a public profile."""
    deputy = Deputy.objects.filter(photo=f"deputies/{path}", public=True, active=True).first()
    if deputy is None:
        raise Http404
    response = _stream(deputy.photo, content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400"
    return response
