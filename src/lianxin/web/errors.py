"""Domain errors on web pages, in one place (the API has its own: `api/errors.py`).

- `DomainErrorMiddleware`: a `NotFound` that reaches it is Django's 404 page (a foreign object looks
  missing); any other `DomainError` a view did not handle is a page with its message and status (422,
  409…) instead of a server error; an htmx request gets the message alone, to swap in where it asked.

Views therefore catch only what their page explains (`lianxin.errors.REFUSALS`: invalid input and
actions not allowed now) and let a `NotFound` through.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.html import escape

from lianxin.errors import DomainError, NotFound


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            raise Http404(exception.message) from exception
        if isinstance(exception, DomainError):
            return error_page(request, exception)
        return None


def error_page(request, exc: DomainError) -> HttpResponse:
    if getattr(request, "htmx", False):
        body = f'<div class="alert alert-danger" role="alert">{escape(exc.message)}</div>'
        return HttpResponse(body, status=exc.status)
    return render(request, "web/error.html", {"error": exc}, status=exc.status)
