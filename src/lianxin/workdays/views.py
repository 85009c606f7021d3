"""The office's import of next year's official holidays (posted from the registry page)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.errors import InvalidInput
from lianxin.organisation.selectors import registry_visible_to
from lianxin.workdays.services import CALENDAR_MAX_BYTES, calendar_import


@login_required
@require_POST
def calendar_import_view(request):
    if not registry_visible_to(request.user):
        raise Http404
    upload = request.FILES.get("file")
    try:
        if upload is not None and upload.size > CALENDAR_MAX_BYTES:
            raise InvalidInput(_("文件太大：节假日 CSV 不超过 64 KB。"))
        data = upload.read() if upload is not None else b""
        year, days = calendar_import(actor=request.user, data=data, source=_("人大办导入"))
    except InvalidInput as exc:
        messages.error(request, exc.message)
        for line in exc.fields.get("rows", [])[:20]:
            messages.error(request, line)
    else:
        messages.success(request, _("已录入 %(year)d 年节假日与调休日 %(days)d 天。") % {"year": year, "days": days})
    return redirect("organisation:registry")
