"""The NinjaAPI instance, mounted at /api/v1/. Routers from each app's api.py are attached in api/routers.py."""

from __future__ import annotations

import functools
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import re_path
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from lianxin.api.errors import error_response, register_error_handlers


def _json_405(view):
    """ninja answers a wrong method with a plain-text 405; give it the API's error shape."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith("application/json"):
            allowed = response.get("Allow", "")
            response = error_response(405, "method_not_allowed", _("不支持该请求方法。"))
            response["Allow"] = allowed
        return response

    wrapper.csrf_exempt = True
    return wrapper


def _unknown_path(request: HttpRequest, path: str = "") -> HttpResponse:
    return error_response(404, "not_found", _("没有这个接口。"))


_unknown_path.csrf_exempt = True


class LianxinAPI(NinjaAPI):
    """NinjaAPI plus: JSON 404/405 in the error shape, and schemas of hand-parsed bodies in the OpenAPI."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.extra_schema_models: list[type[BaseModel]] = []

    def document_models(self, *models: type[BaseModel]) -> None:
        """Add models to components/schemas (for request bodies described with openapi_extra)."""
        self.extra_schema_models.extend(models)

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict | None = None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        if self.extra_schema_models:
            _refs, defs = models_json_schema(
                [(model, "validation") for model in self.extra_schema_models],
                ref_template="#/components/schemas/{model}",
            )
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            for name, definition in defs.get("$defs", {}).items():
                components.setdefault(name, definition)
        return schema

    def _get_urls(self):
        patterns = super()._get_urls()
        for pattern in patterns:
            if hasattr(pattern, "callback"):
                pattern.callback = _json_405(pattern.callback)
        patterns.append(re_path(r"^(?P<path>.*)$", _unknown_path))
        return patterns


api = LianxinAPI(
    title="Lianxin API",
    version="1.0.0",
    description="连心 · 人大代表联络站平台接口。认证：POST /auth/token 取得令牌，之后带 "
    '`Authorization: Bearer <令牌>`。错误一律为 `{"error": {"code", "message", "fields"}}`。',
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
register_error_handlers(api)
