"""Response headers for privacy: no response is kept by a browser or proxy cache unless its view says it may be
(personal data is on work pages, tracking pages and API answers), the Permissions-Policy, and the
Content-Security-Policy (django-csp's policy, built once per process).

Static files never reach this middleware (WhiteNoise answers them above it) and keep their long cache."""

from __future__ import annotations

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.utils.cache import patch_cache_control


class PrivacyHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # A view that set Cache-Control itself (a public, cacheable page) keeps it; everything else is no-store.
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, no_store=True)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the header built once per process instead of twice per request.

    The policy depends only on the settings unless a view changed it (the `csp_update`/`csp_replace`/`csp_exempt`
    decorators set attributes on the response) or a template asked for a nonce; those responses take
    django-csp's own path. Everything else gets the same two header values, built once and kept until a setting
    changes (`setting_changed`, as tests do)."""

    _VIEW_ATTRIBUTES = (
        "_csp_config",
        "_csp_update",
        "_csp_replace",
        "_csp_config_ro",
        "_csp_update_ro",
        "_csp_replace_ro",
    )
    # ((header, value, excluded path prefixes, the response attribute that exempts it), ...) for both headers
    _built: tuple[tuple[str, str, tuple[str, ...], str], ...] | None = None

    @classmethod
    def clear(cls, **kwargs) -> None:
        cls._built = None

    @staticmethod
    def _excluded(name: str) -> tuple[str, ...]:
        policy = getattr(settings, name) if hasattr(settings, name) else None
        return tuple((policy or {}).get("EXCLUDE_URL_PREFIXES") or ())

    @classmethod
    def headers(cls) -> tuple[tuple[str, str, tuple[str, ...], str], ...]:
        if cls._built is None:
            cls._built = (
                (HEADER, build_policy(), cls._excluded("CONTENT_SECURITY_POLICY"), "_csp_exempt"),
                (
                    HEADER_REPORT_ONLY,
                    build_policy(report_only=True),
                    cls._excluded("CONTENT_SECURITY_POLICY_REPORT_ONLY"),
                    "_csp_exempt_ro",
                ),
            )
        return cls._built

    def process_response(self, request, response):
        if isinstance(getattr(request, "_csp_nonce", None), str) or any(
            getattr(response, name, None) is not None for name in self._VIEW_ATTRIBUTES
        ):
            return super().process_response(request, response)
        if response.status_code in (500, 404) and settings.DEBUG:
            return response
        path = request.path_info
        for header, value, excluded, exempt in self.headers():
            if not value or header in response or getattr(response, exempt, False) is not False:
                continue
            if not path.startswith(excluded):
                response[header] = value
        if getattr(request, "_csp_nonce", None) is None:
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


setting_changed.connect(ContentSecurityPolicyMiddleware.clear)
