"""One error shape for the whole API: ``{"error": {"code", "message", "fields"}}`` with a 4xx status.

Every failure the API can meet is mapped here: domain errors from the services, input that does not
fit the schema, a missing or bad token, unknown objects, malformed or oversized bodies and a
wrong content type. Messages are in Chinese and stable ``code`` values are for programs.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from lianxin.errors import DomainError

logger = logging.getLogger("lianxin.api")

# Where ninja says an error comes from; the first part of `loc` that is not a field name.
SOURCES = {"body", "query", "path", "form", "header", "cookie", "file"}
# Body parameters are always named `payload` in our operations: the name is not a field either.
BODY_PARAM = "payload"


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorOut(Schema):
    error: ErrorDetail


class BadRequest(DomainError):
    status = 400
    code = "bad_request"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"


class UnsupportedMediaType(DomainError):
    status = 415
    code = "unsupported_media_type"


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def error_response(status: int, code: str, message: str, fields: dict[str, list[str]] | None = None) -> HttpResponse:
    return JsonResponse(error_body(code, message, fields), status=status, json_dumps_params={"ensure_ascii": False})


def errors_documented(*statuses: int) -> dict[int, type[ErrorOut]]:
    """For an operation's ``response=``: the error statuses it can answer, all with the one shape."""
    return dict.fromkeys(statuses, ErrorOut)


# --- pydantic / ninja validation errors -> per-field Chinese messages ---------------------------------


def _field_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("必填。")
    if kind in {"string_type", "str_type"}:
        return _("须为文字。")
    if kind == "string_too_long":
        return _("不能超过 %(n)s 个字。") % {"n": ctx.get("max_length", "")}
    if kind == "string_too_short":
        return _("不能为空。")
    if kind in {"int_type", "int_parsing", "int_from_float", "int_parsing_size"}:
        return _("须为整数。")
    if kind in {"float_type", "float_parsing", "finite_number"}:
        return _("须为数字。")
    if kind in {"bool_type", "bool_parsing"}:
        return _("须为 true 或 false。")
    if kind in {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}:
        return _("超出允许范围。")
    if kind in {"literal_error", "enum"}:
        return _("取值无效。")
    if kind in {"list_type", "too_long", "too_short"}:
        return _("列表格式不正确。")
    return _("格式不正确。")


def field_name(loc: tuple | list) -> str:
    """The input field an error belongs to: ``("body", "payload", "location", "lat")`` -> ``location``."""
    parts = [part for part in loc if isinstance(part, str)]
    if parts and parts[0] in SOURCES:
        source = parts.pop(0)
        if source == "body" and parts and parts[0] == BODY_PARAM:
            parts.pop(0)
    return parts[0] if parts else "__all__"


def fields_from_errors(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        messages = fields.setdefault(field_name(error.get("loc", ())), [])
        message = _field_message(error)
        if message not in messages:
            messages.append(message)
    return fields


def invalid_input_response(errors: list[dict[str, Any]]) -> HttpResponse:
    return error_response(422, "invalid_input", _("输入格式不正确。"), fields_from_errors(errors))


# --- handlers ---------------------------------------------------------------------------------------


def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return error_response(exc.status, exc.code, exc.message, exc.fields)


def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return invalid_input_response(exc.errors)


def _authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(401, "unauthorized", _("请先登录：缺少令牌，或令牌无效、已过期。"))


def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(404, "not_found", _("找不到该对象。"))


def _is_json(request: HttpRequest) -> bool:
    content_type = request.content_type or ""
    return content_type == "application/json" or content_type.endswith("+json")


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    status = exc.status_code
    if status == 400:
        # ninja raises this when a JSON body does not parse: tell a wrong content type apart.
        if not _is_json(request):
            return error_response(
                415, "unsupported_media_type", _("请求内容须为 JSON（Content-Type: application/json）。")
            )
        return error_response(400, "malformed_json", _("请求内容不是有效的 JSON。"))
    if status == 403:
        return error_response(403, "forbidden", _("您无权执行此操作。"))
    if status == 429:
        return error_response(429, "throttled", _("请求过于频繁，请稍后再试。"))
    if status == 405:
        return error_response(405, "method_not_allowed", _("不支持该请求方法。"))
    code = "not_found" if status == 404 else "bad_request"
    return error_response(status if 400 <= status < 500 else 400, code, _("请求无效。"))


def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    return error_response(413, "too_large", _("请求内容过大（上限 %(n)s MB）。") % {"n": limit})


def _too_many(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    return error_response(413, "too_large", _("上传的文件或字段过多。"))


def _bad_multipart(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(400, "malformed_body", _("请求内容无法解析。"))


def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A bug, not bad input: log it and answer 500 in the same shape (never a stack trace)."""
    logger.exception("API error on %s %s", request.method, request.path)
    return error_response(500, "server_error", _("服务器内部错误，请稍后再试。"))


def register_error_handlers(api) -> None:
    api.add_exception_handler(Exception, _unexpected)
    api.add_exception_handler(DomainError, _domain_error)
    api.add_exception_handler(ValidationError, _validation_error)
    api.add_exception_handler(HttpError, _http_error)
    api.add_exception_handler(AuthenticationError, _authentication_error)
    api.add_exception_handler(Http404, _not_found)
    api.add_exception_handler(RequestDataTooBig, _too_big)
    api.add_exception_handler(TooManyFilesSent, _too_many)
    api.add_exception_handler(TooManyFieldsSent, _too_many)
    api.add_exception_handler(MultiPartParserError, _bad_multipart)
    api.add_exception_handler(SuspiciousOperation, _bad_multipart)
