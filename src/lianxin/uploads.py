"""Request bodies are measured before they are read (issue 12, item 2).

Two caps, both settings: `REQUEST_MAX_BYTES` for a whole body and `UPLOAD_MAX_FILE_BYTES` for one file.

- `RequestSizeLimitMiddleware` compares the declared Content-Length with the total cap and answers 413
  without reading a byte of the body. Django's WSGI request never reads past Content-Length: a body
  longer than it says is cut there, and a chunked body without one would be read as empty, so it is
  answered 411.
- `CappedUploadHandler`, first of `FILE_UPLOAD_HANDLERS`, counts every file while the multipart parser
  streams it and stops the parse at a cap: the file's chunk past the cap is never kept, the temporary
  file of the current part is closed (and so deleted), and the middleware answers 413.

The handler raises `BodyTooLarge` (a RequestDataTooBig) wherever the body is parsed (CSRF's check of a
web form, a view, the API) and marks the request; the middleware then answers 413 in the caller's
language, JSON for the API and a page for the web, whatever the inner layers made of the exception.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

API_PREFIX = "/api/"
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
REFUSED_ATTRIBUTE = "_lianxin_upload_refused"


class BodyTooLarge(RequestDataTooBig):
    """Stops the multipart parser at a cap without reading the rest of the body."""

    def __init__(self, *, per_file: bool, limit: int):
        super().__init__(too_large_message(per_file=per_file, limit=limit))
        self.per_file = per_file
        self.limit = limit


def _megabytes(limit: int) -> str:
    return f"{limit / (1024 * 1024):g}"


def too_large_message(*, per_file: bool, limit: int) -> str:
    if per_file:
        return _("上传的单个文件不能超过 %(n)s MB。") % {"n": _megabytes(limit)}
    return _("请求内容过大（上限 %(n)s MB），请减少或压缩照片、附件后重试。") % {"n": _megabytes(limit)}


def _json_or_page(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    """The API's error shape (lianxin.api.errors) for API paths, the error page otherwise."""
    if request.path.startswith(API_PREFIX):
        body = {"error": {"code": code, "message": str(message), "fields": {}}}
        return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    return render(request, "413.html", {"message": message, "status": status}, status=status)


def too_large_response(request: HttpRequest, *, per_file: bool, limit: int) -> HttpResponse:
    """413 with a message in the user's language."""
    return _json_or_page(request, 413, "too_large", too_large_message(per_file=per_file, limit=limit))


def declared_length(request: HttpRequest) -> int | None:
    raw = request.META.get("CONTENT_LENGTH") or ""
    try:
        return int(raw)
    except ValueError:
        return None


class CappedUploadHandler(FileUploadHandler):
    """Counts each file and the whole body while they stream; stops at `UPLOAD_MAX_FILE_BYTES` or
    `REQUEST_MAX_BYTES`. Passes every chunk on unchanged to the next handler (memory or temporary file)."""

    def __init__(self, request=None):
        super().__init__(request)
        self.total = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > settings.REQUEST_MAX_BYTES:
            self._refuse(per_file=False, limit=settings.REQUEST_MAX_BYTES)

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > settings.UPLOAD_MAX_FILE_BYTES:
            self._refuse(per_file=True, limit=settings.UPLOAD_MAX_FILE_BYTES)
        self.total += len(raw_data)
        if self.total > settings.REQUEST_MAX_BYTES:
            self._refuse(per_file=False, limit=settings.REQUEST_MAX_BYTES)
        return raw_data

    def file_complete(self, file_size):
        return None

    def _refuse(self, *, per_file: bool, limit: int):
        error = BodyTooLarge(per_file=per_file, limit=limit)
        if self.request is not None:
            setattr(self.request, REFUSED_ATTRIBUTE, error)
            # The part being received is dropped now: its temporary file is closed, and so deleted.
            for handler in self.request.upload_handlers:
                part = getattr(handler, "file", None)
                if part is not None:
                    part.close()
        raise error


class RequestSizeLimitMiddleware:
    """Place after LocaleMiddleware (the message is translated) and before anything that reads the body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in BODY_METHODS:
            length = declared_length(request)
            if length is not None and length > settings.REQUEST_MAX_BYTES:
                return too_large_response(request, per_file=False, limit=settings.REQUEST_MAX_BYTES)
            if length is None and request.META.get("HTTP_TRANSFER_ENCODING"):
                # Django's WSGI request reads only Content-Length bytes: a chunked body would be taken
                # silently as empty. Say so instead.
                message = _("请求须带 Content-Length（不支持分块传输的请求内容）。")
                return _json_or_page(request, 411, "length_required", message)
        response = self.get_response(request)
        # Wherever the parse was stopped (CSRF's check of a web form, a view, the API), the answer is this 413.
        refused = getattr(request, REFUSED_ATTRIBUTE, None)
        if refused is not None:
            return too_large_response(request, per_file=refused.per_file, limit=refused.limit)
        return response
