"""Domain errors on web pages, in one place (the API has its own: `api/errors.py`).

- `DomainErrorMiddleware`: a `NotFound` that reaches it is Django's 404 page (a foreign object looks
  missing); any other `DomainError` a view did not handle is a page with its message and status (422,
  409…) instead of a server error; an htmx request gets the message alone, to swap in where it asked.
- `errors_as_messages(to)`: for the many actions whose failure is "say why, and go back to the page":
  the view's `DomainError` becomes a flash message and a redirect to `to` (a URL name, or a function of
  the request and the view's arguments that returns a URL).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
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


def errors_as_messages(to: str | Callable[..., str]):
    """On a `DomainError` (not `NotFound`, which stays a 404): flash its message and redirect to `to`."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except NotFound:
                raise
            except DomainError as exc:
                messages.error(request, exc.message)
                return redirect(to(request, *args, **kwargs) if callable(to) else to)

        return wrapper

    return decorate
