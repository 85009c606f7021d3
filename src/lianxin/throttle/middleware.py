from __future__ import annotations


class RetryAfterMiddleware:
    """Adds Retry-After to a 429 answer (web page or API) from the seconds the limit left on the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 429 and not response.has_header("Retry-After"):
            response["Retry-After"] = str(max(1, getattr(request, "retry_after", 60)))
        return response
