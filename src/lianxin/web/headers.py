"""Response headers for privacy: no response is kept by a browser or proxy cache unless its view says it may be
(personal data is on work pages, tracking pages and API answers), and the Permissions-Policy.

Static files never reach this middleware (WhiteNoise answers them above it) and keep their long cache."""

from __future__ import annotations

from django.conf import settings
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
