"""A net under every door: input that no field may hold never reaches a view.

NUL, the other control characters except tab and line ends, and lone UTF-16 surrogates are refused in
any query parameter, form field or JSON string (PostgreSQL cannot store NUL and answers it with a
server error; SQLite stores it). The answer is a 422 naming the field: the API's error shape under
``/api/``, the error page elsewhere. A URL path holding them matches nothing: 404.

The services still check each text field themselves (`lianxin/validation.py`: one-line fields refuse
every control character, multi-line fields allow the newline and the tab); this net covers what no
service parses, such as search terms and filters.
"""

from __future__ import annotations

import json
import re

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from lianxin.errors import InvalidInput

# What no field may hold (tab, newline and carriage return are left to each field's own rule).
UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# The same characters written as JSON escapes: \u0000-\u0008, \u000b, \u000c, \u000e-\u001f, \u007f, \ud800-\udfff.
_JSON_ESCAPE = re.compile(rb"\\u(?:000[0-8bBcCeEfF]|001[0-9a-fA-F]|007[fF]|[dD][89a-fA-F][0-9a-fA-F]{2})")
API_PREFIX = "/api/"


def _bad_field(pairs) -> str | None:
    for key, values in pairs:
        if UNSTORABLE.search(key):
            return "__all__"
        for value in values:
            if isinstance(value, str) and UNSTORABLE.search(value):
                return key
    return None


def _bad_json_field(value, field: str = "__all__") -> str | None:
    """The top-level key under which a bad string sits in a parsed JSON document (``__all__`` at the top)."""
    stack = [(value, field)]
    while stack:
        item, name = stack.pop()
        if isinstance(item, str):
            if UNSTORABLE.search(item):
                return name
        elif isinstance(item, dict):
            for key, inner in item.items():
                if UNSTORABLE.search(key):
                    return name
                stack.append((inner, key if name == "__all__" else name))
        elif isinstance(item, list):
            stack.extend((inner, name) for inner in item)
    return None


def _json_field(request) -> str | None:
    content_type = request.content_type or ""
    if not (content_type == "application/json" or content_type.endswith("+json")):
        return None
    try:
        body = request.body
    except Exception:  # too large, or unreadable: the view meets the same error and answers it
        return None
    if not _JSON_ESCAPE.search(body):
        return None
    try:
        document = json.loads(body)
    except ValueError:  # not JSON at all: the API answers malformed_json
        return None
    return _bad_json_field(document)


def bad_field(request) -> str | None:
    """The name of the first input field holding an unstorable character, or None."""
    field = _bad_field(request.GET.lists())
    if field is None and request.method in {"POST", "PUT", "PATCH", "DELETE"}:
        content_type = request.content_type or ""
        # Multipart bodies are left to the view: reading them here would pass by the upload handlers and
        # caps a view sets up; their text fields go through Django forms or the services' checks.
        if content_type == "application/x-www-form-urlencoded":
            field = _bad_field(request.POST.lists())
        else:
            field = _json_field(request)
    return field


class UnstorableInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if UNSTORABLE.search(request.path_info):
            if request.path_info.startswith(API_PREFIX):  # the API's 404 in its error shape (api/errors.py)
                body = {"error": {"code": "not_found", "message": _("找不到该对象。"), "fields": {}}}
                return JsonResponse(body, status=404, json_dumps_params={"ensure_ascii": False})
            raise Http404
        field = bad_field(request)
        if field is not None:
            message = _("输入含有不允许的控制字符。")
            error = InvalidInput(message, fields={field: [_("不能包含控制字符。")]})
            if request.path_info.startswith(API_PREFIX):  # the API's error shape (api/errors.py)
                body = {"error": {"code": error.code, "message": error.message, "fields": error.fields}}
                return JsonResponse(body, status=error.status, json_dumps_params={"ensure_ascii": False})
            return render(request, "web/error.html", {"error": error}, status=error.status)
        return self.get_response(request)
